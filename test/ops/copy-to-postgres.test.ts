import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { loadDemo } from '../../bot/sandbox-mode/demo-data';
import { copyToPostgres } from '../../db/copy-to-postgres';
import { openPostgresStore } from '../../db/postgres-store';
import { createProjectsRepository } from '../../db/projects-repository';
import * as pgTables from '../../db/schema-pg';
import { openSqliteStore } from '../../db/sqlite-store';
import type { Store, Tables } from '../../db/store';
import { formatProjectCode } from '../../domain/project-code';
import { createDatabase } from '../support/postgres';
import { tempDir } from '../support/temp-dir';
import { testDialect } from '../support/test-store';

const copyCommand = (from: string, to: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const cli = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/copy-to-postgres.ts', '--from', from, '--to', to], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.once('exit', (code) => resolve({ code, output }));
  });

const definitions: Tables = pgTables;

/** Every row of every table, each table in primary-key order: what must arrive unchanged. */
async function everything(store: Store) {
  const all: Record<string, unknown[]> = {};
  for (const name of Object.keys(store.tables) as (keyof Tables)[]) {
    // The keys' names from the PostgreSQL definition (the same in both), ordered by name in either dialect.
    const config = getTableConfig(definitions[name] as PgTable);
    const keys = [...config.columns.filter((c) => c.primary), ...config.primaryKeys.flatMap((pk) => pk.columns)];
    all[config.name] = await store.db
      .select()
      .from(store.tables[name])
      .orderBy(...keys.map((key) => sql`${sql.identifier(key.name)}`));
  }
  return all;
}

// Needs the run's PostgreSQL cluster: the postgres half of the suite runs it.
describe.skipIf(testDialect === 'sqlite')('npm run db:copy-to-postgres', () => {
  it("moves a county's SQLite data into an empty PostgreSQL database, where the bot carries on", async () => {
    // Made here, not for the file: a file whose tests are all skipped runs no afterAll.
    const dir = tempDir('copy-to-postgres');
    onTestFinished(() => dir.remove());
    const from = join(dir.path, 'county.db');
    const county = openSqliteStore(from);
    await loadDemo(county, { now: Date.parse('2026-11-26T10:00:00+08:00'), timeZone: 'Asia/Shanghai' });
    const before = await everything(county);
    await county.close();
    const to = await createDatabase(inject('postgresUrl'), `copy_${Date.now()}`);

    const { code, output } = await copyCommand(from, to);
    expect(code, output).toBe(0);

    const province = await openPostgresStore(to);
    try {
      const after = await everything(province);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
      expect(before.projects!.length).toBeGreaterThan(0);
      expect(before.project_history!.length).toBeGreaterThan(before.projects!.length);

      // The next project takes the next code and a new id: the sequences moved past the copied ids.
      const { project } = await createProjectsRepository({ store: province, clock: Date.now }).register(
        {
          year: 2026,
          name: '迁移后的第一个项目',
          investor: '某公司',
          investorKey: '某公司',
          plannedInvestmentWan: null,
          industry: null,
          channel: null,
          referrer: null,
          note: null,
          unitId: null,
          ownerOpenId: (before.people![0] as { openId: string }).openId,
          leaderOpenId: null,
          createdBy: (before.people![0] as { openId: string }).openId,
          sourceChatId: null,
          sourceKey: 'after-copy-1',
        },
        formatProjectCode,
      );
      const seqs = (before.projects as { year: number; seq: number }[]).filter((p) => p.year === 2026).map((p) => p.seq);
      expect(project.code).toBe(formatProjectCode(2026, Math.max(...seqs) + 1));
    } finally {
      await province.close();
    }

    // A second copy into the same, no longer empty, database writes nothing and says why.
    const again = await copyCommand(from, to);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/不是空的/);
  }, 30_000);

  it('copies every row once when a table takes many pages', async () => {
    const dir = tempDir('copy-to-postgres-pages');
    onTestFinished(() => dir.remove());
    const county = openSqliteStore(join(dir.path, 'county.db'));
    const province = await openPostgresStore(await createDatabase(inject('postgresUrl'), `copy_pages_${Date.now()}`));
    try {
      await loadDemo(county, { now: Date.parse('2026-11-26T10:00:00+08:00'), timeZone: 'Asia/Shanghai' });
      const copied = await copyToPostgres(county, province, { pageRows: 7 });
      expect(Math.max(...copied.map((t) => t.rows))).toBeGreaterThan(7 * 3);
      expect(await everything(province)).toEqual(await everything(county));
    } finally {
      await province.close();
      await county.close();
    }
  }, 30_000);
});
