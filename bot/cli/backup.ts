/**
 * npm run backup -- [dest.db]
 * Copies the bot's SQLite database (DATABASE_PATH) while the bot runs, to dest.db or to
 * ./data/backups/zhaoshang-<UTC time>.db, and checks the copy. README (Operations) tells how to restore.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { backupDatabase, defaultBackupPath } from '../../db/backup';
import { ConfigError, readConfig } from '../process/config';

const USAGE = '用法 / usage: npm run backup -- [dest.db]';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const { positionals } = parseArgs({ allowPositionals: true });
  const [dest = defaultBackupPath(new Date()), ...extra] = positionals;
  if (extra.length > 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const { databasePath } = readConfig();
  const { path, bytes, problems } = await backupDatabase(databasePath, dest);
  if (problems.length > 0) {
    console.error(`备份 ${path} 未通过完整性检查 / the copy failed its integrity check:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`已备份 ${databasePath} → ${path}（${(bytes / 1024).toFixed(0)} KB，完整性检查通过 / integrity ok）`);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
