/**
 * Hundreds of malformed card callbacks and command lines, as a forged client or a careless typist
 * would send them: every one is answered, no handler throws, the bot stays up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { county, GROUP, type Harness, startHarness, textOf } from '../support/bot-harness';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const ACTIONS = [
  'lead.submit',
  'lead.confirm',
  'lead.cancel',
  'progress.submit',
  'milestone.submit',
  'done.submit',
  'signed.dates',
  'project.progress',
  'project.milestone',
  'project.done',
  'milestone.done',
  'milestone.move',
  'history.page',
  'esc.ack.form',
  'esc.ack',
  'esc.snooze',
  'esc.supervise',
  'esc.summon',
  'esc.reassign',
  'standings.page',
  'constructor',
  'hasOwnProperty',
  'valueOf',
  'toString',
  '__proto__',
  'prototype',
  '',
  ' ',
  '无此操作',
];
/** Strings a forged button could carry, most of them well-formed enough to reach a handler. */
const STRINGS = [
  '1',
  '2',
  '3',
  '0',
  '-1',
  '99999999999999999999',
  '1e3',
  'NaN',
  '',
  ' ',
  'ZS-2026-0001',
  '2026-13-45',
  '2026-12-31',
  '<at id=all></at>',
  '../../etc',
];
/** What no button of the bot's carries: other types, prototype tricks, a value far too long. */
const NON_STRINGS: unknown[] = [
  1,
  -1,
  3.5,
  true,
  false,
  null,
  [],
  ['1'],
  [1, 2],
  {},
  { toString: 'boom' },
  { valueOf: 1 },
  { __proto__: { a: 1 } },
  'x'.repeat(5000),
];
const COMMANDS = [
  '线索',
  'lead',
  '进展',
  '阶段',
  '节点',
  '完成',
  '到位',
  '就业',
  '项目',
  '我的',
  '预警',
  '记录',
  '排名',
  '通报',
  '引荐',
  '指派',
  '帮助',
  '巡检',
  '台账',
  '没有这个',
];
const SOUP = [
  'ZS-2026-0001',
  'ZS-2026-',
  '投资方:',
  '金额:',
  '1.2亿',
  '-5万',
  '１２３',
  '：',
  '"',
  "'",
  '@_user_9',
  '\n',
  '    ',
  '搁置',
  '流失',
  '复核:明天',
  '原因:',
  '2026-02-30',
  '下周五',
  '<b>',
  '*',
  '`',
  '🎉',
  '\u0000',
  '\u202e',
  '∞',
  'constructor',
  '__proto__',
];

describe('the bot under malformed input', () => {
  let h: Harness;
  let code: string;
  let cardMessageId: string;
  beforeAll(async () => {
    h = await startHarness();
    const [registered] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 模糊测试项目 投资方:模糊测试公司'));
    code = /ZS-\d{4}-\d{4}/.exec(textOf(registered))![0];
    const [card] = await h.sendAndWaitReplies(h.groupMessage(county.official, `/项目 ${code}`));
    cardMessageId = card!.messageId;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 300 forged card callbacks with a toast or a card, none failing in a handler', async () => {
    const { next, pick } = random(20261201);
    const people = Object.values(county).map((p) => p.openId);
    const answers = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const event = h.sandbox.cardActionEvent({ operatorOpenId: pick(people), messageId: cardMessageId });
      const scalar = () => (next() < 0.95 ? pick(STRINGS) : pick(NON_STRINGS));
      const value: Record<string, unknown> = { action: next() < 0.9 ? pick(ACTIONS) : scalar() };
      for (const key of ['project', 'milestone', 'episode', 'level', 'round', 'form', 'page', 'pending', 'period']) if (next() < 0.3) value[key] = scalar();
      const action: Record<string, unknown> = { tag: 'button', value: next() < 0.95 ? value : scalar() };
      if (next() < 0.5) {
        const form: Record<string, unknown> = {};
        for (const key of [
          'name',
          'investor',
          'note',
          'reason',
          'dueDate',
          'doneDate',
          'nextStep',
          'days',
          'task',
          'when',
          'attendees',
          'newOwner',
          'owner',
          'amount',
          'constructor',
        ]) {
          if (next() < 0.5) form[key] = next() < 0.2 ? [pick(STRINGS), pick(STRINGS)] : scalar();
        }
        action.form_value = next() < 0.9 ? form : scalar();
      }
      (event.event as unknown as { action: unknown }).action = action;
      const answer = await h.sandbox.deliverEvent(h.webhookUrl, event);
      expect(answer.status, JSON.stringify(action).slice(0, 200)).toBe(200);
      const body = answer.body as { toast?: { content: string }; card?: unknown } | undefined;
      expect(body?.toast ?? body?.card, JSON.stringify(action).slice(0, 200)).toBeDefined();
      expect(body?.toast?.content ?? '', JSON.stringify(action).slice(0, 200)).not.toBe('已收到，正在处理…');
      answers.set(body?.toast?.content ?? 'card', (answers.get(body?.toast?.content ?? 'card') ?? 0) + 1);
    }
    // Most reached a handler: the forged values were refused there, not only at the door.
    expect(answers.get('无法识别的操作') ?? 0).toBeLessThan(150);
    expect(await h.app.queues.larkEvents.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 120_000);

  it('answers 150 garbled command lines, each with a reply', async () => {
    const { next, pick } = random(7);
    for (let i = 0; i < 150; i++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 8) }, () => (next() < 0.3 ? code : pick(SOUP)));
      const line = `/${pick(COMMANDS)} ${words.join(next() < 0.5 ? ' ' : '')}`;
      const replies = await h.sendAndWaitReplies(h.groupMessage(next() < 0.5 ? county.official : county.stranger, line));
      expect(replies.length, line).toBeGreaterThan(0);
    }
    expect(await h.app.queues.larkEvents.getJobCounts('failed')).toEqual({ failed: 0 });
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    expect(h.sandbox.messages().every((m) => m.chatId === GROUP || m.recipientOpenId !== undefined)).toBe(true);
  }, 120_000);
});
