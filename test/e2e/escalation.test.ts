import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { county, type Harness, startHarness, textOf } from '../support/bot-harness';
import { cardTaps } from '../support/card-taps';
import { tempDir } from '../support/temp-dir';

/**
 * Two idle projects registered on Thursday 2026-09-10 climb the ladder through 中秋 and 国庆
 * (Sep 20 and Oct 10 are worked, Oct 1–7 are not). The tests run in calendar order.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;
let { buttonValue, tap, toastOf, submitForm } = {} as ReturnType<typeof cardTaps>;
let P: string; // idle all along: climbs every level
let Q: string; // its owner acknowledges
let R: string; // someone else's project
const configDir = tempDir('county-config');

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
/** The tables of the run's database: read once the bot is up. */
const t = () => h.app.store.tables;
const project = async (code: string) => (await h.app.store.db.select().from(t().projects).where(eq(t().projects.code, code)).limit(1))[0]!;
/** The project's latest episode. */
const episodeOf = async (code: string) => {
  const { escalationEpisodes } = t();
  const episodes = await h.app.store.db
    .select()
    .from(escalationEpisodes)
    .where(eq(escalationEpisodes.projectId, (await project(code)).id))
    .orderBy(asc(escalationEpisodes.id));
  return episodes.at(-1)!;
};
const noticesTo = (openId: string, code: string) =>
  h.sandbox.messages().filter((m) => m.recipientOpenId === openId && textOf(m).includes('项目预警') && textOf(m).includes(code));
const scanOn = async (isoLocal: string) => {
  setClock(isoLocal);
  const result = await h.app.escalations.scan();
  await new Promise((r) => setTimeout(r, 300)); // let the queued cards reach the sandbox
  return result;
};

async function registerIdle(name: string, who: { openId: string; name: string }, withOwner: boolean): Promise<string> {
  const text = withOwner ? `/lead ${name} 投资方:${name}公司 负责人:@{钱主任} 包抓:@{孙副县长}` : `/lead ${name} 投资方:${name}公司 包抓:@{孙副县长}`;
  const [reply] = await h.sendAndWaitReplies(h.groupMessage(who, text, withOwner ? [county.owner, county.leader] : [county.leader]));
  return /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
}

