/**
 * npm run backup -- [dest]
 * Copies the bot's database while the bot runs and checks the copy: the SQLite file (DATABASE_PATH)
 * to dest or ./data/backups/zhaoshang-<UTC time>.db; with DATABASE_URL, PostgreSQL through
 * pg_dump to dest or ./data/backups/zhaoshang-<UTC time>.dump. README (Operations) tells how to restore.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { backupDatabase, backupPostgres, defaultBackupPath } from '../../db/backup';
import { describeStore } from '../../db/open-store';
import { ConfigError, readConfig } from '../process/config';

const USAGE = '用法 / usage: npm run backup -- [dest]';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const { positionals } = parseArgs({ allowPositionals: true });
  const config = readConfig();
  const [dest = defaultBackupPath(new Date(), config.databaseUrl ? 'dump' : 'db'), ...extra] = positionals;
  if (extra.length > 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const source = describeStore(config);
  const { path, bytes, problems } = config.databaseUrl ? await backupPostgres(config.databaseUrl, dest) : await backupDatabase(config.databasePath, dest);
  if (problems.length > 0) {
    console.error(`备份 ${path} 未通过完整性检查 / the copy failed its integrity check:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`已备份 ${source} → ${path}（${(bytes / 1024).toFixed(0)} KB，完整性检查通过 / integrity ok）`);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
