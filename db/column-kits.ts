import {
  doublePrecision,
  jsonb,
  boolean as pgBoolean,
  index as pgIndex,
  integer as pgInteger,
  json as pgJson,
  primaryKey as pgPrimaryKey,
  pgTable,
  text as pgText,
  timestamp as pgTimestamp,
  uniqueIndex as pgUniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  index as sqliteIndex,
  integer as sqliteInteger,
  primaryKey as sqlitePrimaryKey,
  real as sqliteReal,
  sqliteTable,
  text as sqliteText,
  uniqueIndex as sqliteUniqueIndex,
} from 'drizzle-orm/sqlite-core';

/**
 * The column builders db/schema-definition.ts is written with, one kit per dialect, so both schemas
 * come from one definition. Plain text, integers and constraints mean the same in both; the kit
 * entries that differ are where the dialects store a value differently.
 */
export const pgKit = {
  table: pgTable,
  text: pgText,
  integer: pgInteger,
  real: doublePrecision,
  boolean: pgBoolean,
  json: jsonb,
  // JSON the database never looks inside, only keeps and gives back whole: json keeps the text as
  // written, where jsonb parses it on the way in (a first scan records 8 MB of cards at once).
  opaqueJson: pgJson,
  id: <TName extends string>(name: TName) => pgInteger(name).primaryKey().generatedByDefaultAsIdentity(),
  // Milliseconds are kept (precision 3), as SQLite's timestamp_ms keeps them; timestamptz so the
  // stored instant does not depend on the server's time zone.
  timestamp: <TName extends string>(name: TName) => pgTimestamp(name, { withTimezone: true, mode: 'date', precision: 3 }),
  index: pgIndex,
  uniqueIndex: pgUniqueIndex,
  primaryKey: pgPrimaryKey,
};

export type ColumnKit = typeof pgKit;

const sqliteBuilders = {
  table: sqliteTable,
  text: sqliteText,
  integer: sqliteInteger,
  real: sqliteReal,
  boolean: <TName extends string>(name: TName) => sqliteInteger(name, { mode: 'boolean' }),
  json: <TName extends string>(name: TName) => sqliteText(name, { mode: 'json' }),
  opaqueJson: <TName extends string>(name: TName) => sqliteText(name, { mode: 'json' }),
  id: <TName extends string>(name: TName) => sqliteInteger(name).primaryKey({ autoIncrement: true }),
  timestamp: <TName extends string>(name: TName) => sqliteInteger(name, { mode: 'timestamp_ms' }),
  index: sqliteIndex,
  uniqueIndex: sqliteUniqueIndex,
  primaryKey: sqlitePrimaryKey,
} satisfies Record<keyof ColumnKit, unknown>;

/**
 * The SQLite builders passed off as PostgreSQL ones. TypeScript cannot write one definition generic
 * over two dialects' builder types, so the definition is typed against PostgreSQL's: the code that
 * uses the tables must then stay within what both dialects share (the same row types, the same
 * query builder calls), which is what lets it run on either.
 */
export const sqliteKit = sqliteBuilders as unknown as ColumnKit;
