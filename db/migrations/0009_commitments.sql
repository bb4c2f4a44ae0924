CREATE TABLE `commitment_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`blocker_id` integer NOT NULL,
	`day` text NOT NULL,
	`amount_wan` real,
	`evidence` text NOT NULL,
	`actor_open_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`source_key` text NOT NULL,
	FOREIGN KEY (`blocker_id`) REFERENCES `blockers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commitment_deliveries_source_key_unique` ON `commitment_deliveries` (`source_key`);--> statement-breakpoint
CREATE INDEX `commitment_deliveries_blocker_idx` ON `commitment_deliveries` (`blocker_id`);--> statement-breakpoint
ALTER TABLE `blockers` ADD `basis` text;--> statement-breakpoint
ALTER TABLE `blockers` ADD `amount_wan` real;