import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { county, GROUP, type Harness, startHarness, textOf } from '../support/bot-harness';

/**
 * 2026-09-21 is a Monday; 中秋 (Sep 25–27) and 国庆 (Oct 1–7) follow, with Sep 20 and Oct 10 worked.
 * The tests run in calendar order: the sandbox's rate windows, like Lark's, only move forward.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
/** The bot's and the sandbox's clock: it runs like a real one, and a test can set it to any moment. */
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;

beforeAll(async () => {
  setClock('2026-09-21T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
});
afterAll(async () => {
  await h?.close();
});

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
/** The tables of the run's database: read once the bot is up. */
const t = () => h.app.store.tables;
const project = async (code: string) => (await h.app.store.db.select().from(t().projects).where(eq(t().projects.code, code)).limit(1))[0]!;
const milestonesOf = async (code: string) => {
  const { milestones } = t();
  return h.app.store.db
    .select()
    .from(milestones)
    .where(eq(milestones.projectId, (await project(code)).id))
    .orderBy(asc(milestones.id));
};
/** A project's history in the order it was written. */
const historyOf = async (code: string) => {
  const { projectHistory } = t();
  return h.app.store.db
    .select()
    .from(projectHistory)
    .where(eq(projectHistory.projectId, (await project(code)).id))
    .orderBy(asc(projectHistory.id));
};

async function registerProject(name: string): Promise<string> {
  const [reply] = await h.sendAndWaitReplies(
    h.groupMessage(county.official, `/lead ${name} 投资方:${name}集团 负责人:@{钱主任} 包抓:@{孙副县长}`, [county.owner, county.leader]),
  );
  const code = /ZS-\d{4}-\d{4}/.exec(textOf(reply))?.[0];
  if (!code) throw new Error(`no code in ${textOf(reply)}`);
  return code;
}

/** Pending reminder jobs of a milestone, by id. */
async function pendingNudges(milestoneId: number): Promise<string[]> {
  const jobs = await h.app.queues.reminders.getJobs(['delayed', 'waiting', 'prioritized']);
  return jobs.map((j) => j.id ?? '').filter((id) => id.startsWith(`nudge-${milestoneId}-`));
}

/** Runs a delayed job now (the clock has been moved to its time) and waits until it is done. */
async function runJob(jobId: string): Promise<void> {
  const job = await h.app.queues.reminders.getJob(jobId);
  if (!job) throw new Error(`no job ${jobId}`);
  await job.promote();
  for (let i = 0; i < 250; i++) {
    if (!(await h.app.queues.reminders.getJob(jobId))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('moving a project through the pipeline', () => {
  let code: string;
  beforeAll(async () => {
    setClock('2026-09-21T10:00:00');
    code = await registerProject('富硒茶深加工');
  });

  it('refuses a move the county rules forbid, naming the allowed next stages, and changes nothing', async () => {
    const reply = await say(county.owner, `/阶段 ${code} 签约`);
    expect(textOf(reply)).toContain('洽谈');
    expect((await project(code)).stage).toBe('lead');
  });

  it('tells someone who may not change the project who can, and changes nothing', async () => {
    const reply = await say(county.stranger, `/阶段 ${code} 洽谈`);
    expect(textOf(reply)).toMatch(/负责人|包抓/);
    expect((await project(code)).stage).toBe('lead');
  });

  it('records progress as activity', async () => {
    setClock('2026-09-21T11:00:00');
    await say(county.owner, `/进展 ${code} 客商来县考察，已看厂址`);
    expect((await project(code)).lastActivityAt.getTime()).toBeGreaterThanOrEqual(at('2026-09-21T11:00:00'));
    expect((await historyOf(code)).at(-1)).toMatchObject({ action: 'progress', actorOpenId: county.owner.openId, changes: { note: '客商来县考察，已看厂址' } });
  });

  it('answers bad input clearly and changes nothing', async () => {
    const before = (await historyOf(code)).length;
    expect(textOf(await say(county.owner, '/进展 ZS-2099-9999 有进展'))).toContain('ZS-2099-9999');
    expect(textOf(await say(county.owner, `/节点 ${code} 开工 2027-13-45`))).toMatch(/日期/);
    expect(textOf(await say(county.owner, `/阶段 ${code} 流失`))).toMatch(/原因/);
    expect(await historyOf(code)).toHaveLength(before);
  });

  it('asks for the 开工/投产/达产 dates when the project is signed, prefilled, and saves them from the form', async () => {
    await say(county.owner, `/阶段 ${code} 洽谈`);
    const event = h.groupMessage(county.owner, `/阶段 ${code} 签约 正式签约`);
    const replies = await h.sendAndWaitReplies(event, 2);
    const formMessage = replies.find((m) => JSON.stringify(m.latestContent).includes('signed.dates'))!;
    expect((await project(code)).stage).toBe('signed');
    const pickers = JSON.stringify(formMessage.latestContent);
    expect(pickers).toContain('2026-12-20'); // 90 days after signing, the county default
    const value = JSON.parse(/"value":(\{"action":"signed\.dates"[^}]*\})/.exec(pickers)![1]!);
    const result = await h.sandbox.deliverEvent(
      h.webhookUrl,
      h.sandbox.cardActionEvent({
        operatorOpenId: county.owner.openId,
        messageId: formMessage.messageId,
        value,
        formValue: { started: '2026-10-09 +0800', producing: '2027-06-30', at_capacity: '2028-06-30' },
      }),
    );
    expect((result.body as { toast?: { type: string } }).toast?.type).toBe('success');
    expect((await milestonesOf(code)).map((m) => [m.name, m.dueDate]).sort()).toEqual([
      ['开工', '2026-10-09'],
      ['投产', '2027-06-30'],
      ['达产', '2028-06-30'],
    ]);
  });

  it('shows planned against actual on the project card, late ones marked', async () => {
    await say(county.owner, `/节点 ${code} 环评批复 2026-09-18`);
    await say(county.owner, `/完成 ${code} 环评批复 2026-09-21`);
    const card = textOf(await say(county.official, `/项目 ${code}`));
    expect(card).toContain('签约');
    expect(card).toMatch(/开工[^\n]*2026-10-09/);
    expect(card).toMatch(/环评批复[^\n]*2026-09-18[^\n]*2026-09-21[^\n]*延期/);
  });

  it('tells the unit head and the leader, with the record, when a project is lost', async () => {
    const lostCode = await registerProject('包装饮用水厂');
    await say(county.owner, `/阶段 ${lostCode} 流失 客商转投邻县`);
    expect(await project(lostCode)).toMatchObject({ stage: 'lost', stageReason: '客商转投邻县' });
    for (const person of [county.townHead, county.leader]) {
      const [notice] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === person.openId && textOf(m).includes(lostCode));
      expect(textOf(notice)).toMatch(/责任倒查/);
      expect(textOf(notice)).toContain('客商转投邻县');
    }
  });
});

describe('milestone reminders', () => {
  let code: string;
  let milestoneId: number;
  beforeAll(async () => {
    setClock('2026-09-21T11:30:00');
    code = await registerProject('文旅康养小镇');
    await say(county.owner, `/节点 ${code} 开工 2026-10-09`);
    milestoneId = (await milestonesOf(code))[0]!.id;
  });

  it('arms the first nudge seven working days ahead, counting the 中秋 holiday out', async () => {
    expect(await pendingNudges(milestoneId)).toEqual([`nudge-${milestoneId}-b7-20261009`]);
    const job = await h.app.queues.reminders.getJob(`nudge-${milestoneId}-b7-20261009`);
    expect(job?.data.day).toBe('2026-09-22');
  });

  it('re-arms exactly once when the date moves before the nudge fired, and needs a reason', async () => {
    const refused = await say(county.owner, `/节点 ${code} 开工 2026-10-16`);
    expect(textOf(refused)).toMatch(/原因/);
    expect((await milestonesOf(code))[0]!.dueDate).toBe('2026-10-09');
    await say(county.owner, `/节点 ${code} 开工 2026-10-16 原因:设计变更`);
    expect(await pendingNudges(milestoneId)).toEqual([`nudge-${milestoneId}-b7-20261016`]);
    expect((await historyOf(code)).at(-1)).toMatchObject({ action: 'milestone_moved', changes: { from: '2026-10-09', to: '2026-10-16', reason: '设计变更' } });
  });

  it('sends the owner one morning digest merging every item of the day, most urgent first', async () => {
    // Both are nudged on Tuesday 09-22: one working day before 09-23, three before 09-28.
    const sooner = await registerProject('新社区工厂');
    const later = await registerProject('现代农业园');
    await say(county.owner, `/节点 ${later} 开工 2026-09-28`);
    await say(county.owner, `/节点 ${sooner} 投产 2026-09-23`);
    const [soonerId, laterId] = [(await milestonesOf(sooner))[0]!.id, (await milestonesOf(later))[0]!.id];
    expect(await pendingNudges(soonerId)).toEqual([`nudge-${soonerId}-b1-20260923`]);
    expect(await pendingNudges(laterId)).toEqual([`nudge-${laterId}-b3-20260928`]);

    setClock('2026-09-22T09:00:00');
    await runJob(`nudge-${soonerId}-b1-20260923`);
    await runJob(`nudge-${laterId}-b3-20260928`);
    await runJob(`digest-user-${county.owner.openId}-2026-09-22`);
    const isDigest = (m: Parameters<typeof textOf>[0]) => m?.recipientOpenId === county.owner.openId && textOf(m).includes('2026年9月22日');
    await h.sandbox.waitForMessages(isDigest);
    const digests = h.sandbox.messages().filter(isDigest);
    expect(digests).toHaveLength(1);
    const text = textOf(digests[0]);
    expect(text.indexOf(sooner)).toBeGreaterThan(-1);
    expect(text.indexOf(sooner)).toBeLessThan(text.indexOf(later));
    // Each chain goes on: the due-date nudge of the first, the one-day-before of the second.
    expect(await pendingNudges(soonerId)).toEqual([`nudge-${soonerId}-d0-20260923`]);
    expect(await pendingNudges(laterId)).toEqual([`nudge-${laterId}-b1-20260928`]);
  });

  it('re-arms once when the date moves after a nudge fired', async () => {
    const { projects } = t();
    const code2 = (await h.app.store.db.select().from(projects).where(eq(projects.name, '新社区工厂')).limit(1))[0]!.code;
    const id = (await milestonesOf(code2))[0]!.id;
    await say(county.owner, `/节点 ${code2} 投产 2026-10-30 原因:设备到货推迟`);
    expect(await pendingNudges(id)).toEqual([`nudge-${id}-b7-20261030`]);
  });

  it('cancels the reminders of a milestone marked done', async () => {
    await say(county.owner, `/完成 ${code} 开工`);
    expect(await pendingNudges(milestoneId)).toEqual([]);
    expect((await milestonesOf(code))[0]!.doneDate).toBe('2026-09-22');
  });

  it('rebuilds every pending nudge from SQLite after Redis lost them: one per open milestone, none twice', async () => {
    setClock('2026-09-22T15:00:00'); // past the morning: nothing of today is caught up
    const pendingIds = async () =>
      (await h.app.queues.reminders.getJobs(['delayed']))
        .map((j) => j.id!)
        .filter((id) => id.startsWith('nudge-'))
        .sort();
    const { milestones, projects } = t();
    const openMilestones = (await h.app.store.db.select().from(milestones)).filter((m) => m.doneDate === null);

    await h.app.queues.reminders.obliterate({ force: true });
    await h.app.reminders.rebuild();
    const rebuilt = await pendingIds();
    const stageOf = new Map((await h.app.store.db.select({ id: projects.id, stage: projects.stage }).from(projects)).map((p) => [p.id, p.stage]));
    const chased = openMilestones.filter((m) => !['paused', 'lost', 'at_capacity'].includes(stageOf.get(m.projectId)!));
    expect(rebuilt.map((id) => Number(id.split('-')[1])).sort()).toEqual(chased.map((m) => m.id).sort());

    await h.app.queues.reminders.obliterate({ force: true });
    await h.app.reminders.rebuild();
    await h.app.reminders.rebuild();
    expect(await pendingIds()).toEqual(rebuilt);

    // Redis kept some and lost others: the lost ones come back, the kept ones stay as they are.
    const lost = rebuilt.filter((_, i) => i % 2 === 0);
    for (const id of lost) await h.app.queues.reminders.remove(id);
    const kept = await h.app.queues.reminders.getJob(rebuilt[1]!);
    await h.app.reminders.rebuild();
    expect(await pendingIds()).toEqual(rebuilt);
    expect((await h.app.queues.reminders.getJob(rebuilt[1]!))?.timestamp).toBe(kept?.timestamp);
  });
});

describe('the registering group', () => {
  it('gets the overdue items of its projects in its own morning digest', async () => {
    setClock('2026-09-22T16:00:00');
    const code = await registerProject('云上展厅');
    await say(county.owner, `/节点 ${code} 开工 2026-09-18`);
    const id = (await milestonesOf(code))[0]!.id;
    const [nudge] = await pendingNudges(id);
    const job = await h.app.queues.reminders.getJob(nudge!);
    setClock(`${job!.data.day}T09:00:00`);
    await runJob(nudge!);
    await runJob(`digest-chat-${GROUP}-${job!.data.day}`);
    const [digest] = await h.sandbox.waitForMessages((m) => m.chatId === GROUP && m.receiveId === GROUP && textOf(m).includes(code));
    expect(textOf(digest)).toMatch(/逾期/);
  });
});

describe('acting from a digest', () => {
  it('completes a milestone with one tap by its owner, and refuses anyone else', async () => {
    setClock('2026-09-23T08:30:00'); // before nine: today's reminder is still to come
    const code = await registerProject('康养中心');
    await say(county.owner, `/节点 ${code} 开工 2026-09-24`);
    const id = (await milestonesOf(code))[0]!.id;
    setClock('2026-09-23T09:00:00');
    await runJob(`nudge-${id}-b1-20260924`);
    await runJob(`digest-user-${county.owner.openId}-2026-09-23`);
    const [digest] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.owner.openId && textOf(m).includes(code));
    const tap = (operator: string) =>
      h.sandbox.deliverEvent(
        h.webhookUrl,
        h.sandbox.cardActionEvent({ operatorOpenId: operator, messageId: digest!.messageId, value: { action: 'milestone.done', milestone: String(id) } }),
      );
    const byStranger = await tap(county.stranger.openId);
    expect((byStranger.body as { toast?: { type: string } }).toast?.type).toBe('error');
    expect((await milestonesOf(code))[0]!.doneDate).toBeNull();

    const byOwner = await tap(county.owner.openId);
    expect((byOwner.body as { toast?: { type: string } }).toast?.type).toBe('success');
    expect((await milestonesOf(code))[0]!.doneDate).toBe('2026-09-23');
    expect(await pendingNudges(id)).toEqual([]);
  });
});

describe('the project card', () => {
  it('shows no project card or record to someone outside the roster', async () => {
    const code = await registerProject('名册外不可见');
    for (const command of ['/项目', '/记录']) {
      const text = textOf(await say(county.stranger, `${command} ${code}`));
      expect(text, command).toMatch(/名册/);
      expect(text, command).not.toContain('名册外不可见集团');
    }
    expect(textOf(await say(county.official, `/项目 ${code}`))).toContain('名册外不可见集团');
  });

  it('opens no form for someone who may not submit it', async () => {
    const code = await registerProject('只读项目');
    const cardMessage = await say(county.official, `/项目 ${code}`);
    const formsBefore = h.sandbox.messages().filter((m) => JSON.stringify(m.latestContent).includes('.submit')).length;
    for (const action of ['project.progress', 'project.milestone', 'project.done']) {
      const tap = await h.sandbox.deliverEvent(
        h.webhookUrl,
        h.sandbox.cardActionEvent({
          operatorOpenId: county.stranger.openId,
          messageId: cardMessage!.messageId,
          value: { action, project: String((await project(code)).id) },
        }),
      );
      expect((tap.body as { toast?: { type: string } }).toast?.type, action).toBe('error');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.messages().filter((m) => JSON.stringify(m.latestContent).includes('.submit'))).toHaveLength(formsBefore);
  });

  it('opens a progress form from its button and records what is submitted once', async () => {
    setClock('2026-09-24T09:30:00');
    const code = await registerProject('富硒水厂');
    const cardMessage = await say(county.official, `/项目 ${code}`);
    const tap = await h.sandbox.deliverEvent(
      h.webhookUrl,
      h.sandbox.cardActionEvent({
        operatorOpenId: county.owner.openId,
        messageId: cardMessage!.messageId,
        value: { action: 'project.progress', project: String((await project(code)).id) },
      }),
    );
    expect((tap.body as { toast?: { type: string } }).toast?.type).toBe('info');
    const [formMessage] = await h.sandbox.waitForMessages((m) => m.chatId === GROUP && JSON.stringify(m.latestContent).includes('progress.submit'));
    const value = JSON.parse(/"value":(\{"action":"progress\.submit"[^}]*\})/.exec(JSON.stringify(formMessage!.latestContent))![1]!);
    // A double tap: both submits leave before the first answer turns the form into its confirmation.
    const [first, second] = [1, 2].map(() =>
      h.sandbox.cardActionEvent({ operatorOpenId: county.owner.openId, messageId: formMessage!.messageId, value, formValue: { note: '签订框架协议' } }),
    );
    expect(((await h.sandbox.deliverEvent(h.webhookUrl, first!)).body as { toast?: { type: string } }).toast?.type).toBe('success');
    await h.sandbox.deliverEvent(h.webhookUrl, second!);
    expect((await historyOf(code)).filter((e) => e.action === 'progress').map((e) => e.changes.note)).toEqual(['签订框架协议']);
  });
});

