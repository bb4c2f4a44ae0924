import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import { openDatabase } from './client';
import * as sqliteTables from './schema';
import type { Database as AppDatabase, Store, Tables } from './store';
import { createUnawaitedWrites } from './unawaited-writes';

/** Statements kept prepared; past this many distinct texts (long IN lists vary) the cache starts again. */
const MAX_PREPARED = 1_000;

/**
 * SQLite through drizzle's async proxy driver over one better-sqlite3 connection. The proxy lets a
 * query wait: while a write transaction is open, queries from other work wait for it to end instead
 * of slipping into it (one connection, so anything run meanwhile would commit or roll back with it).
 */
export function openSqliteStore(path: string): Store & { readonly sqlite: Database.Database } {
  const sqlite = openDatabase(path).$client;
  const gate = new TransactionGate();
  const unawaited = createUnawaitedWrites();
  const prepared = new Map<string, Database.Statement>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) {
      if (prepared.size >= MAX_PREPARED) prepared.clear();
      found = sqlite.prepare(text);
      prepared.set(text, found);
    }
    return found;
  };

  const db = drizzle(
    async (text, params, method) => {
      await gate.pass();
      const s = statement(text);
      if (method === 'run' || !s.reader) {
        s.run(...params);
        return { rows: [] };
      }
      s.raw(true);
      // 'get' answers one row (or undefined) where the others answer a list.
      return { rows: (method === 'get' ? s.get(...params) : s.all(...params)) as unknown[] };
    },
    { schema: sqliteTables },
  ) as unknown as AppDatabase;
  const dialect = new SQLiteAsyncDialect();

  return {
    dialect: 'sqlite',
    // The same names, the same columns and the same row types (db/schema-definition.ts).
    tables: sqliteTables as unknown as Tables,
    db,
    sqlite,
    async transaction(work) {
      if (gate.inside()) return work();
      return gate.hold(async () => {
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          const result = await unawaited.around(work);
          sqlite.exec('COMMIT');
          return result;
        } catch (err) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw err;
        }
      });
    },
    writeUnawaited: (write) => unawaited.add(write),
    async rows<T>(query: SQL) {
      await gate.pass();
      const { sql: text, params } = dialect.sqlToQuery(query);
      return statement(text)
        .raw(false)
        .all(...params) as T[];
    },
    async tuples<T extends unknown[]>(query: SQL) {
      await gate.pass();
      const { sql: text, params } = dialect.sqlToQuery(query);
      return statement(text)
        .raw(true)
        .all(...params) as T[];
    },
    async execute(text, params) {
      await gate.pass();
      const s = statement(text);
      if (!s.reader) {
        s.run(...params);
        return [];
      }
      return s.raw(false).all(...params) as Record<string, unknown>[];
    },
    async refreshStatistics() {
      await gate.pass();
      sqlite.pragma('optimize');
    },
    async check() {
      return sqlite.prepare('select 1 as ok').get() !== undefined;
    },
    async close() {
      await gate.pass();
      sqlite.close();
    },
  };
}

/** One write transaction at a time on the connection; work outside it waits at `pass`. */
class TransactionGate {
  private holder: { token: object; released: Promise<void> } | undefined;
  private readonly owner = new AsyncLocalStorage<object>();

  inside(): boolean {
    return this.holder !== undefined && this.owner.getStore() === this.holder.token;
  }

  async pass(): Promise<void> {
    while (this.holder && !this.inside()) await this.holder.released;
  }

  async hold<T>(work: () => Promise<T>): Promise<T> {
    // Checked and taken with no await in between: every waiter wakes when a transaction ends.
    while (this.holder) await this.holder.released;
    const token = {};
    let release = () => {};
    this.holder = { token, released: new Promise<void>((resolve) => (release = resolve)) };
    try {
      return await this.owner.run(token, work);
    } finally {
      this.holder = undefined;
      release();
    }
  }
}
