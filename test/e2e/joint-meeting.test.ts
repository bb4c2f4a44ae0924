import { asc, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPowerCompany, county, type Harness, powerCompany, startHarness, textOf } from '../support/bot-harness';
import { cardTaps } from '../support/card-taps';

/**
 * November 2026 (no holidays): an overdue blocker climbs its own ladder, a stalled project's notices
 * name the blockers it waits on, /问题清单 shows each person their part, and two joint meetings take
 * up what is late and chase what they decided. The tests run in calendar order.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;
let { buttonValue, tap, toastOf, submitForm } = {} as ReturnType<typeof cardTaps>;
let P: string;
/** 用电, due Wednesday Nov 4, with 县供电公司. */
let B1: number;
/** 规划, with 城关镇, flagged for the meeting. */
let B2: number;

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
const t = () => h.app.store.tables;
const blocker = async (id: number) => (await h.app.store.db.select().from(t().blockers).where(eq(t().blockers.id, id)).limit(1))[0]!;
/** The one raised last: PostgreSQL returns rows in no set order without ORDER BY. */
const latestBlockerOf = async (code: string) => {
  const { projects, blockers } = t();
  const [project] = await h.app.store.db.select().from(projects).where(eq(projects.code, code)).limit(1);
  return (await h.app.store.db.select().from(blockers).where(eq(blockers.projectId, project!.id)).orderBy(desc(blockers.id)).limit(1))[0]!;
};
const messagesTo = (openId: string, text: string) => h.sandbox.messages().filter((m) => m.recipientOpenId === openId && textOf(m).includes(text));
const waitFor = (openId: string, text: string) => h.sandbox.waitForMessages((m) => m.recipientOpenId === openId && textOf(m).includes(text));
const scanOn = async (isoLocal: string) => {
  setClock(isoLocal);
  const result = await h.app.escalations.scan();
  await new Promise((r) => setTimeout(r, 300)); // let the queued cards reach the sandbox
  return result;
};

