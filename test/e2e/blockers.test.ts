import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPowerCompany, county, type Harness, powerCompany, startHarness, textOf } from '../support/bot-harness';
import { cardTaps } from '../support/card-taps';

/**
 * Blockers through 国庆 2026 (Oct 1–7 off, Sep 27 and Oct 10 worked): raised on Monday Sep 28,
 * accepted, extended, resolved, reopened and confirmed; sent back and reassigned; a complaint
 * that cannot close without its finding; a 办结 confirmed by silence. The tests run in order.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;
let { buttonValue, tap, toastOf, submitForm } = {} as ReturnType<typeof cardTaps>;
let P: string;

const power = powerCompany;

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
const t = () => h.app.store.tables;
/** In the order they were raised: PostgreSQL returns rows in no set order without ORDER BY. */
const blockersOf = async (code: string) => {
  const { projects, blockers } = t();
  const [project] = await h.app.store.db.select().from(projects).where(eq(projects.code, code)).limit(1);
  return h.app.store.db.select().from(blockers).where(eq(blockers.projectId, project!.id)).orderBy(asc(blockers.id));
};
const blocker = async (id: number) => (await h.app.store.db.select().from(t().blockers).where(eq(t().blockers.id, id)).limit(1))[0]!;
const cardsTo = (openId: string, text: string) => h.sandbox.messages().filter((m) => m.recipientOpenId === openId && textOf(m).includes(text));
const waitFor = (openId: string, text: string) => h.sandbox.waitForMessages((m) => m.recipientOpenId === openId && textOf(m).includes(text));

