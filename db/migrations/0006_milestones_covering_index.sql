DROP INDEX `milestones_open_due_idx`;--> statement-breakpoint
CREATE INDEX `milestones_open_due_idx` ON `milestones` (`done_date`,`due_date`,`project_id`);