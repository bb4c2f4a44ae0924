-- Project history is evidence for 约谈 and 责任倒查: the database itself refuses to rewrite it.
CREATE TRIGGER `project_history_no_update` BEFORE UPDATE ON `project_history`
BEGIN
  SELECT RAISE(ABORT, 'project_history is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `project_history_no_delete` BEFORE DELETE ON `project_history`
BEGIN
  SELECT RAISE(ABORT, 'project_history is append-only');
END;
