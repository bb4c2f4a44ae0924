import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster, parseRoster } from '../../../bot/leads/roster-import';
import { createPeopleRepository, createUnitsRepository } from '../../../db/people-repository';
import type { Store } from '../../../db/store';
import { createLogger } from '../../../jobs/base/logger';
import { LarkApi } from '../../../jobs/send/lark-api';
import { LarkSandbox } from '../../../sandbox/lark-sandbox';
import { tempDir } from '../../support/temp-dir';
import { openTestStore } from '../../support/test-store';

const roster = `
units:
  - { name: 县招商服务中心, kind: department }
  - { name: 城关镇, kind: township }
people:
  - { name: 王主任, mobile: "13800000001", unit: 县招商服务中心, role: coordinator }
  - { name: 李镇长, email: li@county.gov.cn, unit: 城关镇, role: unit_head }
  - { name: 张副县长, open_id: ou_leader, role: leader }
  - { name: 查无此人, mobile: "13900000000" }
`;

let sandbox: LarkSandbox;
let lark: LarkApi;
let store: Store;
const dir = tempDir('roster');
const clock = () => Date.now();

beforeAll(async () => {
  const secrets = { appId: `cli_${randomBytes(8).toString('hex')}`, appSecret: 's', encryptKey: 'k', verificationToken: 'v' };
  sandbox = await LarkSandbox.start({
    ...secrets,
    users: [
      { openId: 'ou_coordinator', name: '王主任', mobile: '13800000001' },
      { openId: 'ou_head', name: '李镇长', email: 'li@county.gov.cn' },
      { openId: 'ou_leader', name: '张副县长' },
    ],
  });
  lark = new LarkApi({ ...secrets, domain: sandbox.url }, createLogger('silent'));
  store = await openTestStore(dir.path);
});
afterAll(async () => {
  await store?.close();
  await sandbox?.stop();
  dir.remove();
});

const run = () =>
  importRoster(parseRoster(roster), {
    store,
    units: createUnitsRepository({ store, clock }),
    people: createPeopleRepository({ store, clock }),
    openIdsByContact: (q) => lark.openIdsByContact(q),
  });

describe('roster import', () => {
  it('resolves mobiles and emails through Lark, imports units and roles, and lists who was not found', async () => {
    const result = await run();
    expect(result).toMatchObject({ units: 2, people: 3 });
    expect(result.unresolved.join()).toContain('查无此人');
    const people = createPeopleRepository({ store, clock });
    const town = (await createUnitsRepository({ store, clock }).byName('城关镇'))!;
    expect(await people.get('ou_coordinator')).toMatchObject({ role: 'coordinator', source: 'roster' });
    expect(await people.get('ou_head')).toMatchObject({ role: 'unit_head', unitId: town.id });
    expect(await people.get('ou_leader')).toMatchObject({ role: 'leader', unitId: null });
  });

  it('changes nothing when the same file is imported again', async () => {
    const snapshot = () => store.rows(sql`select open_id, name, unit_id, role from people order by open_id`);
    const before = await snapshot();
    await run();
    expect(await snapshot()).toEqual(before);
    expect(await createUnitsRepository({ store, clock }).all()).toHaveLength(2);
  });

  it('refuses a file with mistakes, naming each one', () => {
    expect(() => parseRoster('people:\n  - { name: 无联系方式 }\n  - { name: 错角色, open_id: ou_x, role: boss }\n')).toThrow(
      /people\.0[\s\S]*people\.1\.role/,
    );
    expect(() => parseRoster('units: []\npeople:\n  - { name: 某人, open_id: ou_y, unit: 不存在的镇 }\n')).toThrow(/不存在的镇/);
    expect(() => parseRoster(`units:\n  - { name: ${'长'.repeat(31)}, kind: department }\n`)).toThrow(/units\.0\.name: 单位名称最多 30 字/);
  });
});
