import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { postgresTool } from './postgres-tools';

/** What a backup produced. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** What the check of the copy found wrong (SQLite's integrity_check, pg_restore's reading); empty when none. */
  problems: string[];
}

/**
 * `<dir>/zhaoshang-2026-01-15T01-30-00Z.db` (SQLite) or `.dump` (PostgreSQL's archive): UTC,
 * sortable, no characters a file system refuses.
 */
export function defaultBackupPath(now: Date, extension: 'db' | 'dump' = 'db', dir = './data/backups'): string {
  return join(dir, `zhaoshang-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.${extension}`);
}

/**
 * Copies the SQLite database at `sourcePath` to `destPath` while the bot keeps writing: SQLite's
 * online backup through a connection of its own (in WAL mode the bot's writes go on meanwhile), so
 * the copy is one consistent moment of the database. The copy is made a single self-contained file
 * (no -wal) and checked with `PRAGMA integrity_check`. Refuses to overwrite an existing file.
 */
export async function backupDatabase(sourcePath: string, destPath: string): Promise<BackupResult> {
  if (existsSync(destPath)) throw new Error(`${destPath} already exists; choose another destination`);
  mkdirSync(dirname(destPath), { recursive: true });
  const source = new Database(sourcePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // All remaining pages in one step: a write by the bot between steps restarts the copy, so
    // small steps could restart forever under steady writes.
    await source.backup(destPath, { progress: ({ remainingPages }) => remainingPages });
  } finally {
    source.close();
  }
  const copy = new Database(destPath, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const answers = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    return { path: destPath, bytes: statSync(destPath).size, problems: answers.filter((answer) => answer !== 'ok') };
  } finally {
    copy.close();
  }
}

/** Tables whose rows a PostgreSQL backup must hold: an archive without them is not the bot's. */
const ESSENTIAL_TABLES = ['projects', 'project_history', 'people', 'units'];

/**
 * Copies the PostgreSQL database at `url` to `destPath` with pg_dump's custom format: one
 * consistent snapshot taken while the bot keeps writing, restorable with pg_restore (README,
 * Operations). The copy is checked by reading its table of contents back with pg_restore.
 */
export async function backupPostgres(url: string, destPath: string): Promise<BackupResult> {
  if (existsSync(destPath)) throw new Error(`${destPath} already exists; choose another destination`);
  mkdirSync(dirname(destPath), { recursive: true });
  const run = promisify(execFile);
  await run(postgresTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', '--file', destPath, '--dbname', url]);
  const { stdout: contents } = await run(postgresTool('pg_restore'), ['--list', destPath], { maxBuffer: 64 * 2 ** 20 });
  const missing = ESSENTIAL_TABLES.filter((table) => !new RegExp(`TABLE DATA public ${table} `).test(contents));
  return { path: destPath, bytes: statSync(destPath).size, problems: missing.map((table) => `the archive holds no data of ${table}`) };
}
