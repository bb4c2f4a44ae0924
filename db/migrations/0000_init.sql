CREATE TABLE `pending_leads` (
	`id` text PRIMARY KEY NOT NULL,
	`draft` text NOT NULL,
	`requested_by` text NOT NULL,
	`chat_id` text,
	`similar_project_id` integer,
	`created_at` integer NOT NULL,
	`outcome` text,
	`resolved_at` integer,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`similar_project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `people` (
	`open_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`unit_id` integer,
	`role` text DEFAULT 'official' NOT NULL,
	`mobile` text,
	`email` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `people_unit_idx` ON `people` (`unit_id`);--> statement-breakpoint
CREATE INDEX `people_role_idx` ON `people` (`role`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`event_type` text NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `project_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_open_id` text,
	`action` text NOT NULL,
	`changes` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_open_id`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_history_project_idx` ON `project_history` (`project_id`,`at`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`name` text NOT NULL,
	`investor` text NOT NULL,
	`investor_key` text NOT NULL,
	`planned_investment_wan` real,
	`industry` text,
	`channel` text,
	`referrer` text,
	`note` text,
	`unit_id` integer,
	`owner_open_id` text NOT NULL,
	`leader_open_id` text,
	`stage` text DEFAULT 'lead' NOT NULL,
	`created_by` text NOT NULL,
	`source_chat_id` text,
	`source_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_open_id`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leader_open_id`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`open_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_code_unique` ON `projects` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_source_key_unique` ON `projects` (`source_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_year_seq_idx` ON `projects` (`year`,`seq`);--> statement-breakpoint
CREATE INDEX `projects_investor_key_idx` ON `projects` (`investor_key`);--> statement-breakpoint
CREATE INDEX `projects_unit_idx` ON `projects` (`unit_id`);--> statement-breakpoint
CREATE INDEX `projects_owner_idx` ON `projects` (`owner_open_id`);--> statement-breakpoint
CREATE INDEX `projects_leader_idx` ON `projects` (`leader_open_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_name_unique` ON `units` (`name`);