beforeAll(async () => {
  setClock('2026-11-02T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  ({ buttonValue, tap, toastOf, submitForm } = cardTaps(h));
  await addPowerCompany(h);
  const [reply] = await h.sendAndWaitReplies(
    h.groupMessage(county.official, '/lead 包装饮用水 投资方:某水业公司 负责人:@{钱主任} 包抓:@{孙副县长}', [county.owner, county.leader]),
  );
  P = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
  await say(county.owner, `/问题 ${P} 用电 厂区10kV专线未接入 单位:${powerCompany.name} 时限:2026-11-04`);
  B1 = (await latestBlockerOf(P)).id;
  await say(county.owner, `/问题 ${P} 规划 规划条件未出具 单位:城关镇`);
  B2 = (await latestBlockerOf(P)).id;
});
afterAll(async () => {
  await h?.close();
});

describe('an overdue blocker', () => {
  it('can be put to the joint meeting by whoever holds it, but not by a stranger', async () => {
    const [card] = await waitFor(county.townHead.openId, '规划条件未出具');
    expect(toastOf(await tap(county.stranger.openId, card!, buttonValue(card, 'blocker.flag')))?.type).toBe('error');
    expect(toastOf(await tap(county.townHead.openId, card!, buttonValue(card, 'blocker.flag')))?.type).toBe('success');
    expect((await blocker(B2)).flaggedBy).toBe(county.townHead.openId);
  });

  it('is not overdue on its time limit, and tells its holder the first working day after', async () => {
    expect((await scanOn('2026-11-04T09:00:00')).opened).toBe(0);
    expect((await scanOn('2026-11-05T09:00:00')).opened).toBe(1);
    const [notice] = messagesTo(powerCompany.head.openId, '问题逾期');
    expect(textOf(notice)).toContain('厂区10kV专线未接入');
    expect(messagesTo(county.owner.openId, '问题逾期')).toHaveLength(0);
  });

  it('pauses while its holder acknowledges, then reaches the unit’s 分管领导 and the project’s 包抓领导', async () => {
    const [notice] = messagesTo(powerCompany.head.openId, '问题逾期');
    const ack = await submitForm(powerCompany.head.openId, notice!, 'esc.ack.form', 'esc.ack', { nextStep: '2026-11-09' });
    expect(toastOf(ack)?.type).toBe('success');
    await scanOn('2026-11-11T09:00:00'); // two working days after the acknowledged date
    expect(messagesTo(powerCompany.deputy.openId, '问题逾期')).toHaveLength(0);
    await scanOn('2026-11-12T09:00:00');
    for (const leader of [powerCompany.deputy, county.leader]) expect(messagesTo(leader.openId, '问题逾期'), leader.name).toHaveLength(1);
    expect(messagesTo(powerCompany.deputy.openId, '问题逾期')[0]?.urgent.flatMap((u) => u.openIds)).toContain(powerCompany.deputy.openId);
  });

  it('is in /预警 for its holder, who gets a fresh card to act on', async () => {
    const replies = await h.sendAndWaitReplies(h.groupMessage(powerCompany.head, '/预警'), 2);
    expect(replies.some((m) => textOf(m).includes('问题逾期') && JSON.stringify(m.latestContent).includes('"esc.ack.form"'))).toBe(true);
  });

  it('is not ended by progress on the project: only the blocker’s own end closes it', async () => {
    await say(county.owner, `/进展 ${P} 客商设备已进场`);
    const { escalationEpisodes } = t();
    const [episode] = await h.app.store.db
      .select()
      .from(escalationEpisodes)
      .where(eq(escalationEpisodes.causeKey, `blocker-${B1}`))
      .orderBy(asc(escalationEpisodes.id))
      .limit(1);
    expect(episode!.closedAt).toBeNull();
  });
});

describe('a stalled project waiting on blockers', () => {
  it('names the blockers and who holds them in its notices, and tells the blockers’ holders at the unit-head level', async () => {
    // Last activity Nov 12 (the progress above); a lead stalls after more than 10 working days.
    await scanOn('2026-11-27T09:00:00');
    const [notice] = messagesTo(county.owner.openId, '项目预警');
    expect(textOf(notice)).toContain('厂区10kV专线未接入');
    expect(textOf(notice)).toContain(powerCompany.name);
    await scanOn('2026-12-02T09:00:00');
    expect(messagesTo(powerCompany.head.openId, '项目预警')).toHaveLength(1);
    expect(messagesTo(county.townHead.openId, '项目预警')).toHaveLength(1);
  });
});

describe('/问题清单', () => {
  it('shows each person what their role allows, filtered as asked, with fresh cards for what they hold', async () => {
    const replies = await h.sendAndWaitReplies(h.groupMessage(powerCompany.head, '/问题清单'), 2);
    const list = replies.find((m) => textOf(m).includes('问题和议定事项'));
    expect(textOf(list)).toContain('厂区10kV专线未接入');
    expect(textOf(list)).not.toContain('规划条件未出具');
    expect(replies.some((m) => JSON.stringify(m.latestContent).includes('"blocker.resolve.form"'))).toBe(true);
    const forCoordinator = textOf(await say(county.coordinator, '/问题清单 逾期'));
    expect(forCoordinator).toContain('厂区10kV专线未接入');
    expect(forCoordinator).toContain('规划条件未出具'); // due Nov 16
    expect(textOf(await say(county.stranger, '/问题清单'))).not.toContain('厂区10kV专线未接入');
    expect(textOf(await say(county.coordinator, `/问题清单 单位:${powerCompany.name}`))).not.toContain('规划条件未出具');
    expect(textOf(await say(county.coordinator, '/问题清单 类型:用暖'))).toContain('用电');
  });
});

describe('the joint meeting', () => {
  it('is convened by the coordinators only, and says when its agenda goes out', async () => {
    setClock('2026-12-02T10:00:00');
    expect(textOf(await say(county.owner, '/联席会议 2026-12-08 14:30 地点:县政府三楼会议室'))).toMatch(/只有招商服务中心/);
    const reply = textOf(await say(county.coordinator, '/联席会议 2026-12-08 14:30 地点:县政府三楼会议室'));
    expect(reply).toContain('12月7日');
    expect(textOf(await say(county.coordinator, '/联席会议 2026-12-08 25:00 地点:县政府'))).toMatch(/时间/);
  });

  it('sends its agenda at 09:00 the working day before: the overdue and flagged blockers; each unit head gets theirs', async () => {
    setClock('2026-12-07T09:00:00');
    await h.app.dailyTasks.runIfDue('meeting-agendas');
    const [agenda] = await waitFor(county.coordinator.openId, '联席会议议程');
    expect(textOf(agenda)).toContain('厂区10kV专线未接入');
    expect(textOf(agenda)).toContain('规划条件未出具');
    await waitFor(powerCompany.head.openId, '的议题');
    const [townItems] = await waitFor(county.townHead.openId, '的议题');
    expect(textOf(townItems)).not.toContain('厂区10kV专线未接入');
    await h.app.dailyTasks.catchUp();
    expect(await h.app.store.db.select().from(t().meetingItems)).toHaveLength(2);
  });

  it('records a decision per item from the agenda card, which goes to its unit and is chased like a blocker', async () => {
    const [agenda] = messagesTo(county.coordinator.openId, '联席会议议程');
    const submit = buttonValue(agenda, 'meeting.decide');
    const decision = { item: String(B1), decision: '县供电公司12月15日前完成专线接入', unit: powerCompany.name, dueDate: '2026-12-15' };
    expect(toastOf(await tap(county.owner.openId, agenda!, submit, decision))?.type).toBe('error');
    const answer = await tap(county.coordinator.openId, agenda!, submit, decision);
    expect(toastOf(answer)?.type).toBe('success');
    expect(JSON.stringify((answer.body as { card?: unknown }).card)).toContain('议定');
    const recorded = await latestBlockerOf(P);
    expect(recorded).toMatchObject({ type: 'decision', answersId: B1, dueDate: '2026-12-15', status: 'open', description: decision.decision });
    await waitFor(powerCompany.head.openId, '12月15日前完成专线接入');
    // The agenda card now shows the decision and no longer offers the item.
    expect(JSON.stringify(agenda?.latestContent)).not.toContain(`"value":"${B1}"`);
    const jobs = await h.app.queues.reminders.getJobs(['delayed', 'waiting']);
    expect(jobs.some((j) => j.id?.startsWith(`bnudge-${recorded.id}-`))).toBe(true);
  });

  it('puts an unfinished decision on the next agenda in place of the blocker it answers', async () => {
    setClock('2026-12-07T15:00:00');
    await say(county.coordinator, '/联席会议 2026-12-22 14:30 地点:县政府三楼会议室');
    setClock('2026-12-21T09:00:00');
    await h.app.dailyTasks.runIfDue('meeting-agendas');
    const agendas = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('联席会议议程'), {
      count: 2,
    });
    const second = textOf(agendas[1]);
    expect(second).toContain('前次议定事项未落实');
    expect(second).toContain('12月15日前完成专线接入');
    expect(second).not.toContain('厂区10kV专线未接入');
  });

  it('ends the blocker’s overdue alarm once the blocker is resolved, telling those who were told', async () => {
    // The first card is older than the 14 days Lark passes taps for: /问题清单 gives a fresh one.
    const replies = await h.sendAndWaitReplies(h.groupMessage(powerCompany.head, '/问题清单'), 3);
    const card = replies.find((m) => textOf(m).includes('厂区10kV专线未接入') && JSON.stringify(m.latestContent).includes('"blocker.resolve.form"'));
    const resolved = await submitForm(powerCompany.head.openId, card!, 'blocker.resolve.form', 'blocker.resolve', { outcome: '专线已接入' });
    expect(toastOf(resolved)?.type).toBe('success');
    for (const person of [powerCompany.head, powerCompany.deputy, county.leader]) await waitFor(person.openId, '预警解除');
  });
});
