import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin of drizzle.config.ts: same tables (db/schema-definition.ts), its own migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg',
});