describe('the whole record', () => {
  it('comes in pages when long notes outgrow a card, every note whole, the next page from its button', async () => {
    const code = await registerProject('记录很长的项目');
    const notes = Array.from({ length: 10 }, (_, i) => `第${i}次|${'|'.repeat(990)}`);
    for (const note of notes) await say(county.owner, `/进展 ${code} ${note}`);
    const first = await say(county.owner, `/记录 ${code}`);
    const pages = [textOf(first)];
    let card = first!;
    for (let page = 2; ; page++) {
      const values = [...JSON.stringify(card.latestContent).matchAll(/"value":(\{"action":"history\.page"[^}]*\})/g)].map(
        (m) => JSON.parse(m[1]!) as { page: string },
      );
      const next = values.find((v) => v.page === String(page));
      if (!next) break;
      const tap = await h.sandbox.deliverEvent(
        h.webhookUrl,
        h.sandbox.cardActionEvent({ operatorOpenId: county.owner.openId, messageId: card.messageId, value: next }),
      );
      expect(tap.status).toBe(200);
      card = h.sandbox.messages().find((m) => m.messageId === card.messageId)!;
      pages.push(textOf(card));
    }
    expect(pages.length).toBeGreaterThan(1);
    const shown = pages.join('\n').replaceAll('&#124;', '|');
    for (const note of notes) expect(shown).toContain(note);
  });
});

