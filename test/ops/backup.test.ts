import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, defaultBackupPath } from '../../db/backup';
import { type Db, openDatabase } from '../../db/client';
import { createPeopleRepository } from '../../db/people-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { formatProjectCode } from '../../domain/project-code';
import { tempDir } from '../support/temp-dir';

const dir = tempDir('backup');
afterAll(() => dir.remove());

let sequence = 0;
/** Registers one project as the bot does: the project row and its first history entry in one transaction. */
async function registerProject(db: Db) {
  const n = ++sequence;
  await createProjectsRepository({ db, clock: Date.now }).register(
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

const count = (sqlite: Database.Database, table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('npm run backup', () => {
  it('copies the database while the bot writes, and the copy restores to a consistent database', async () => {
    const databasePath = join(dir.path, 'live', 'zs.db');
    const db = openDatabase(databasePath);
    await createPeopleRepository({ db, clock: Date.now }).upsertFromRoster({ openId: 'ou_owner', name: '钱主任', unitId: null, role: 'official' });
    for (let i = 0; i < 2_000; i++) await registerProject(db);

    // Writes go on, one transaction per turn of the event loop, for as long as the backup runs.
    let writing = true;
    const writes = (async () => {
      while (writing) {
        await registerProject(db);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const before = count(db.$client, 'projects');
    const dest = join(dir.path, 'backups', 'copy.db');
    const cli = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/backup.ts', dest], {
      env: { ...process.env, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    writing = false;
    await writes;
    const after = count(db.$client, 'projects');
    db.$client.close();
    expect(code, output).toBe(0);
    expect(output).toMatch(/integrity ok/);
    expect(after - before).toBeGreaterThan(10);
    // A single file: nothing of it lives in a -wal beside it.
    expect(existsSync(`${dest}-wal`)).toBe(false);

    // Restore as README says: the bot stopped, the copy over DATABASE_PATH, no -wal/-shm left.
    const restoredPath = join(dir.path, 'restored', 'zs.db');
    const restored = openDatabase(restoredPath);
    restored.$client.close();
    copyFileSync(dest, restoredPath);
    const reopened = openDatabase(restoredPath);
    try {
      expect(reopened.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      const projects = count(reopened.$client, 'projects');
      expect(projects).toBeGreaterThanOrEqual(before);
      expect(projects).toBeLessThanOrEqual(after);
      // One moment of the database: every project has the history entry written in its transaction.
      expect(count(reopened.$client, 'project_history')).toBe(projects);
    } finally {
      reopened.$client.close();
    }
  }, 15_000);

  it('names a default destination by UTC time, and never overwrites a file', async () => {
    expect(defaultBackupPath(new Date('2026-01-15T01:30:05.123Z'))).toBe(join('data', 'backups', 'zhaoshang-2026-01-15T01-30-05Z.db'));
    const source = join(dir.path, 'small.db');
    openDatabase(source).$client.close();
    const taken = join(dir.path, 'taken.db');
    writeFileSync(taken, 'keep me');
    await expect(backupDatabase(source, taken)).rejects.toThrow(/already exists/);
    expect((await backupDatabase(source, join(dir.path, 'fresh', 'small-copy.db'))).problems).toEqual([]);
  });
});
