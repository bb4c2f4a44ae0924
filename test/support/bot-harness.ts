import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startApp, type RunningApp } from '../../bot/app';
import { readConfig } from '../../bot/config';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import type { PersonRole } from '../../db/schema';
import { LarkSandbox, type SandboxUser, type SentMessage } from '../../sandbox/lark-sandbox';
import { tempDir } from './temp-dir';

export const GROUP = 'oc_group_zhaoshang';

/** The people of the test county: every end-to-end test starts with this roster. */
export const county = {
  official: { openId: 'ou_official', name: '赵干事' },
  owner: { openId: 'ou_owner', name: '钱主任' },
  leader: { openId: 'ou_leader', name: '孙副县长' },
  coordinator: { openId: 'ou_coordinator', name: '王主任' },
  stranger: { openId: 'ou_stranger', name: '周新人' },
} satisfies Record<string, SandboxUser>;

const rosterRoles: [keyof typeof county, PersonRole, string | null][] = [
  ['official', 'official', '城关镇'],
  ['owner', 'official', '城关镇'],
  ['leader', 'leader', null],
  ['coordinator', 'coordinator', '县招商服务中心'],
];

export interface Harness {
  sandbox: LarkSandbox;
  app: RunningApp;
  webhookUrl: string;
  /** A group message that @-mentions the bot first, as Lark delivers it. Other @s: `@{name}` → placeholders. */
  groupMessage(from: SandboxUser, text: string, others?: SandboxUser[]): ReturnType<LarkSandbox['messageEvent']>;
  /** Delivers an event and waits for the bot's `count` replies to it. */
  sendAndWaitReplies(event: ReturnType<LarkSandbox['messageEvent']>, count?: number): Promise<SentMessage[]>;
  close(): Promise<void>;
}

/**
 * A real bot (webhook, workers, SQLite file, the shared real redis-server) talking to a fresh
 * sandbox through the real SDK. Each harness has its own app id, database and queue prefix.
 */
export async function startHarness(options: { clock?: () => number; redisUrl?: string } = {}): Promise<Harness> {
  const secrets = { appId: `cli_${randomBytes(8).toString('hex')}`, appSecret: 'secret', encryptKey: 'encrypt-key', verificationToken: 'verify-token' };
  const sandbox = await LarkSandbox.start({
    ...secrets,
    now: options.clock,
    users: Object.values(county),
    chats: [{ chatId: GROUP, name: '招商工作群', memberOpenIds: Object.values(county).map((u) => u.openId) }],
  });
  const dir = tempDir('e2e');
  const config = readConfig({
    LARK_APP_ID: secrets.appId,
    LARK_APP_SECRET: secrets.appSecret,
    LARK_ENCRYPT_KEY: secrets.encryptKey,
    LARK_VERIFICATION_TOKEN: secrets.verificationToken,
    LARK_DOMAIN: sandbox.url,
    PORT: '0',
    DATABASE_PATH: join(dir.path, 'zs.db'),
    REDIS_URL: options.redisUrl ?? inject('redisUrl'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const app = await startApp({ config, clock: options.clock, queuePrefix: `t-${randomBytes(4).toString('hex')}` });
  seedRoster(app);
  const webhookUrl = `${app.url}/webhook/event`;

  const harness: Harness = {
    sandbox,
    app,
    webhookUrl,
    groupMessage(from, text, others = []) {
      let body = text;
      others.forEach((person, i) => (body = body.replaceAll(`@{${person.name}}`, `@_user_${i + 2}`)));
      return sandbox.messageEvent({
        chatId: GROUP,
        chatType: 'group',
        senderOpenId: from.openId,
        text: `@_user_1 ${body}`,
        mentions: [
          { key: '@_user_1', openId: sandbox.botOpenId, name: sandbox.botName },
          ...others.map((p, i) => ({ key: `@_user_${i + 2}`, openId: p.openId, name: p.name })),
        ],
      });
    },
    async sendAndWaitReplies(event, count = 1) {
      const delivered = await sandbox.deliverEvent(webhookUrl, event);
      if (delivered.status !== 200) throw new Error(`webhook answered ${delivered.status}`);
      return sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id, { count });
    },
    async close() {
      await app.close();
      await app.queues.larkEvents.obliterate({ force: true }).catch(() => {});
      await sandbox.stop();
      dir.remove();
    },
  };
  return harness;
}

function seedRoster(app: RunningApp) {
  const clock = () => Date.now();
  const units = createUnitsRepository({ db: app.db, clock });
  const people = createPeopleRepository({ db: app.db, clock });
  for (const [key, role, unitName] of rosterRoles) {
    const unitId = unitName ? units.upsert(unitName, unitName.endsWith('镇') ? 'township' : 'department').id : null;
    people.upsertFromRoster({ ...county[key], unitId, role });
  }
}

/** The text of a message, whatever its kind: a text's text, or every string inside a card. */
export function textOf(message: SentMessage | undefined): string {
  const content = message?.latestContent;
  if (!content) return '';
  const strings: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') strings.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(content);
  return strings.join('\n');
}
