import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool, type PoolClient } from 'pg';
import * as pgSchema from './schema-pg';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');

/** Any fixed number: the key of the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 0x7a736d; // 'zsm'

/** Opens a pool on the PostgreSQL database at `url` and applies every pending migration. */
export async function openPostgres(url: string) {
  const pool = new Pool({ connectionString: url });
  pool.on('connect', queueQueries);
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

/**
 * Queries a client is given while one of its own runs wait here, one at a time in order: a
 * transaction's unawaited writes (`Store.writeUnawaited`) give its client the next statement before
 * the last one answered. node-postgres 8 queues them itself, but warns that this is deprecated and
 * gone in pg 9.
 */
function queueQueries(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let previous: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      // As the pool calls it: answered through the callback.
      const answered = previous.then(
        () =>
          new Promise<void>((resolve) =>
            query(...args.slice(0, -1), (err: unknown, result: unknown) => {
              resolve();
              callback(err, result);
            }),
          ),
      );
      previous = answered;
      return undefined;
    }
    const result = previous.then(() => query(...args));
    previous = result.catch(() => {});
    return result;
  }) as PoolClient['query'];
}
