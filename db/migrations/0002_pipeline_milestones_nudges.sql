CREATE TABLE `delivery_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target` text NOT NULL,
	`code` integer NOT NULL,
	`message` text NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`count` integer NOT NULL,
	`reported_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delivery_failures_target_code_idx` ON `delivery_failures` (`target`,`code`);--> statement-breakpoint
CREATE TABLE `digest_deliveries` (
	`recipient` text NOT NULL,
	`day` text NOT NULL,
	`items` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`recipient`, `day`)
);
--> statement-breakpoint
CREATE TABLE `milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`due_date` text NOT NULL,
	`done_date` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `milestones_project_name_idx` ON `milestones` (`project_id`,`name`);--> statement-breakpoint
CREATE INDEX `milestones_open_due_idx` ON `milestones` (`done_date`,`due_date`);--> statement-breakpoint
ALTER TABLE `project_history` ADD `source_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `project_history_source_key_idx` ON `project_history` (`source_key`);--> statement-breakpoint
ALTER TABLE `projects` ADD `stage_reason` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `review_date` text;