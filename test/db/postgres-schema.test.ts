import { randomUUID } from 'node:crypto';
import { getTableName, sql } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pgJournal from '../../db/migrations-pg/meta/_journal.json' with { type: 'json' };
import { openPostgres } from '../../db/postgres';
import * as sqliteSchema from '../../db/schema';
import * as pgSchema from '../../db/schema-pg';
import { createDatabase } from '../support/postgres';
import { testDialect } from '../support/test-store';

const freshDatabase = () => createDatabase(inject('postgresUrl'), `schema_${randomUUID().replaceAll('-', '')}`);

/** What both dialects' getTableConfig tell of a table, as far as this test compares them. */
interface TableConfig {
  name: string;
  columns: { name: string; notNull: boolean; primary: boolean; isUnique: boolean }[];
  indexes: { config: { name?: string; unique: boolean } }[];
  primaryKeys: { columns: { name: string }[] }[];
  foreignKeys: { getName(): string }[];
}

function shape(configs: TableConfig[]) {
  return Object.fromEntries(
    configs.map(({ name, columns, indexes, primaryKeys, foreignKeys }) => [
      name,
      {
        columns: Object.fromEntries(columns.map((c) => [c.name, { notNull: c.notNull, primary: c.primary, unique: c.isUnique }])),
        indexes: Object.fromEntries(indexes.map((i) => [i.config.name, i.config.unique])),
        primaryKeys: primaryKeys.map((k) => k.columns.map((c) => c.name)),
        foreignKeys: foreignKeys.map((k) => k.getName()).sort(),
      },
    ]),
  );
}

// Needs the run's PostgreSQL cluster: the postgres half of the suite runs it.
describe.skipIf(testDialect === 'sqlite')('the PostgreSQL schema', () => {
  const at = new Date('2026-03-01T08:09:10.123Z');
  const changes = { stage: { from: 'lead', to: 'signed' }, note: '签约', amounts: [1.5, 2] };
  let url: string;
  let postgres: Awaited<ReturnType<typeof openPostgres>>;

  beforeAll(async () => {
    url = await freshDatabase();
    postgres = await openPostgres(url);
    const { db } = postgres;
    await db.insert(pgSchema.units).values({ name: '县发改局', kind: 'department', createdAt: at });
    await db.insert(pgSchema.people).values({ openId: 'ou_owner', name: '张三', source: 'roster', createdAt: at, updatedAt: at });
    const [project] = await db
      .insert(pgSchema.projects)
      .values({
        code: 'ZS-2026-001',
        year: 2026,
        seq: 1,
        name: '茶叶精深加工',
        investor: '某茶业有限公司',
        investorKey: '某茶业',
        ownerOpenId: 'ou_owner',
        createdBy: 'ou_owner',
        sourceKey: 'msg-1',
        createdAt: at,
        updatedAt: at,
        lastActivityAt: at,
      })
      .returning();
    await db.insert(pgSchema.projectHistory).values({ projectId: project!.id, at, actorOpenId: 'ou_owner', action: 'stage', changes });
  });
  afterAll(async () => {
    await postgres?.close();
  });

  it('has every table, column, index and key of the SQLite one', () => {
    // schema.ts's tables are typed as PostgreSQL's (see db/column-kits.ts) but are SQLite's at run time.
    const sqlite = shape(Object.values(sqliteSchema).map((table) => getSqliteTableConfig(table as unknown as SQLiteTable)));
    const pg = shape(Object.values(pgSchema).map((table) => getPgTableConfig(table)));
    expect(Object.keys(sqlite)).toHaveLength(21);
    expect(pg).toEqual(sqlite);
  });

  it('migrates an empty database into exactly the tables and columns of db/schema-pg.ts', async () => {
    const { rows } = await postgres.pool.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
    );
    const migrated = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const declared = new Set(Object.values(pgSchema).flatMap((table) => getPgTableConfig(table).columns.map((c) => `${getTableName(table)}.${c.name}`)));
    // A difference means db/schema-definition.ts changed without `drizzle-kit generate --config drizzle.pg.config.ts`.
    expect(migrated).toEqual(declared);
  });

  it('applies nothing the second time, nor twice when two processes migrate one database at once', async () => {
    const applied = async ({ pool }: typeof postgres) => (await pool.query('select hash from drizzle.__drizzle_migrations order by id')).rows;
    const before = await applied(postgres);
    // Every migration generated for PostgreSQL, once.
    expect(before).toHaveLength(pgJournal.entries.length);
    const again = await openPostgres(url);
    expect(await applied(again)).toEqual(before);
    await again.close();

    const racing = await freshDatabase();
    const both = await Promise.all([openPostgres(racing), openPostgres(racing)]);
    expect(await applied(both[0])).toEqual(before);
    await Promise.all(both.map((db) => db.close()));
  });

  it('keeps milliseconds and gives JSON back as objects', async () => {
    const [entry] = await postgres.db.select().from(pgSchema.projectHistory);
    expect(entry!.at).toBeInstanceOf(Date);
    expect(entry!.at.getTime()).toBe(at.getTime());
    expect(entry!.changes).toEqual(changes);
  });

  it('refuses to update, delete or truncate project history', async () => {
    const { db } = postgres;
    const appendOnly = { cause: expect.objectContaining({ message: expect.stringContaining('project_history is append-only') }) };
    await expect(db.update(pgSchema.projectHistory).set({ action: 'rewritten' })).rejects.toMatchObject(appendOnly);
    await expect(db.delete(pgSchema.projectHistory)).rejects.toMatchObject(appendOnly);
    await expect(db.execute(sql`truncate project_history`)).rejects.toMatchObject(appendOnly);
    expect(await db.$count(pgSchema.projectHistory)).toBe(1);
  });
});
