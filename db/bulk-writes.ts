import { type Column, getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { inBatches } from './batches';
import type { Store } from './store';

/**
 * Many rows into one table, written out by hand rather than through drizzle's query builder: for
 * a 500-row insert the builder spent about four times as long making the statement as SQLite spent
 * running it (the first stall scan over a province: episodes, notices, history, cards). Values go
 * through each column's own mapping, as the builder's do, so the rows read back the same.
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
  for (const batch of inBatches(rows)) {
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const marks = keys.map((key) => {
        const value = (row as Record<string, unknown>)[key];
        params.push(value === null || value === undefined ? null : columns[key]!.mapToDriverValue(value));
        return store.dialect === 'postgres' ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    const text = [
      `insert into "${getTableName(table)}" (${names}) values ${tuples.join(', ')}`,
      options.onConflictDoNothing ? ' on conflict do nothing' : '',
      returned.length > 0 ? ` returning ${returned.map((key) => `"${columns[key]!.name}"`).join(', ')}` : '',
    ].join('');
    const result = await store.execute(text, params);
    for (const row of result) inserted.push(fromDriver(columns, returned, row) as Pick<T['$inferSelect'], K>);
  }
  return inserted;
}

/**
 * Sets one column to its own value in each of many rows, found by key, many rows a statement
 * (`update … from (values …)`, which both dialects have), for the same reason as `insertMany`.
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
  const postgres = store.dialect === 'postgres';
  for (const batch of inBatches(values)) {
    const params: unknown[] = [];
    const mark = (value: unknown, target: Column, cast: string) => {
      params.push(value === null || value === undefined ? null : target.mapToDriverValue(value));
      return postgres ? `$${params.length}${cast}` : '?';
    };
    // PostgreSQL reads parameters in a VALUES list as text: each gets its column's type.
    const tuples = batch.map(([k, v]) => `(${mark(k, keyColumn, `::${keyColumn.getSQLType()}`)}, ${mark(v, valueColumn, `::${valueColumn.getSQLType()}`)})`);
    await store.execute(
      `update "${tableName}" set "${valueColumn.name}" = v.${postgres ? 'value' : 'column2'} from (values ${tuples.join(', ')}) as v${postgres ? '(key, value)' : ''} where "${tableName}"."${keyColumn.name}" = v.${postgres ? 'key' : 'column1'}`,
      params,
    );
  }
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
