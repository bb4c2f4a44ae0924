import { AsyncLocalStorage } from 'node:async_hooks';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core';
import { openPostgres } from './postgres';
import * as pgTables from './schema-pg';
import type { Database, Store } from './store';
import { createUnawaitedWrites } from './unawaited-writes';

/**
 * Every write transaction first takes this advisory lock, so they run one at a time across all
 * processes, as SQLite's do: the repositories' read-then-write steps (the next project code, a
 * daily task's claim, "am I first?") stay correct under READ COMMITTED without retry loops. Writes
 * are short and few beside reads; province scale is far from where one writer at a time binds.
 */
const WRITE_LOCK = 0x7a73; // 'zs'

export async function openPostgresStore(url: string): Promise<Store> {
  const { db, close } = await openPostgres(url);
  const inTransaction = new AsyncLocalStorage<Database>();
  const current = () => inTransaction.getStore() ?? (db as Database);
  const unawaited = createUnawaitedWrites();
  return {
    dialect: 'postgres',
    tables: pgTables,
    get db() {
      return current();
    },
    async transaction(work) {
      if (inTransaction.getStore()) return work();
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
        return inTransaction.run(tx as unknown as Database, () => unawaited.around(work));
      });
    },
    writeUnawaited: (write) => unawaited.add(write),
    async rows<T>(query: SQL) {
      return (await current().execute(query)).rows as T[];
    },
    async tuples<T extends unknown[]>(query: SQL) {
      // drizzle's typed selects read rows as arrays; its session does so for any query given a
      // result mapper (not part of its typed surface).
      const { session, dialect } = current() as unknown as { session: PgSession; dialect: PgDialect };
      return session.prepareQuery(dialect.sqlToQuery(query), undefined, undefined, true, (rows) => rows as T[]).execute() as Promise<T[]>;
    },
    async execute(text, params) {
      const { session } = current() as unknown as { session: PgSession };
      const result = (await session.prepareQuery({ sql: text, params }, undefined, undefined, false).execute()) as { rows: Record<string, unknown>[] };
      return result.rows;
    },
    // Autovacuum analyzes tables as they change, but only once enough rows did: a bulk load waits a
    // minute or more for it. ANALYZE reads a fixed sample per table, so daily it costs little.
    async refreshStatistics() {
      await db.execute(sql`analyze`);
    },
    async check() {
      return (await db.execute(sql`select 1 as ok`)).rows.length === 1;
    },
    close,
  };
}
