/**
 * npm run roster:import -- roster.yaml
 * Imports units and people (see README, "名册"). Safe to run again after editing the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { openStore } from '../../db/open-store';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createLogger } from '../../jobs/base/logger';
import { LarkApi } from '../../jobs/send/lark-api';
import { importRoster, parseRoster } from '../leads/roster-import';
import { systemClock } from '../process/app';
import { ConfigError, readConfig } from '../process/config';

const path = process.argv[2];
if (!path) {
  console.error('用法 / usage: npm run roster:import -- <名册文件.yaml>');
  process.exit(2);
}
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = readConfig();
  const roster = parseRoster(readFileSync(path, 'utf8'));
  const store = await openStore(config);
  const lark = new LarkApi(config.lark, createLogger(config.logLevel));
  const result = await importRoster(roster, {
    store,
    units: createUnitsRepository({ store, clock: systemClock }),
    people: createPeopleRepository({ store, clock: systemClock }),
    openIdsByContact: (query) => lark.openIdsByContact(query),
  });
  console.log(`已导入 ${result.units} 个单位、${result.people} 人。`);
  if (result.unresolved.length > 0) {
    console.log(`以下人员在飞书中找不到（手机号或邮箱有误，或不在应用可用范围内），未导入：\n  ${result.unresolved.join('\n  ')}`);
  }
  await store.close();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
