import { inject } from 'vitest';
import type { RunningApp } from '../../bot/process/app';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import type { PersonRole } from '../../domain/vocabulary';
import type { LarkSandbox, SandboxUser, SentMessage } from '../../sandbox/lark-sandbox';
import { type SandboxedBot, startSandboxedBot } from './sandboxed-bot';

export const GROUP = 'oc_group_zhaoshang';

/** The people of the test county: every end-to-end test starts with this roster. */
export const county = {
  official: { openId: 'ou_official', name: '赵干事' },
  owner: { openId: 'ou_owner', name: '钱主任' },
  leader: { openId: 'ou_leader', name: '孙副县长' },
  townHead: { openId: 'ou_town_head', name: '李镇长' },
  supervisor: { openId: 'ou_supervisor', name: '吴督查' },
  coordinator: { openId: 'ou_coordinator', name: '王主任' },
  stranger: { openId: 'ou_stranger', name: '周新人' },
} satisfies Record<string, SandboxUser>;

const rosterRoles: [keyof typeof county, PersonRole, string | null][] = [
  ['official', 'official', '城关镇'],
  ['owner', 'official', '城关镇'],
  ['leader', 'leader', null],
  ['townHead', 'unit_head', '城关镇'],
  ['supervisor', 'supervisor', null],
  ['coordinator', 'coordinator', '县招商服务中心'],
];

export interface Harness extends SandboxedBot {
  /** A group message that @-mentions the bot first, as Lark delivers it. Other @s: `@{name}` → placeholders. */
  groupMessage(from: SandboxUser, text: string, others?: SandboxUser[]): ReturnType<LarkSandbox['messageEvent']>;
  /** Delivers an event and waits for the bot's `count` replies to it. */
  sendAndWaitReplies(event: ReturnType<LarkSandbox['messageEvent']>, count?: number): Promise<SentMessage[]>;
}

/** The sandboxed bot with the test county's roster, on the run's shared redis-server. */
export async function startHarness(options: { clock?: () => number; redisUrl?: string } = {}): Promise<Harness> {
  const bot = await startSandboxedBot({
    redisUrl: options.redisUrl ?? inject('redisUrl'),
    clock: options.clock,
    users: Object.values(county),
    chats: [{ chatId: GROUP, name: '招商工作群', memberOpenIds: Object.values(county).map((u) => u.openId) }],
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  await seedRoster(bot.app);
  const { sandbox } = bot;
  // The same object, so that `app` and `webhookUrl` follow a restart.
  return Object.assign(bot, {
    groupMessage(from: SandboxUser, text: string, others: SandboxUser[] = []) {
      let body = text;
      for (const [i, person] of others.entries()) body = body.replaceAll(`@{${person.name}}`, `@_user_${i + 2}`);
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
    async sendAndWaitReplies(event: ReturnType<LarkSandbox['messageEvent']>, count = 1) {
      const delivered = await sandbox.deliverEvent(bot.webhookUrl, event);
      if (delivered.status !== 200) throw new Error(`webhook answered ${delivered.status}`);
      return sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id, { count });
    },
  });
}

async function seedRoster(app: RunningApp) {
  const clock = () => Date.now();
  const units = createUnitsRepository({ store: app.store, clock });
  const people = createPeopleRepository({ store: app.store, clock });
  for (const [key, role, unitName] of rosterRoles) {
    const unitId = unitName ? (await units.upsert(unitName, unitName.endsWith('镇') ? 'township' : 'department')).id : null;
    await people.upsertFromRoster({ ...county[key], unitId, role });
  }
}

/** 县供电公司, a department that solves blockers: its head, a clerk, and the county leader in charge of it (分管). */
export const powerCompany = {
  name: '县供电公司',
  head: { openId: 'ou_power_head', name: '郑经理' },
  clerk: { openId: 'ou_power_clerk', name: '冯专员' },
  deputy: { openId: 'ou_deputy', name: '陈副县长' },
};

/** Adds 县供电公司 to the roster and its people to the tenant. */
export async function addPowerCompany(h: Harness): Promise<void> {
  for (const user of [powerCompany.head, powerCompany.clerk, powerCompany.deputy]) h.sandbox.addUser(user);
  const clock = () => Date.now();
  const units = createUnitsRepository({ store: h.app.store, clock });
  const people = createPeopleRepository({ store: h.app.store, clock });
  const unit = await units.upsert(powerCompany.name, 'department');
  await people.upsertFromRoster({ ...powerCompany.head, unitId: unit.id, role: 'unit_head' });
  await people.upsertFromRoster({ ...powerCompany.clerk, unitId: unit.id, role: 'official' });
  await people.upsertFromRoster({ ...powerCompany.deputy, unitId: null, role: 'leader' });
  await units.setLeader(unit.id, powerCompany.deputy.openId);
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

/** The callback value of a card's form submit button. */
export function findFormButtonValue(card: unknown): Record<string, string> {
  let found: Record<string, string> | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.form_action_type === 'submit') found = (n.behaviors as { value: Record<string, string> }[])[0]!.value;
    Object.values(n).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error('no submit button in the card');
  return found;
}
