import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import * as pgSchema from './schema-pg';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');

/** Any fixed number: the key of the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 0x7a736d; // 'zsm'

/** Opens a pool on the PostgreSQL database at `url` and applies every pending migration. */
export async function openPostgres(url: string) {
  // Pipelined: a query given to a client while one of its own runs goes out at once, and the server
  // takes it next. A transaction's unawaited writes (Store.writeUnawaited) do that; unpipelined,
  // node-postgres 8 queues them itself, but warns that this is deprecated and gone in pg 9.
  const pool = new Pool({ connectionString: url, pipeline: true });
  // An idle connection the server dropped (a restart, a failover) is reported here and replaced on
  // the next query; unheard, the pool's 'error' event would crash the process.
  pool.on('error', () => {});
  try {
    await applyMigrations(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = drizzle(pool, { schema: pgSchema });
  return { db, pool, close: () => pool.end() };
}

/**
 * The web and worker processes start together and both migrate. The migrator reads what was applied
 * before its own transaction, so two at once would both apply the same migration and one would fail:
 * a session lock on one dedicated connection makes the second wait, then find nothing to do.
 */
async function applyMigrations(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    // Closing the connection drops its lock whatever happened above, so none is left held in the pool.
    client.release(true);
  }
}
