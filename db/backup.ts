import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/** What a backup produced. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** What `PRAGMA integrity_check` found wrong with the copy; empty when it answered `ok`. */
  problems: string[];
}

/** `<dir>/zhaoshang-2026-01-15T01-30-00Z.db`: UTC, sortable, no characters a file system refuses. */
export function defaultBackupPath(now: Date, dir = './data/backups'): string {
  return join(dir, `zhaoshang-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.db`);
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