beforeAll(async () => {
  setClock('2026-09-28T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  ({ buttonValue, tap, toastOf, submitForm } = cardTaps(h));
  await addPowerCompany(h);
  const [reply] = await h.sendAndWaitReplies(
    h.groupMessage(county.official, '/lead 富硒茶深加工 投资方:某茶业集团 负责人:@{钱主任} 包抓:@{孙副县长}', [county.owner, county.leader]),
  );
  P = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
});
afterAll(async () => {
  await h?.close();
});

describe('a blocker’s whole life, through the National Day holiday', () => {
  let id: number;

  it('refuses a line without its unit or description, says how to write it, and writes nothing', async () => {
    const reply = textOf(await say(county.owner, `/问题 ${P} 用电`));
    expect(reply).toMatch(/描述/);
    expect(reply).toMatch(/单位/);
    expect(reply).toContain('/问题 ZS-');
    const unknownUnit = textOf(await say(county.owner, `/问题 ${P} 用电 专线未接入 单位:县供电局`));
    expect(unknownUnit).toContain('县供电公司');
    expect(textOf(await say(county.owner, `/问题 ${P} 用暖 专线未接入 单位:县供电公司`))).toContain('用电');
    expect(await blockersOf(P)).toHaveLength(0);
  });

  it('refuses someone who may not log progress on the project', async () => {
    expect(textOf(await say(county.stranger, `/问题 ${P} 用电 专线未接入 单位:县供电公司`))).toMatch(/不能/);
    expect(await blockersOf(P)).toHaveLength(0);
  });

  it('hands it to the unit with the kind’s time limit counted in working days, across the holiday', async () => {
    const reply = textOf(await say(county.owner, `/问题 ${P} 用电 10kV专线未接入，影响设备调试 单位:县供电公司`));
    // 5 working days from Monday Sep 28: 29, 30, Oct 8, 9 and the worked Saturday Oct 10.
    expect(reply).toContain('2026-10-10');
    const [row] = await blockersOf(P);
    expect(row).toMatchObject({ kind: '用电', status: 'open', dueDate: '2026-10-10', raisedBy: county.owner.openId });
    id = row!.id;
    const [card] = await waitFor(power.head.openId, '10kV专线未接入');
    expect(buttonValue(card, 'blocker.accept.form')).toMatchObject({ blocker: String(id) });
  });

  it('lets only the unit’s head accept it, naming the clerk who handles it', async () => {
    const [card] = cardsTo(power.head.openId, '10kV专线未接入');
    const byClerk = await tap(power.clerk.openId, card!, buttonValue(card, 'blocker.accept.form'));
    expect(toastOf(byClerk)?.type).toBe('error');
    const edited = await tap(power.head.openId, card!, { ...buttonValue(card, 'blocker.accept.form'), blocker: '999999' });
    expect(toastOf(edited)?.type).toBe('error');
    const accepted = await submitForm(power.head.openId, card!, 'blocker.accept.form', 'blocker.accept', { handler: power.clerk.openId });
    expect(toastOf(accepted)?.type).toBe('success');
    expect(await blocker(id)).toMatchObject({ status: 'accepted', handlerOpenId: power.clerk.openId });
    await waitFor(county.owner.openId, '已受理');
    await waitFor(power.clerk.openId, '交由您承办');
  });

  it('asks the leader or the coordinators to grant an extension, refusing anyone else', async () => {
    const [card] = cardsTo(power.clerk.openId, '交由您承办');
    const asked = await submitForm(power.clerk.openId, card!, 'blocker.extend.form', 'blocker.extend', { dueDate: '2026-10-16', reason: '设备厂家供货推迟' });
    expect(toastOf(asked)?.type).toBe('success');
    const [request] = await waitFor(county.leader.openId, '延期申请');
    await waitFor(county.coordinator.openId, '延期申请');
    expect(toastOf(await tap(county.stranger.openId, request!, buttonValue(request, 'blocker.grant')))?.type).toBe('error');
    expect((await blocker(id)).dueDate).toBe('2026-10-10');
    const granted = await tap(county.leader.openId, request!, buttonValue(request, 'blocker.grant'));
    expect(toastOf(granted)?.type).toBe('success');
    expect(await blocker(id)).toMatchObject({ dueDate: '2026-10-16', extension: null });
    await waitFor(power.clerk.openId, '延期已同意');
  });

  it('reminds whoever handles it in the morning digest, for the new time limit', async () => {
    const jobs = await h.app.queues.reminders.getJobs(['delayed', 'waiting']);
    const ids = jobs.map((j) => j.id ?? '').filter((jobId) => jobId.startsWith(`bnudge-${id}-`));
    expect(ids.some((jobId) => jobId.endsWith('20261016'))).toBe(true);
    expect(ids.some((jobId) => jobId.endsWith('20261010'))).toBe(false);
    const due = jobs.find((j) => j.id?.startsWith(`bnudge-${id}-`) && j.id.endsWith('20261016'))!;
    setClock(`${due.data.day}T09:00:00`);
    await due.promote();
    // The digest gathers the morning's items for a while; it is run now.
    const digestId = `digest-user-${power.clerk.openId}-${due.data.day}`;
    for (let i = 0; i < 100 && !(await h.app.queues.reminders.getJob(digestId)); i++) await new Promise((r) => setTimeout(r, 20));
    await (await h.app.queues.reminders.getJob(digestId))!.promote();
    const [digest] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === power.clerk.openId && textOf(m).includes('今日节点提醒'));
    expect(textOf(digest)).toContain('10kV专线未接入');
    expect(JSON.stringify(digest?.latestContent)).toContain('"blocker.resolve.form"');
  });

  it('asks the raiser to confirm once it is reported done; 仍未解决 sends it back with what is missing', async () => {
    setClock('2026-10-12T10:00:00');
    const [card] = cardsTo(power.clerk.openId, '交由您承办');
    const resolved = await submitForm(power.clerk.openId, card!, 'blocker.resolve.form', 'blocker.resolve', { outcome: '专线已接入' });
    expect(toastOf(resolved)?.type).toBe('success');
    expect(await blocker(id)).toMatchObject({ status: 'resolved', outcome: '专线已接入', resolvedDay: '2026-10-12' });
    const [confirm] = await waitFor(county.owner.openId, '请确认');
    expect(toastOf(await tap(power.clerk.openId, confirm!, buttonValue(confirm, 'blocker.confirm')))?.type).toBe('error');
    const reopened = await submitForm(county.owner.openId, confirm!, 'blocker.reopen.form', 'blocker.reopen', { reason: '电压不稳，设备仍无法调试' });
    expect(toastOf(reopened)?.type).toBe('success');
    expect((await blocker(id)).status).toBe('accepted');
    await waitFor(power.clerk.openId, '电压不稳');
  });

  it('closes when the raiser confirms the second 办结, and the record keeps every step', async () => {
    const [card] = cardsTo(power.clerk.openId, '电压不稳');
    await submitForm(power.clerk.openId, card!, 'blocker.resolve.form', 'blocker.resolve', { outcome: '已更换变压器，电压稳定' });
    const confirms = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.owner.openId && textOf(m).includes('已更换变压器'));
    const answer = await tap(county.owner.openId, confirms[0]!, buttonValue(confirms[0], 'blocker.confirm'));
    expect(toastOf(answer)?.type).toBe('success');
    expect(await blocker(id)).toMatchObject({ status: 'closed', closedDay: '2026-10-12' });
    const steps = (await h.app.store.db.select().from(t().projectHistory).orderBy(asc(t().projectHistory.id)))
      .filter((e) => (e.changes as { blocker?: number }).blocker === id)
      .map((e) => e.action);
    expect(steps).toEqual([
      'blocker_raised',
      'blocker_accept',
      'blocker_extend',
      'blocker_grant',
      'blocker_resolve',
      'blocker_reopen',
      'blocker_resolve',
      'blocker_confirm',
    ]);
    const record = textOf(await say(county.leader, `/记录 ${P}`));
    for (const word of ['提出问题', '受理', '申请延期', '办结', '仍未解决', '确认解决']) expect(record).toContain(word);
  });
});