describe('funds in place and jobs', () => {
  it('records dated entries, counts them as activity and shows the totals on the project card', async () => {
    setClock('2026-09-24T09:45:00');
    const code = await registerProject('包装材料厂');
    expect(textOf(await say(county.owner, `/到位 ${code} 很多钱`))).toMatch(/金额/);
    await say(county.owner, `/到位 ${code} 3000万 2026-09-20`);
    await say(county.owner, `/到位 ${code} 0.2亿`);
    await say(county.owner, `/就业 ${code} 120`);
    const card = textOf(await say(county.official, `/项目 ${code}`));
    expect(card).toContain('5000万元');
    expect(card).toMatch(/就业岗位[^\n]*120/);
    expect((await historyOf(code)).filter((e) => e.action === 'funds_recorded').map((e) => e.changes)).toEqual([
      { amountWan: 3000, day: '2026-09-20' },
      { amountWan: 2000, day: '2026-09-24' },
    ]);
    expect((await project(code)).lastActivityAt.getTime()).toBeGreaterThanOrEqual(at('2026-09-24T09:45:00'));
  });
});

describe('pausing a project', () => {
  it('needs a reason and a review date, and resumes only where it left off', async () => {
    setClock('2026-09-24T10:00:00');
    const code = await registerProject('总部经济大楼');
    await say(county.owner, `/阶段 ${code} 洽谈`);
    expect(textOf(await say(county.owner, `/阶段 ${code} 搁置 资金未到位`))).toMatch(/复核/);
    expect((await project(code)).stage).toBe('negotiating');

    await say(county.owner, `/阶段 ${code} 搁置 资金未到位 复核:2026-10-20`);
    expect(await project(code)).toMatchObject({ stage: 'paused', stageReason: '资金未到位', reviewDate: '2026-10-20' });
    expect(textOf(await say(county.owner, `/阶段 ${code} 签约`))).toContain('洽谈');
    expect((await project(code)).stage).toBe('paused');
    await say(county.owner, `/阶段 ${code} 洽谈`);
    expect(await project(code)).toMatchObject({ stage: 'negotiating', stageReason: null, reviewDate: null });
  });
});

describe('holiday data', () => {
  it('asks the coordinators for next year’s holidays when the package lacks them', async () => {
    setClock('2026-11-02T09:00:00'); // a Monday in November; the package stops at 2026
    expect(await h.app.calendarCheck()).toEqual(['2027']);
    const [notice] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('2027'));
    expect(textOf(notice)).toMatch(/节假日/);
    setClock('2026-11-03T09:00:00'); // asked once a week, not every morning
    expect(await h.app.calendarCheck()).toEqual([]);
  });
});
