import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Dialect } from './store';

/**
 * The few places hand-written SQL differs between the dialects. JSON columns are text holding
 * JSON in SQLite and jsonb in PostgreSQL.
 */
export function jsonText(dialect: Dialect, column: SQLWrapper, key: string): SQL<string | null> {
  // Keys are the code's own names, written into the text; never a user's.
  if (!/^\w+$/.test(key)) throw new Error(`not a JSON key name: ${key}`);
  return dialect === 'postgres' ? sql`(${column} ->> ${sql.raw(`'${key}'`)})` : sql`json_extract(${column}, ${sql.raw(`'$.${key}'`)})`;
}

/**
 * `column in (ids)` with the ids as one parameter (an integer array; a JSON array read by
 * json_each in SQLite): a scan reads 1,000 projects a query, and drizzle's building of a
 * thousand parameters cost more than the read.
 */
export function inIds(dialect: Dialect, column: SQLWrapper, ids: readonly number[]): SQL {
  return dialect === 'postgres' ? sql`${column} = any(${sql.param(ids)}::integer[])` : sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/** The values of an aggregate joined with commas (SQLite's group_concat, PostgreSQL's string_agg). */
export function listOf(dialect: Dialect, expression: SQL): SQL<string | null> {
  return dialect === 'postgres' ? sql`string_agg(${expression}, ',')` : sql`group_concat(${expression})`;
}

/**
 * An instant to compare with a timestamp column inside hand-written SQL (drizzle maps values only
 * where a column is compared directly): milliseconds in SQLite, a timestamptz in PostgreSQL.
 */
export function instant(dialect: Dialect, ms: number): SQL {
  return dialect === 'postgres' ? sql`${new Date(ms).toISOString()}::timestamptz` : sql`${ms}`;
}

/**
 * A timestamp read by hand-written SQL, in milliseconds: SQLite keeps milliseconds; drizzle's
 * PostgreSQL driver leaves timestamptz as the server's text.
 */
export function msOf(value: number | string | Date): number {
  return typeof value === 'number' ? value : new Date(value).getTime();
}

/** A JSON column read by hand-written SQL: SQLite's text, PostgreSQL's parsed jsonb. */
export function jsonOf<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
