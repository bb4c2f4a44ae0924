import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import type { SandboxUser } from '../../sandbox/lark-sandbox';
import { addPowerCompany, county, GROUP, type Harness, powerCompany, startHarness, textOf } from '../support/bot-harness';
import { cardTaps } from '../support/card-taps';

/**
 * 专班: a project signed on Monday Nov 2 2026 gets its own group with the people who carry it and
 * its card pinned; commands there may leave out the code; a blocker's unit and a new owner join it;
 * Lark's refusals are reported once; a group the bot was removed from is made anew on request.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;
let { toastOf, submitForm } = {} as ReturnType<typeof cardTaps>;
let P: string;
/** A coordinator Lark will not put in a group: outside the app's availability. */
const outsider: SandboxUser = { openId: 'ou_outsider', name: '田协调', available: false };

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
const t = () => h.app.store.tables;
const project = async () => (await h.app.store.db.select().from(t().projects).where(eq(t().projects.code, P)).limit(1))[0]!;
const group = async () => {
  const { workGroups } = t();
  const { id } = await project();
  return (await h.app.store.db.select().from(workGroups).where(eq(workGroups.projectId, id)).limit(1))[0];
};
const chatOf = async () => {
  const chatId = (await group())?.chatId;
  return h.sandbox.createdChats().find((c) => c.chatId === chatId);
};
const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 250 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 20));
  if (!(await ok())) throw new Error(`timed out waiting for ${what}`);
};
const groupIs = async (ok: (g: Awaited<ReturnType<typeof group>>) => boolean) => ok(await group());
/** Says something in the project's group, @-mentioning the bot, and waits for the reply. */
async function inGroup(who: SandboxUser, text: string) {
  const event = h.sandbox.messageEvent({
    chatId: (await group())!.chatId!,
    chatType: 'group',
    senderOpenId: who.openId,
    text: `@_user_1 ${text}`,
    mentions: [{ key: '@_user_1', openId: h.sandbox.botOpenId, name: h.sandbox.botName }],
  });
  expect((await h.sandbox.deliverEvent(h.webhookUrl, event)).status).toBe(200);
  const [reply] = await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
  return reply;
}

