import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase, defaultBackupPath } from '../../db/backup';
import { openStore } from '../../db/open-store';
import { createPeopleRepository } from '../../db/people-repository';
import { postgresTool } from '../../db/postgres-tools';
import { createProjectsRepository } from '../../db/projects-repository';
import { openSqliteStore } from '../../db/sqlite-store';
import type { Store } from '../../db/store';
import { formatProjectCode } from '../../domain/project-code';
import { createDatabase } from '../support/postgres';
import { tempDir } from '../support/temp-dir';
import { testDatabaseEnv, testDialect } from '../support/test-store';

const dir = tempDir('backup');
afterAll(() => dir.remove());

let sequence = 0;
/** Registers one project as the bot does: the project row and its first history entry in one transaction. */
async function registerProject(store: Store) {
  const n = ++sequence;
  return createProjectsRepository({ store, clock: Date.now }).register(
    {
      year: 2026,
      name: `备份测试项目${n}`,
      investor: `投资方${n}`,
      investorKey: `investor-${n}`,
      plannedInvestmentWan: n,
      industry: null,
      channel: null,
      referrer: null,
      note: 'x'.repeat(200),
      unitId: null,
      ownerOpenId: 'ou_owner',
      leaderOpenId: null,
      createdBy: 'ou_owner',
      sourceChatId: null,
      sourceKey: `backup-${n}`,
    },
    formatProjectCode,
  );
}

const count = async (store: Store, table: string) => Number((await store.rows<{ n: unknown }>(sql`select count(*) as n from ${sql.raw(table)}`))[0]!.n);

/**
 * Fills `store` with 2,000 projects, then runs `npm run backup -- dest` with `env` while writes go
 * on, one transaction per turn of the event loop: what the copy must be one moment of.
 */
async function backupWhileWriting(store: Store, env: Record<string, string>, dest: string) {
  await createPeopleRepository({ store, clock: Date.now }).upsertFromRoster({ openId: 'ou_owner', name: '钱主任', unitId: null, role: 'official' });
  for (let i = 0; i < 2_000; i++) await registerProject(store);
  let writing = true;
  const writes = (async () => {
    while (writing) {
      await registerProject(store);
      await new Promise((r) => setImmediate(r));
    }
  })();
  const before = await count(store, 'projects');
  const cli = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/backup.ts', dest], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
  writing = false;
  await writes;
  const after = await count(store, 'projects');
  return { code, output, before, after };
}

/** One moment of the database: between the counts seen before and after, and every project with the history entry of its transaction. */
async function expectOneMoment(restored: Store, before: number, after: number) {
  const projects = await count(restored, 'projects');
  expect(projects).toBeGreaterThanOrEqual(before);
  expect(projects).toBeLessThanOrEqual(after);
  expect(await count(restored, 'project_history')).toBe(projects);
}

// SQLite's own online backup of its file; the PostgreSQL half below.
describe.skipIf(testDialect === 'postgres')('npm run backup, SQLite', () => {
  it('copies the database while the bot writes, and the copy restores to a consistent database', async () => {
    const databasePath = join(dir.path, 'live', 'zs.db');
    const store = openSqliteStore(databasePath);
    const dest = join(dir.path, 'backups', 'copy.db');
    const { code, output, before, after } = await backupWhileWriting(store, { DATABASE_PATH: databasePath }, dest);
    await store.close();
    expect(code, output).toBe(0);
    expect(output).toMatch(/integrity ok/);
    expect(after - before).toBeGreaterThan(10);
    // A single file: nothing of it lives in a -wal beside it.
    expect(existsSync(`${dest}-wal`)).toBe(false);

    // Restore as README says: the bot stopped, the copy over DATABASE_PATH, no -wal/-shm left.
    const restoredPath = join(dir.path, 'restored', 'zs.db');
    await openSqliteStore(restoredPath).close();
    copyFileSync(dest, restoredPath);
    const restored = openSqliteStore(restoredPath);
    try {
      expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      await expectOneMoment(restored, before, after);
    } finally {
      await restored.close();
    }
  }, 20_000);

  it('names a default destination by UTC time, and never overwrites a file', async () => {
    expect(defaultBackupPath(new Date('2026-01-15T01:30:05.123Z'))).toBe(join('data', 'backups', 'zhaoshang-2026-01-15T01-30-05Z.db'));
    const source = join(dir.path, 'small.db');
    await openSqliteStore(source).close();
    const taken = join(dir.path, 'taken.db');
    writeFileSync(taken, 'keep me');
    await expect(backupDatabase(source, taken)).rejects.toThrow(/already exists/);
    expect((await backupDatabase(source, join(dir.path, 'fresh', 'small-copy.db'))).problems).toEqual([]);
  });
});

describe.skipIf(testDialect === 'sqlite')('npm run backup, PostgreSQL', () => {
  it('dumps the database while the bot writes, and the dump restores into a fresh database that carries on', async () => {
    const env = await testDatabaseEnv(join(dir.path, 'pg-live'));
    const store = await openStore({ databasePath: env.DATABASE_PATH, databaseUrl: env.DATABASE_URL });
    const dest = join(dir.path, 'backups', 'copy.dump');
    const { code, output, before, after } = await backupWhileWriting(store, { DATABASE_URL: env.DATABASE_URL! }, dest);
    await store.close();
    expect(code, output).toBe(0);
    expect(output).toMatch(/integrity ok/);
    expect(after - before).toBeGreaterThan(10);

    // Restore as README says: pg_restore into a new, empty database, then point DATABASE_URL at it.
    const freshUrl = await createDatabase(inject('postgresUrl'), `restored_${Date.now()}`);
    await promisify(execFile)(postgresTool('pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', freshUrl, dest]);
    const restored = await openStore({ databasePath: '', databaseUrl: freshUrl });
    try {
      await expectOneMoment(restored, before, after);
      // Still append-only, and the next project gets the next code and id: the sequences came along.
      await expect(restored.rows(sql`update project_history set action = 'edited'`)).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/append-only/) },
      });
      const projects = await count(restored, 'projects');
      const { project } = await registerProject(restored);
      expect(project.code).toBe(formatProjectCode(2026, projects + 1));
    } finally {
      await restored.close();
    }
  }, 30_000);

  it('names its default destination .dump', () => {
    expect(defaultBackupPath(new Date('2026-01-15T01:30:05.123Z'), 'dump')).toBe(join('data', 'backups', 'zhaoshang-2026-01-15T01-30-05Z.dump'));
  });
});
