import { type Column, getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { inBatches } from './batches';
import type { Store } from './store';

/**
 * Rows per statement on PostgreSQL where a batch is one JSON parameter: no limit on parameters
 * binds, and a chunk of the scan's writes (a thousand rows or so) goes in one round trip.
 */
const JSON_BATCH_ROWS = 5_000;
const JSON_TYPES = new Set(['json', 'jsonb']);

/**
 * Many rows into one table, written out by hand rather than through drizzle's query builder: for
 * a 500-row insert the builder spent about four times as long making the statement as SQLite spent
 * running it (the first stall scan over a province: episodes, notices, history, cards). Values go
 * through each column's own mapping, as the builder's do, so the rows read back the same. On
 * PostgreSQL the rows go as one JSON parameter: binding a parameter per value cost the process
 * more than the insert cost the server. It is jsonb (`jsonb_to_recordset`), which hands each row's
 * jsonb columns over already parsed, where `json_to_recordset` parsed them twice; but a column kept
 * as plain json (a recorded card) would be parsed whole into jsonb and written out again, so a
 * table with one takes the rows as json, whose text the server only checks and cuts up.
 * Every row must give the same columns. With `returning` (the keys wanted), those columns of the
 * inserted rows come back as the builder's `.returning()` gives them (RETURNING promises no order);
 * a row skipped on conflict does not.
 */
export async function insertMany<T extends Table, K extends keyof T['$inferSelect'] & string = never>(
  store: Store,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { onConflictDoNothing?: boolean; returning?: readonly K[] } = {},
): Promise<Pick<T['$inferSelect'], K>[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, Column>;
  const returned: readonly string[] = options.returning ?? [];
  const keys = Object.keys(rows[0]!).filter((key) => key in columns && (rows[0] as Record<string, unknown>)[key] !== undefined);
  const names = keys.map((key) => `"${columns[key]!.name}"`).join(', ');
  const inserted: Pick<T['$inferSelect'], K>[] = [];
  const conflict = options.onConflictDoNothing ? ' on conflict do nothing' : '';
  const returning = returned.length > 0 ? ` returning ${returned.map((key) => `"${columns[key]!.name}"`).join(', ')}` : '';
  const write = async (text: string, params: unknown[]) => {
    for (const row of await store.execute(text, params)) inserted.push(fromDriver(columns, returned, row) as Pick<T['$inferSelect'], K>);
  };
  if (store.dialect === 'postgres') {
    const json = keys.every((key) => columns[key]!.getSQLType() !== 'json') ? 'jsonb' : 'json';
    const recordType = keys.map((key) => `"${columns[key]!.name}" ${columns[key]!.getSQLType()}`).join(', ');
    const text = `insert into "${getTableName(table)}" (${names}) select ${names} from ${json}_to_recordset($1::${json}) as r(${recordType})${conflict}${returning}`;
    for (const batch of inBatches(rows, JSON_BATCH_ROWS)) await write(text, [asJsonRecords(columns, keys, batch)]);
    return inserted;
  }
  for (const batch of inBatches(rows)) {
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const marks = keys.map((key) => {
        const value = (row as Record<string, unknown>)[key];
        params.push(value === null || value === undefined ? null : columns[key]!.mapToDriverValue(value));
        return '?';
      });
      return `(${marks.join(', ')})`;
    });
    await write(`insert into "${getTableName(table)}" (${names}) values ${tuples.join(', ')}${conflict}${returning}`, params);
  }
  return inserted;
}

/**
 * Sets one column to its own value in each of many rows, found by key, many rows a statement
 * (`update … from` the rows as JSON on PostgreSQL, as `values …` on SQLite), for the same reasons as `insertMany`.
 */
export async function updateMany<T extends Table>(
  store: Store,
  table: T,
  key: keyof T['$inferSelect'] & string,
  column: keyof T['$inferSelect'] & string,
  values: readonly (readonly [unknown, unknown])[],
): Promise<void> {
  const columns = getTableColumns(table) as Record<string, Column>;
  const [keyColumn, valueColumn] = [columns[key]!, columns[column]!];
  const tableName = getTableName(table);
  if (store.dialect === 'postgres') {
    const [k, v] = [`"${keyColumn.name}"`, `"${valueColumn.name}"`];
    const text = `update "${tableName}" set ${v} = r.${v} from jsonb_to_recordset($1::jsonb) as r(${k} ${keyColumn.getSQLType()}, ${v} ${valueColumn.getSQLType()}) where "${tableName}".${k} = r.${k}`;
    for (const batch of inBatches(values, JSON_BATCH_ROWS))
      await store.execute(text, [
        asJsonRecords(
          columns,
          [key, column],
          batch.map(([keyValue, value]) => ({ [key]: keyValue, [column]: value })),
        ),
      ]);
    return;
  }
  for (const batch of inBatches(values)) {
    const params: unknown[] = [];
    const mark = (value: unknown, target: Column) => {
      params.push(value === null || value === undefined ? null : target.mapToDriverValue(value));
      return '?';
    };
    const tuples = batch.map(([k, v]) => `(${mark(k, keyColumn)}, ${mark(v, valueColumn)})`);
    await store.execute(
      `update "${tableName}" set "${valueColumn.name}" = v.column2 from (values ${tuples.join(', ')}) as v where "${tableName}"."${keyColumn.name}" = v.column1`,
      params,
    );
  }
}

/**
 * Rows as one JSON parameter, keyed by column name, for PostgreSQL's `json[b]_to_recordset`. JSON
 * columns go in as they are; other values as their column maps them for the driver (a timestamp as
 * its ISO text).
 */
function asJsonRecords(columns: Record<string, Column>, keys: readonly string[], rows: readonly object[]): string {
  const asJson = keys.map((key) => {
    const column = columns[key]!;
    return { name: column.name, raw: JSON_TYPES.has(column.getSQLType()), column };
  });
  // Many rows share a value (the scan's one timestamp): it is mapped once while it repeats.
  const last = asJson.map(() => ({ value: undefined as unknown, mapped: null as unknown }));
  return JSON.stringify(
    rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const { name, raw, column } = asJson[i]!;
        const value = (row as Record<string, unknown>)[keys[i]!];
        if (value === null || value === undefined || raw) {
          record[name] = value ?? null;
          continue;
        }
        const seen = last[i]!;
        if (seen.value !== value) {
          seen.value = value;
          seen.mapped = column.mapToDriverValue(value);
        }
        record[name] = seen.mapped;
      }
      return record;
    }),
  );
}

function fromDriver(columns: Record<string, Column>, keys: readonly string[], row: Record<string, unknown>): Record<string, unknown> {
  const mapped: Record<string, unknown> = {};
  for (const key of keys) {
    const column = columns[key]!;
    const value = row[column.name];
    mapped[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return mapped;
}