beforeAll(async () => {
  setClock('2026-09-10T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  ({ buttonValue, tap, toastOf, submitForm } = cardTaps(h));
  P = await registerIdle('富硒茶园', county.official, true);
  Q = await registerIdle('矿泉水厂', county.official, true);
  R = await registerIdle('民宿集群', county.official, false);
});
afterAll(async () => {
  await h?.close();
  configDir.remove();
});

describe('a stalled project climbs the ladder until someone acts', () => {
  it('is not stalled at exactly the ten working days a lead may rest', async () => {
    const result = await scanOn('2026-09-23T09:00:00');
    expect(result.opened).toBe(0);
  });

  it('tells the owner first, once however often the scan runs', async () => {
    const first = await scanOn('2026-09-24T09:00:00');
    expect(first.opened).toBe(3);
    await scanOn('2026-09-24T09:30:00');
    expect(noticesTo(county.owner.openId, P)).toHaveLength(1);
    expect(noticesTo(county.owner.openId, Q)).toHaveLength(1);
    expect(noticesTo(county.official.openId, R)).toHaveLength(1);
    expect(noticesTo(county.townHead.openId, P)).toHaveLength(0);
  });

  it('refuses a tap by someone the notice was not addressed to, or with a value naming another project', async () => {
    const [notice] = noticesTo(county.owner.openId, P);
    const byStranger = await tap(county.stranger.openId, notice!, buttonValue(notice, 'esc.ack.form'));
    expect(toastOf(byStranger)?.type).toBe('warning');
    const edited = { ...buttonValue(notice, 'esc.ack.form'), episode: String((await episodeOf(R)).id) };
    expect(toastOf(await tap(county.owner.openId, notice!, edited))?.type).toBe('warning');
    expect(h.sandbox.messages().filter((m) => JSON.stringify(m.latestContent).includes('"esc.ack"'))).toHaveLength(0);
  });

  it('lets the owner acknowledge with a next-step date, and refuses a snooze longer than allowed', async () => {
    const [notice] = noticesTo(county.owner.openId, Q);
    const tooLong = await submitForm(county.owner.openId, notice!, 'esc.snooze.form', 'esc.snooze', { days: '30', reason: '等待省级批复' });
    expect(toastOf(tooLong)?.type).toBe('error');
    const noDate = await submitForm(county.owner.openId, notice!, 'esc.ack.form', 'esc.ack', {});
    expect(toastOf(noDate)?.type).toBe('error');
    expect((await episodeOf(Q)).state).toMatchObject({ pausedUntil: null });
    const ack = await submitForm(county.owner.openId, notice!, 'esc.ack.form', 'esc.ack', { nextStep: '2026-09-29 +0800' });
    expect(toastOf(ack)?.type).toBe('success');
    expect((await episodeOf(Q)).state).toMatchObject({ pausedUntil: '2026-09-29' });
  });

  it('tells the unit head three working days later, but not for the acknowledged project', async () => {
    await scanOn('2026-09-29T09:00:00');
    expect(noticesTo(county.townHead.openId, P)).toHaveLength(0);
    await scanOn('2026-09-30T09:00:00');
    expect(noticesTo(county.townHead.openId, P)).toHaveLength(1);
    expect(noticesTo(county.townHead.openId, Q)).toHaveLength(0);
  });

  it('sends nothing on public holidays, and resumes the acknowledged climb where it was', async () => {
    await scanOn('2026-10-05T09:00:00');
    await scanOn('2026-10-08T09:00:00');
    expect(noticesTo(county.leader.openId, P)).toHaveLength(0);
    expect(noticesTo(county.townHead.openId, Q)).toHaveLength(0);
    await scanOn('2026-10-09T09:00:00'); // three working days after the acknowledged 09-29
    expect(noticesTo(county.townHead.openId, Q)).toHaveLength(1);
  });

  it('keeps an open episode on its own ladder across a restart with edited rules', async () => {
    const edited = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile('config/county.json', 'utf8')));
    edited.escalation.ladder[2].afterWorkingDays = 1; // the leader would be told a day after the unit head
    const path = join(configDir.path, 'county.json');
    writeFileSync(path, JSON.stringify(edited));
    await h.restart({ COUNTY_CONFIG_PATH: path });
    await scanOn('2026-10-10T09:00:00'); // a Saturday worked in exchange for 国庆
    expect(noticesTo(county.leader.openId, P)).toHaveLength(1);
    expect(noticesTo(county.leader.openId, Q)).toHaveLength(0);
  });

  it('buzzes the leader’s notice', async () => {
    const [notice] = noticesTo(county.leader.openId, P);
    expect(notice?.urgent.flatMap((u) => u.openIds)).toContain(county.leader.openId);
  });

  it('reaches the supervisors last', async () => {
    await scanOn('2026-10-16T09:00:00');
    expect(noticesTo(county.supervisor.openId, P)).toHaveLength(1);
  });

  it('gives the owner a fresh notice through /预警 once Lark no longer passes taps on the first, 14 days on', async () => {
    const [first] = noticesTo(county.owner.openId, P); // sent 2026-09-24; it is 2026-10-16
    const expired = await tap(county.owner.openId, first!, buttonValue(first, 'esc.ack.form'));
    expect(expired.notSent).toMatch(/14 天/);
    const replies = await h.sendAndWaitReplies(h.groupMessage(county.owner, '/预警'), 3);
    const fresh = replies.find((m) => textOf(m).includes('项目预警') && textOf(m).includes(P));
    const answer = await tap(county.owner.openId, fresh!, buttonValue(fresh, 'esc.ack.form'));
    expect(toastOf(answer)?.type).toBe('info'); // the acknowledgement form is on its way
    await h.sandbox.waitForMessages((m) => JSON.stringify(m.latestContent).includes('"esc.ack"') && textOf(m).includes(P));
  });

  it('lets the leader order supervision: a milestone for the owner, not counted as progress', async () => {
    const [notice] = noticesTo(county.leader.openId, P);
    const before = (await project(P)).lastActivityAt.getTime();
    const answer = await submitForm(county.leader.openId, notice!, 'esc.supervise.form', 'esc.supervise', {
      task: '月底前完成土地挂牌',
      dueDate: '2026-10-30',
    });
    expect(toastOf(answer)?.type).toBe('success');
    const { milestones } = t();
    const order = await h.app.store.db
      .select()
      .from(milestones)
      .where(eq(milestones.projectId, (await project(P)).id));
    expect(order.map((m) => [m.name, m.dueDate])).toEqual([['督办：月底前完成土地挂牌', '2026-10-30']]);
    await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.owner.openId && textOf(m).includes('督办'));
    expect((await project(P)).lastActivityAt.getTime()).toBe(before);
    expect((await episodeOf(P)).closedAt).toBeNull();
  });

  it('lets the leader summon the people responsible, who are told', async () => {
    const [notice] = noticesTo(county.leader.openId, P);
    const answer = await submitForm(county.leader.openId, notice!, 'esc.summon.form', 'esc.summon', {
      when: '2026-10-20',
      place: '县政府三楼会议室',
      attendees: [county.owner.openId, county.townHead.openId],
      topic: '项目停滞原因及整改措施',
    });
    expect(toastOf(answer)?.type).toBe('success');
    for (const person of [county.owner, county.townHead]) {
      await h.sandbox.waitForMessages((m) => m.recipientOpenId === person.openId && textOf(m).includes('约谈通知') && textOf(m).includes('2026-10-20'));
    }
  });

  it('lets the unit head reassign the owner, who is told, but not summon: that is the leader’s', async () => {
    const [notice] = noticesTo(county.townHead.openId, Q);
    const summonAttempt = await tap(county.townHead.openId, notice!, { ...buttonValue(notice, 'esc.ack.form'), action: 'esc.summon.form' });
    expect(toastOf(summonAttempt)?.type).toBe('warning');
    const answer = await submitForm(county.townHead.openId, notice!, 'esc.reassign.form', 'esc.reassign', {
      newOwner: county.official.openId,
      reason: '原负责人岗位调整',
    });
    expect(toastOf(answer)?.type).toBe('success');
    expect((await project(Q)).ownerOpenId).toBe(county.official.openId);
    await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.official.openId && textOf(m).includes('改派') && textOf(m).includes(Q));
  });

  it('shows each person the alarms they may see', async () => {
    const forLeader = textOf(await say(county.leader, '/预警'));
    expect(forLeader).toContain(P);
    expect(forLeader).toContain(Q);
    expect(textOf(await say(county.stranger, '/预警'))).not.toContain(P);
  });

  it('ends the alarm on real progress and tells everyone who was told', async () => {
    await say(county.owner, `/进展 ${P} 已与客商签订框架协议`);
    expect((await episodeOf(P)).closedAt).not.toBeNull();
    for (const person of [county.owner, county.townHead, county.leader, county.supervisor]) {
      await h.sandbox.waitForMessages((m) => m.recipientOpenId === person.openId && textOf(m).includes('预警解除') && textOf(m).includes(P));
    }
  });

  it('keeps the whole story in the project record', async () => {
    const { projectHistory } = t();
    const actions = (
      await h.app.store.db
        .select()
        .from(projectHistory)
        .where(eq(projectHistory.projectId, (await project(P)).id))
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['escalation_opened', 'escalation_notice', 'supervision_ordered', 'progress', 'escalation_resolved']));
    const record = textOf(await say(county.leader, `/记录 ${P}`));
    expect(record).toMatch(/督办/);
    expect(record).toMatch(/预警解除/);
  });
});
