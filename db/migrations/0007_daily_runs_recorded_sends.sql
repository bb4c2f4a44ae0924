CREATE TABLE `daily_task_runs` (
	`task` text PRIMARY KEY NOT NULL,
	`due_day` text NOT NULL,
	`ran_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recorded_sends` (
	`uuid` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`job` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`settled_at` integer
);
--> statement-breakpoint
CREATE INDEX `recorded_sends_source_idx` ON `recorded_sends` (`source`);--> statement-breakpoint
CREATE INDEX `recorded_sends_unsettled_idx` ON `recorded_sends` (`settled_at`);