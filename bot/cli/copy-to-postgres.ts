/**
 * npm run db:copy-to-postgres -- [--from ./data/zhaoshang.db] [--to postgres://…]
 * Moves a county's SQLite data into an empty PostgreSQL database (README: "Running for a city or a
 * province"). Defaults: DATABASE_PATH and DATABASE_URL. Stop the bot first: what it writes during
 * the copy would not be copied.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { copyToPostgres } from '../../db/copy-to-postgres';
import { describeStore } from '../../db/open-store';
import { openPostgresStore } from '../../db/postgres-store';
import { openSqliteStore } from '../../db/sqlite-store';
import { ConfigError, readConfig } from '../process/config';

const USAGE = '用法 / usage: npm run db:copy-to-postgres -- [--from ./data/zhaoshang.db] [--to postgres://用户:密码@主机:5432/库名]';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  const config = readConfig();
  const from = values.from ?? config.databasePath;
  const to = values.to ?? config.databaseUrl;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) {
    console.error(`缺少目标 PostgreSQL：用 --to 或 DATABASE_URL 给出。\n${USAGE}`);
    process.exit(2);
  }
  if (!existsSync(from)) throw new Error(`找不到 SQLite 数据库 ${from}`);
  const source = openSqliteStore(from);
  const target = await openPostgresStore(to);
  try {
    const copied = await copyToPostgres(source, target);
    const total = copied.reduce((sum, t) => sum + t.rows, 0);
    console.log(`已复制 ${from} → ${describeStore({ databasePath: from, databaseUrl: to })}：${copied.length} 张表，共 ${total} 行`);
    for (const t of copied) if (t.rows > 0) console.log(`  ${t.table} ${t.rows}`);
    console.log('把 DATABASE_URL 设为该库后启动机器人即可。');
  } finally {
    await target.close();
    await source.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
