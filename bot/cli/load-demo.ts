/**
 * npm run demo
 * Loads the demo county (bot/sandbox-mode/demo-data.ts) into the sandbox-mode database: a roster with every
 * role, the work group's projects in every stage, overdue milestones, funds and jobs. Safe to
 * repeat. Refused when Lark credentials are set: demo projects do not belong in a real county's data.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../../db/open-store';
import { systemClock } from '../process/app';
import { ConfigError, readConfig } from '../process/config';
import { loadDemo } from '../sandbox-mode/demo-data';
import { SANDBOX_PAGE_PATH } from '../sandbox-mode/page/router';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = readConfig();
  if (!config.sandbox) throw new Error('已配置飞书应用：演示数据只能载入沙箱模式（未配置飞书应用时）的数据库。');
  const store = await openStore(config);
  const result = await loadDemo(store, { now: systemClock(), timeZone: config.timeZone });
  await store.close();
  console.log(result.loaded ? `已载入演示数据：${result.projects} 个项目及名册。` : '演示数据已在库中，未作改动。');
  console.log(`运行 npm start（已在运行则无需重启），打开 http://localhost:${config.port}${SANDBOX_PAGE_PATH} ；页面上“前进一天”即会巡检并发出提醒。`);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
