CREATE TABLE `funds_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`amount_wan` real NOT NULL,
	`day` text NOT NULL,
	`actor_open_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`source_key` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `funds_entries_source_key_unique` ON `funds_entries` (`source_key`);--> statement-breakpoint
CREATE INDEX `funds_entries_project_idx` ON `funds_entries` (`project_id`);--> statement-breakpoint
CREATE INDEX `funds_entries_day_idx` ON `funds_entries` (`day`);--> statement-breakpoint
CREATE TABLE `job_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`jobs` integer NOT NULL,
	`day` text NOT NULL,
	`actor_open_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`source_key` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_entries_source_key_unique` ON `job_entries` (`source_key`);--> statement-breakpoint
CREATE INDEX `job_entries_project_idx` ON `job_entries` (`project_id`);--> statement-breakpoint
CREATE INDEX `job_entries_day_idx` ON `job_entries` (`day`);