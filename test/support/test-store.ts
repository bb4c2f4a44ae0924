import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openStore } from '../../db/open-store';
import type { Dialect, Store } from '../../db/store';
import { createDatabase } from './postgres';

/** The database this run's tests use: vitest's `postgres` project sets TEST_DATABASE=postgres. */
export const testDialect: Dialect = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Where a test's data lives: a new SQLite file in `dir`, or a new database on the run's private
 * PostgreSQL cluster. As the bot's environment (DATABASE_PATH, DATABASE_URL).
 */
export async function testDatabaseEnv(dir: string): Promise<{ DATABASE_PATH: string; DATABASE_URL?: string }> {
  const DATABASE_PATH = join(dir, 'zs.db');
  if (testDialect === 'sqlite') return { DATABASE_PATH };
  return { DATABASE_PATH, DATABASE_URL: await createDatabase(inject('postgresUrl'), `t_${randomBytes(6).toString('hex')}`) };
}

/** A new, migrated, empty database of the run's dialect. */
export async function openTestStore(dir: string): Promise<Store> {
  const env = await testDatabaseEnv(dir);
  return openStore({ databasePath: env.DATABASE_PATH, databaseUrl: env.DATABASE_URL });
}
