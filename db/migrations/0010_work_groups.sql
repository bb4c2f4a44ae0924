CREATE TABLE `work_group_members` (
	`project_id` integer NOT NULL,
	`open_id` text NOT NULL,
	`generation` integer NOT NULL,
	`status` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `generation`, `open_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `work_groups` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL,
	`chat_id` text,
	`status` text NOT NULL,
	`card_posted_at` integer,
	`requested_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `projects` ADD `work_chat_id` text;