describe('a blocker sent to the wrong unit', () => {
  it('goes back to the coordinators, who name the right unit, whose head gets it with a fresh time limit', async () => {
    setClock('2026-10-13T10:00:00');
    await say(county.owner, `/问题 ${P} 用地 厂区北侧用地指标未落实 单位:城关镇`);
    const b = (await blockersOf(P)).at(-1)!;
    const [card] = await waitFor(county.townHead.openId, '用地指标未落实');
    const returned = await submitForm(county.townHead.openId, card!, 'blocker.return.form', 'blocker.return', { reason: '用地指标由县供电公司协调' });
    expect(toastOf(returned)?.type).toBe('success');
    expect((await blocker(b.id)).status).toBe('returned');
    const [ask] = await waitFor(county.coordinator.openId, '请改派');
    const byOwner = await tap(county.owner.openId, ask!, buttonValue(ask, 'blocker.reassign.form'));
    expect(toastOf(byOwner)?.type).toBe('error');
    const wrong = await submitForm(county.coordinator.openId, ask!, 'blocker.reassign.form', 'blocker.reassign', { unit: '县供电' });
    expect(toastOf(wrong)?.content).toContain('县供电公司');
    const reassigned = await tap(
      county.coordinator.openId,
      h.sandbox.messages().findLast((m) => JSON.stringify(m.latestContent).includes('"blocker.reassign"'))!,
      buttonValue(
        h.sandbox.messages().findLast((m) => JSON.stringify(m.latestContent).includes('"blocker.reassign"')),
        'blocker.reassign',
      ),
      { unit: '县供电公司' },
    );
    expect(toastOf(reassigned)?.type).toBe('success');
    expect(await blocker(b.id)).toMatchObject({ status: 'open', dueDate: '2026-11-03' });
    await waitFor(power.head.openId, '用地指标未落实');
  });
});

describe('a complaint', () => {
  it('reaches the supervisors at once, cannot close without a finding, and only its raiser confirms', async () => {
    await say(county.official, `/问题 ${P} 投诉 客商反映施工队夜间被阻工 单位:城关镇`);
    const b = (await blockersOf(P)).at(-1)!;
    expect(b).toMatchObject({ complaint: true, dueDate: '2026-10-16' });
    await waitFor(county.supervisor.openId, '新投诉');
    const [card] = await waitFor(county.townHead.openId, '夜间被阻工');
    const noFinding = await submitForm(county.townHead.openId, card!, 'blocker.resolve.form', 'blocker.resolve', { outcome: '已协调' });
    expect(toastOf(noFinding)?.content).toMatch(/查处结果/);
    expect((await blocker(b.id)).status).toBe('open');
    const form = h.sandbox.messages().findLast((m) => JSON.stringify(m.latestContent).includes('"blocker.resolve"'))!;
    const done = await tap(county.townHead.openId, form, buttonValue(form, 'blocker.resolve'), {
      outcome: '已协调',
      finding: '经核查反映属实，已约谈相关村组',
      checkedBy: county.supervisor.openId,
    });
    expect(toastOf(done)?.type).toBe('success');
    const [confirm] = await waitFor(county.official.openId, '经核查反映属实');
    expect(toastOf(await tap(county.owner.openId, confirm!, buttonValue(confirm, 'blocker.confirm')))?.type).toBe('error');
    expect(toastOf(await tap(county.official.openId, confirm!, buttonValue(confirm, 'blocker.confirm')))?.type).toBe('success');
    expect((await blocker(b.id)).status).toBe('closed');
  });
});

describe('operator checks', () => {
  it('refuses every blocker button to someone it is not for, changing nothing', async () => {
    await say(county.owner, `/问题 ${P} 道路 进场道路未硬化 单位:城关镇`);
    const b = (await blockersOf(P)).at(-1)!;
    const [card] = await waitFor(county.townHead.openId, '进场道路未硬化');
    const before = JSON.stringify(await blocker(b.id));
    const actions = ['accept', 'return', 'extend', 'resolve', 'reopen', 'reassign'].flatMap((a) => [`blocker.${a}.form`, `blocker.${a}`]);
    for (const action of [...actions, 'blocker.grant', 'blocker.confirm', 'blocker.flag']) {
      const answer = await tap(county.stranger.openId, card!, { action, blocker: String(b.id), form: 'f'.repeat(24), answer: 'yes' }, {});
      expect(toastOf(answer)?.type, action).toBe('error');
    }
    expect(JSON.stringify(await blocker(b.id))).toBe(before);
  });
});

describe('silence', () => {
  it('confirms a 办结 the raiser leaves unanswered for three working days', async () => {
    await say(county.owner, `/问题 ${P} 用水 临时用水未通 单位:城关镇`);
    const b = (await blockersOf(P)).at(-1)!;
    const [card] = await waitFor(county.townHead.openId, '临时用水未通');
    await submitForm(county.townHead.openId, card!, 'blocker.resolve.form', 'blocker.resolve', { outcome: '已通水' });
    expect((await blocker(b.id)).status).toBe('resolved');
    setClock('2026-10-15T09:00:00'); // two working days
    await h.app.dailyTasks.runIfDue('blocker-confirmations');
    expect((await blocker(b.id)).status).toBe('resolved');
    setClock('2026-10-16T09:00:00'); // three
    await h.app.dailyTasks.runIfDue('blocker-confirmations');
    expect(await blocker(b.id)).toMatchObject({ status: 'closed', closedDay: '2026-10-16' });
  });
});
