CREATE TABLE `escalation_episodes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`cause_key` text NOT NULL,
	`cause` text NOT NULL,
	`state` text NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalation_episodes_open_idx` ON `escalation_episodes` (`project_id`,`cause_key`) WHERE "escalation_episodes"."closed_at" is null;--> statement-breakpoint
CREATE INDEX `escalation_episodes_project_idx` ON `escalation_episodes` (`project_id`);--> statement-breakpoint
CREATE TABLE `escalation_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`episode_id` integer NOT NULL,
	`level_index` integer NOT NULL,
	`level` text NOT NULL,
	`round` integer NOT NULL,
	`recipient` text NOT NULL,
	`day` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`episode_id`) REFERENCES `escalation_episodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalation_notices_once_idx` ON `escalation_notices` (`episode_id`,`level_index`,`round`,`recipient`);--> statement-breakpoint
CREATE INDEX `projects_stage_activity_idx` ON `projects` (`stage`,`last_activity_at`);