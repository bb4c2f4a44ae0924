CREATE TABLE `blockers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`type` text NOT NULL,
	`kind` text NOT NULL,
	`complaint` integer NOT NULL,
	`description` text NOT NULL,
	`unit_id` integer NOT NULL,
	`handler_open_id` text,
	`raised_by` text NOT NULL,
	`raised_at` integer NOT NULL,
	`raised_day` text NOT NULL,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`extension` text,
	`outcome` text,
	`finding` text,
	`checked_by` text,
	`resolved_day` text,
	`closed_day` text,
	`flagged_by` text,
	`meeting_id` integer,
	`answers_id` integer,
	`source_chat_id` text,
	`source_key` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`raised_by`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blockers_source_key_unique` ON `blockers` (`source_key`);--> statement-breakpoint
CREATE INDEX `blockers_project_idx` ON `blockers` (`project_id`);--> statement-breakpoint
CREATE INDEX `blockers_unit_idx` ON `blockers` (`unit_id`);--> statement-breakpoint
CREATE INDEX `blockers_status_due_idx` ON `blockers` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `blockers_answers_idx` ON `blockers` (`answers_id`);--> statement-breakpoint
CREATE TABLE `meeting_items` (
	`meeting_id` integer NOT NULL,
	`blocker_id` integer NOT NULL,
	`position` integer NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`meeting_id`, `blocker_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`blocker_id`) REFERENCES `blockers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`time` text NOT NULL,
	`place` text NOT NULL,
	`scheduled_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`source_key` text NOT NULL,
	`agenda_at` integer,
	FOREIGN KEY (`scheduled_by`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meetings_source_key_unique` ON `meetings` (`source_key`);--> statement-breakpoint
ALTER TABLE `units` ADD `leader_open_id` text;