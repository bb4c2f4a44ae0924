import type { SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as tables from './schema-pg';

/**
 * The repositories are written once, against PostgreSQL's tables and query builder, and run on
 * either database: on SQLite the same builder calls reach SQLite's own tables (see sqlite-store.ts).
 * Typing them against PostgreSQL keeps them to what both dialects share: PostgreSQL's builder has
 * no synchronous `.get()/.all()/.run()`, and every query is awaited.
 */
export type Tables = typeof tables;
export type Database = NodePgDatabase<Tables>;

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: Dialect;
  readonly tables: Tables;
  /** The connection to query: inside `transaction`, the transaction's own. */
  readonly db: Database;
  /**
   * Runs `work` as one write transaction; work already inside one joins it. Write transactions
   * are taken one at a time across every process sharing the database (SQLite's write lock; a
   * PostgreSQL advisory lock), so a read-then-write inside one sees no other writer in between,
   * and ids commit in the order they are taken (the standings read only the history entries after
   * the last id they saw). Never wait on Lark or Redis inside: every other writer waits with it.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * A write whose answer nothing reads, sent without waiting for it: on PostgreSQL the server runs
   * it while the process builds the next statement. Only inside `transaction`, which waits for it
   * before it commits and fails with it.
   */
  writeUnawaited(write: Promise<unknown>): void;
  /** Rows of a hand-written query, as objects keyed by the column names it selects. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Rows of a hand-written query as arrays, by position: cheaper than objects over many rows. */
  tuples<T extends unknown[]>(query: SQL): Promise<T[]>;
  /**
   * A statement written out, placeholders in the dialect's own style (`?` on SQLite, `$1`… on
   * PostgreSQL), for the few hot paths where building the query costs more than running it
   * (db/bulk-writes.ts). Rows as the driver gives them, keyed by column name.
   */
  execute(text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Brings the query planner's statistics up to date, as the data has grown (daily). */
  refreshStatistics(): Promise<void>;
  /** Whether the database answers. */
  check(): Promise<boolean>;
  close(): Promise<void>;
}
