-- Project history is evidence for 约谈 and 责任倒查: the database itself refuses to rewrite it, as
-- db/migrations/0001_history_append_only.sql does on SQLite. PostgreSQL also has TRUNCATE, which
-- fires no row triggers, so it gets a statement trigger of its own.
CREATE FUNCTION "project_history_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'project_history is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "project_history_no_update" BEFORE UPDATE ON "project_history"
  FOR EACH ROW EXECUTE FUNCTION "project_history_append_only"();
--> statement-breakpoint
CREATE TRIGGER "project_history_no_delete" BEFORE DELETE ON "project_history"
  FOR EACH ROW EXECUTE FUNCTION "project_history_append_only"();
--> statement-breakpoint
CREATE TRIGGER "project_history_no_truncate" BEFORE TRUNCATE ON "project_history"
  FOR EACH STATEMENT EXECUTE FUNCTION "project_history_append_only"();
