CREATE INDEX `escalation_episodes_opened_idx` ON `escalation_episodes` (`opened_at`);--> statement-breakpoint
CREATE INDEX `project_history_action_at_idx` ON `project_history` (`action`,`at`);