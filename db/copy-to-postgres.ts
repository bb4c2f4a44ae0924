import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Store, Tables } from './store';

/** Rows read and written a statement at a time: far below both dialects' limits on bound values. */
const PAGE = 500;

export interface CopiedTable {
  table: string;
  rows: number;
}

/**
 * Copies every row of a county's SQLite database into an empty PostgreSQL database migrated to the
 * same schema, in one PostgreSQL transaction (all or nothing), tables before the tables that refer
 * to them and each table in its rows' order, then moves every id sequence past the copied ids so
 * the next project gets the next id, and gathers the planner's statistics. The SQLite side is only read.
 */
export async function copyToPostgres(from: Store, to: Store, options: { pageRows?: number } = {}): Promise<CopiedTable[]> {
  const pageRows = options.pageRows ?? PAGE;
  if (from.dialect !== 'sqlite' || to.dialect !== 'postgres') throw new Error('copies from SQLite to PostgreSQL only');
  const names = dependencyOrder(to.tables);
  const copied = await to.transaction(async () => {
    const occupied = [];
    for (const name of names) if ((await to.db.select().from(to.tables[name]).limit(1)).length > 0) occupied.push(getTableName(to.tables[name]));
    if (occupied.length > 0) throw new Error(`目标库不是空的（${occupied.join('、')} 已有数据）：请复制到新建的空库`);
    const copied: CopiedTable[] = [];
    for (const name of names) {
      const source = from.tables[name];
      let rows = 0;
      // rowid: the order rows were written in, so a row that refers to an earlier one of its table
      // comes after it. Each page starts after the last one's rowid: an offset would be counted
      // through from the start every time, for a county's million history entries.
      const columns = getTableColumns(source);
      for (let after = 0; ; ) {
        const page = await from.db
          .select({ ...columns, rowid: sql<number>`rowid` })
          .from(source)
          .where(sql`rowid > ${after}`)
          .orderBy(sql`rowid`)
          .limit(pageRows);
        if (page.length === 0) break;
        after = page.at(-1)!.rowid;
        await to.db.insert(to.tables[name]).values(page.map(({ rowid: _, ...row }) => row) as never);
        rows += page.length;
      }
      await restartIdentity(to, to.tables[name]);
      copied.push({ table: getTableName(to.tables[name]), rows });
    }
    return copied;
  });
  // Tables filled at once have no planner statistics until autovacuum comes round (up to a minute
  // or more): until then PostgreSQL plans as if they were empty, e.g. a full read of 400,000
  // milestones for 500 projects' worth.
  await to.refreshStatistics();
  return copied;
}

/** Tables named in an order where each comes after every table it refers to. */
function dependencyOrder(tables: Tables): (keyof Tables)[] {
  const names = Object.keys(tables) as (keyof Tables)[];
  const byTable = new Map(names.map((name) => [tables[name] as PgTable, name]));
  const ordered: (keyof Tables)[] = [];
  const visit = (name: keyof Tables) => {
    if (ordered.includes(name)) return;
    for (const fk of getTableConfig(tables[name] as PgTable).foreignKeys) {
      const parent = byTable.get(fk.reference().foreignTable);
      if (parent && parent !== name) visit(parent);
    }
    ordered.push(name);
  };
  names.forEach(visit);
  return ordered;
}

/** An identity column's sequence continues after the largest copied value. */
async function restartIdentity(to: Store, table: PgTable): Promise<void> {
  for (const column of getTableConfig(table).columns) {
    if (!column.primary || !column.generatedIdentity) continue;
    const name = getTableName(table);
    await to.rows(
      sql`select setval(pg_get_serial_sequence(${`"${name}"`}, ${column.name}), coalesce((select max(${sql.identifier(column.name)}) from ${sql.identifier(name)}), 0) + 1, false)`,
    );
  }
}
