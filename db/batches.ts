/**
 * Rows per multi-row statement: SQLite binds at most 32,766 values a statement and PostgreSQL
 * 65,535; 500 rows of our widest table stay far below both.
 */
export const BATCH_ROWS = 500;

export function* inBatches<T>(items: readonly T[], size = BATCH_ROWS): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
