ALTER TABLE `daily_task_runs` ADD `claimed_due_day` text;--> statement-breakpoint
ALTER TABLE `daily_task_runs` ADD `claimed_at` integer;