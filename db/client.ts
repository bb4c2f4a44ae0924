import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens the SQLite file (creating its folder), sets the per-connection pragmas and applies every
 * pending migration. ':memory:' works too, for tests.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as Db;
  applyMigrations(db);
  sqlite.pragma('foreign_keys = ON');
  // SQLite keeps no statistics unless asked; without them it reads the standings' overdue count for
  // one project through the open-due index (4 ms a period at 100,000 projects, not 0.1). 0x10002:
  // look at every table, as SQLite advises when a long-lived connection opens; bounded by its own
  // analysis limit (about 0.3 s at 100,000 projects).
  sqlite.pragma('optimize = 0x10002');
  return db;
}

/**
 * The migrator wraps everything in one transaction, where `PRAGMA foreign_keys=OFF` is ignored: a
 * generated table rebuild (DROP + rename) would then cascade-delete child rows. So foreign keys are
 * switched off on the connection first, and checked by hand before they are switched back on.
 */
function applyMigrations(db: Db): void {
  const sqlite = db.$client;
  sqlite.pragma('foreign_keys = OFF');
  migrate(db, { migrationsFolder });
  const violations = sqlite.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) {
    throw new Error(`migration left ${violations.length} foreign-key violations: ${JSON.stringify(violations.slice(0, 5))}`);
  }
}
