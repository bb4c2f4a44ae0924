import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPowerCompany, county, type Harness, powerCompany, startHarness, textOf } from '../support/bot-harness';
import { cardTaps } from '../support/card-taps';

/**
 * A commitment made on Monday Nov 2 2026, due Friday Nov 20: a partial delivery, lateness and its
 * alarm, the rest delivered; and a project lost with a commitment not kept. In calendar order.
 */
const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;
let { buttonValue, tap, toastOf, submitForm } = {} as ReturnType<typeof cardTaps>;
let P: string;

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
const t = () => h.app.store.tables;
/** In the order they were made: PostgreSQL returns rows in no set order without ORDER BY. */
const commitmentsOf = async (code: string) => {
  const { projects, blockers } = t();
  const [project] = await h.app.store.db.select().from(projects).where(eq(projects.code, code)).limit(1);
  return h.app.store.db.select().from(blockers).where(eq(blockers.projectId, project!.id)).orderBy(asc(blockers.id));
};
const waitFor = (openId: string, text: string) => h.sandbox.waitForMessages((m) => m.recipientOpenId === openId && textOf(m).includes(text));
async function register(name: string): Promise<string> {
  const [reply] = await h.sendAndWaitReplies(
    h.groupMessage(county.official, `/lead ${name} 投资方:${name}公司 负责人:@{钱主任} 包抓:@{孙副县长}`, [county.owner, county.leader]),
  );
  return /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
}

beforeAll(async () => {
  setClock('2026-11-02T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  ({ buttonValue, tap, toastOf, submitForm } = cardTaps(h));
  await addPowerCompany(h);
  P = await register('新社区工厂');
});
afterAll(async () => {
  await h?.close();
});

describe('a commitment to an investor', () => {
  it('needs its unit and due date, from someone who may change the project, and writes nothing otherwise', async () => {
    const missing = textOf(await say(county.owner, `/承诺 ${P} 厂房租金前三年全免 金额:120万`));
    expect(missing).toMatch(/单位/);
    expect(missing).toMatch(/时限/);
    expect(textOf(await say(county.stranger, `/承诺 ${P} 厂房租金前三年全免 单位:${powerCompany.name} 时限:2026-11-20`))).toMatch(/不能/);
    expect(await commitmentsOf(P)).toHaveLength(0);
  });

  it('is written down with its basis, unit, due date and amount, and reaches the unit', async () => {
    const reply = textOf(await say(county.owner, `/承诺 ${P} 厂房租金前三年全免 依据:奖励办法第五条 单位:${powerCompany.name} 时限:2026-11-20 金额:120万`));
    expect(reply).toContain('第 1 项');
    expect((await commitmentsOf(P))[0]).toMatchObject({ type: 'commitment', basis: '奖励办法第五条', amountWan: 120, dueDate: '2026-11-20', status: 'open' });
    const [card] = await waitFor(powerCompany.head.openId, '厂房租金前三年全免');
    expect(JSON.stringify(card?.latestContent)).toContain('"commitment.deliver.form"');
    expect(JSON.stringify(card?.latestContent)).not.toContain('"blocker.accept.form"');
    const commitmentId = (await commitmentsOf(P))[0]!.id;
    const reminders = await h.app.queues.reminders.getJobs(['delayed', 'waiting']);
    expect(reminders.some((j) => j.id === `bnudge-${commitmentId}-b7-20261120`)).toBe(true);
  });

  it('adds up partial deliveries, and asks for the amount of one', async () => {
    setClock('2026-11-10T10:00:00');
    expect(textOf(await say(powerCompany.head, `/兑现 ${P} 1 凭证:首年租金已退还`))).toMatch(/金额/);
    expect(textOf(await say(powerCompany.head, `/兑现 ${P} 2 40万 凭证:首年租金已退还`))).toMatch(/没有第 2 项/);
    const partial = textOf(await say(powerCompany.head, `/兑现 ${P} 1 40万 凭证:首年租金已退还`));
    expect(partial).toMatch(/部分兑现/);
    expect(partial).toContain('40');
    expect((await commitmentsOf(P))[0]!.status).toBe('open');
    expect((await h.app.store.db.select().from(t().commitmentDeliveries)).map((d) => [d.amountWan, d.day])).toEqual([[40, '2026-11-10']]);
  });

  it('is late the first working day after its due date, and climbs from the unit’s head', async () => {
    expect((await h.app.escalations.scan()).opened).toBe(0);
    setClock('2026-11-23T09:00:00');
    await h.app.escalations.scan();
    const [notice] = await waitFor(powerCompany.head.openId, '承诺逾期');
    expect(textOf(notice)).toContain('厂房租金前三年全免');
  });

  it('is kept once the deliveries reach the amount, which ends its alarm', async () => {
    setClock('2026-11-24T10:00:00');
    // The first card is three weeks old, past the 14 days Lark passes taps for: /问题清单 sends a fresh one.
    const replies = await h.sendAndWaitReplies(h.groupMessage(powerCompany.head, '/问题清单'), 2);
    const card = replies.find((m) => JSON.stringify(m.latestContent).includes('"commitment.deliver.form"'));
    const kept = await submitForm(powerCompany.head.openId, card!, 'commitment.deliver.form', 'commitment.deliver', {
      amount: '80万',
      day: '2026-11-24',
      evidence: '后两年租金减免协议已签订',
    });
    expect(toastOf(kept)?.type).toBe('success');
    expect((await commitmentsOf(P))[0]).toMatchObject({ status: 'closed', closedDay: '2026-11-24' });
    const { escalationEpisodes } = t();
    const [episode] = await h.app.store.db
      .select()
      .from(escalationEpisodes)
      .where(eq(escalationEpisodes.causeKey, `blocker-${(await commitmentsOf(P))[0]!.id}`))
      .orderBy(asc(escalationEpisodes.id))
      .limit(1);
    expect(episode!.closedAt).not.toBeNull();
    await waitFor(powerCompany.head.openId, '预警解除');
    await waitFor(county.owner.openId, '承诺已兑现');
    expect(toastOf(await tap(county.owner.openId, card!, buttonValue(card, 'commitment.deliver.form')))?.type).toBe('error');
  });

  it('keeps every step in the project record', async () => {
    const record = textOf(await say(county.leader, `/记录 ${P}`));
    expect(record).toContain('承诺');
    expect(record.match(/兑现/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('a project lost with a commitment not kept', () => {
  it('says so first in the accountability review notice, with the commitment and its unit', async () => {
    const Q = await register('富硒茶深加工');
    await say(county.owner, `/承诺 ${Q} 配套建设10kV专线 单位:${powerCompany.name} 时限:2026-11-30`);
    setClock('2026-12-02T10:00:00');
    await say(county.owner, `/阶段 ${Q} 流失 客商转投邻县`);
    for (const person of [county.townHead, county.leader]) {
      const [notice] = await waitFor(person.openId, `项目流失 · ${Q}`);
      const text = textOf(notice);
      expect(text).toMatch(/1 项承诺未兑现/);
      expect(text.indexOf('配套建设10kV专线')).toBeLessThan(text.indexOf('项目记录'));
      expect(text).toContain(powerCompany.name);
    }
  });
});