beforeAll(async () => {
  setClock('2026-11-02T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  ({ toastOf, submitForm } = cardTaps(h));
  await addPowerCompany(h);
  h.sandbox.addUser(outsider);
  const clock = () => Date.now();
  const centre = (await createUnitsRepository({ store: h.app.store, clock }).byName('县招商服务中心'))!;
  await createPeopleRepository({ store: h.app.store, clock }).upsertFromRoster({ ...outsider, unitId: centre.id, role: 'coordinator' });
  const [reply] = await h.sendAndWaitReplies(
    h.groupMessage(county.official, '/lead 富硒茶深加工 投资方:某茶业集团 负责人:@{钱主任} 包抓:@{孙副县长}', [county.owner, county.leader]),
  );
  P = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
});
afterAll(async () => {
  await h?.close();
});

describe('a signed project’s work group', () => {
  it('is made at signing, named for the project, with the people who carry it and its card pinned', async () => {
    await say(county.owner, `/阶段 ${P} 洽谈`);
    await say(county.owner, `/阶段 ${P} 签约`);
    await until('the group', () => groupIs((g) => g?.status === 'active' && g?.cardPostedAt !== null));
    const chat = (await chatOf())!;
    expect(chat.name).toBe(`【专班】富硒茶深加工 ${P}`);
    expect(chat.ownerOpenId).toBe(county.owner.openId);
    for (const person of [county.owner, county.townHead, county.leader, county.coordinator]) expect(chat.memberOpenIds, person.name).toContain(person.openId);
    expect(chat.memberOpenIds).not.toContain(county.stranger.openId);
    expect((await project()).workChatId).toBe(chat.chatId);
    await until('the pin', () => h.sandbox.pins(chat.chatId).length === 1);
    const pinned = h.sandbox.messages().find((m) => m.messageId === h.sandbox.pins(chat.chatId)[0]!.messageId);
    expect(textOf(pinned)).toContain(P);
  });

  it('tells the coordinators once about someone Lark would not add, and keeps the others', async () => {
    expect((await chatOf())!.memberOpenIds).not.toContain(outsider.openId);
    await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('田协调'));
    expect(
      (await h.app.store.db.select().from(t().deliveryFailures)).filter((f) => f.target.startsWith('workgroup-member:') && f.target.endsWith(outsider.openId)),
    ).toHaveLength(1);
  });

  it('takes commands without the project code', async () => {
    const reply = await inGroup(county.owner, '/进展 客商设备已进场');
    expect(textOf(reply)).toContain(P);
    expect(textOf(await inGroup(county.leader, '/项目'))).toContain('富硒茶深加工');
  });

  it('gets the overdue milestone digest that went to the registering group before', async () => {
    await inGroup(county.owner, '/节点 环评批复 2026-10-30'); // already overdue
    const jobs = await h.app.queues.reminders.getJobs(['delayed', 'waiting']);
    const overdue = jobs.find((j) => j.id?.startsWith('nudge-'));
    if (!overdue) throw new Error('no reminder armed');
    setClock(`${overdue.data.day}T09:00:00`);
    await overdue.promote();
    const { chatId } = (await group())!;
    const digestId = `digest-chat-${chatId}-${overdue.data.day}`;
    let digestJob = await h.app.queues.reminders.getJob(digestId);
    for (let i = 0; i < 100 && !digestJob; i++) {
      await new Promise((r) => setTimeout(r, 20));
      digestJob = await h.app.queues.reminders.getJob(digestId);
    }
    await digestJob!.promote();
    const [digest] = await h.sandbox.waitForMessages((m) => m.chatId === chatId && textOf(m).includes('逾期节点通报'));
    expect(textOf(digest)).toContain('环评批复');
    expect(h.sandbox.messages().some((m) => m.chatId === GROUP && textOf(m).includes('逾期节点通报'))).toBe(false);
  });

  it('takes in the unit a new blocker is handed to, and hears of it', async () => {
    await inGroup(county.owner, `/问题 用电 厂区10kV专线未接入 单位:${powerCompany.name}`);
    await until('the unit head in the group', async () => (await chatOf())!.memberOpenIds.includes(powerCompany.head.openId));
    const { chatId } = (await group())!;
    await h.sandbox.waitForMessages((m) => m.chatId === chatId && textOf(m).includes('新问题'));
  });

  it('takes in a new owner after 改派', async () => {
    // Idle since Nov 2: a signed project stalls after 30 working days; three more bring the unit head.
    setClock('2026-12-15T09:00:00');
    await h.app.escalations.scan();
    setClock('2026-12-18T09:00:00');
    await h.app.escalations.scan();
    const { chatId } = (await group())!;
    await h.sandbox.waitForMessages((m) => m.chatId === chatId && textOf(m).includes('项目预警'));
    const [notice] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.townHead.openId && textOf(m).includes('项目预警'));
    const answer = await submitForm(county.townHead.openId, notice!, 'esc.reassign.form', 'esc.reassign', {
      newOwner: county.official.openId,
      reason: '原负责人岗位调整',
    });
    expect(toastOf(answer)?.type).toBe('success');
    await until('the new owner in the group', async () => (await chatOf())!.memberOpenIds.includes(county.official.openId));
  });
});

describe('a group the bot was removed from', () => {
  it('sends the project’s messages back to the registering group, tells the coordinators once, and is made anew on /专班', async () => {
    const chatId = (await group())!.chatId!;
    const removed = h.sandbox.removeBotFromChat(chatId, county.owner.openId);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, removed)).status).toBe(200);
    await until('the group marked removed', () => groupIs((g) => g?.status === 'removed'));
    expect((await project()).workChatId).toBeNull();
    await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('移出'));
    const reply = textOf(await say(county.official, `/专班 ${P}`)); // the owner since 改派
    expect(reply).toContain('正在');
    await until('a new group', () => groupIs((g) => g?.status === 'active' && g?.chatId !== chatId));
    expect((await group())!.generation).toBe(2);
  });
});
