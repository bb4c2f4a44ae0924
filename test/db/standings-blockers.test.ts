/**
 * The blocker facts of the standings, counted in SQL: blockers resolved on time in the period and
 * blockers and decisions overdue at its end, each for the responsible unit (not the project's), and
 * an overdue blocker's alarm not counted as a stall; and the bulletin's counts of the same rows.
 * Commitments, written and delivered through the blockers repository, count in none of these: the
 * bulletin's 承诺兑现 reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinCard } from '../../bot/standings/bulletin-cards';
import { createBlockersRepository } from '../../db/blockers-repository';
import { createBulletinRepository } from '../../db/bulletin-repository';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { createStandingsRepository, type PeriodBounds } from '../../db/standings-repository';
import type { Store } from '../../db/store';
import type { BlockerStatus, BlockerType } from '../../domain/blockers';
import { COMMITMENT_KIND, keptOn } from '../../domain/commitments';
import { formatProjectCode } from '../../domain/project-code';
import type { UnitFacts } from '../../domain/scoring';
import { textOf } from '../support/bot-harness';
import { tempDir } from '../support/temp-dir';
import { openTestStore } from '../support/test-store';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
const clock = () => at('2026-10-08T09:00:00');
const dir = tempDir('standings-blockers');
let store: Store;
let ids: { power: number; land: number; town: number; project: number };

/** A period of days, its instants in county time, counted on `asOf`. */
const bounds = (from: string, to: string, asOf = to): PeriodBounds => ({
  from,
  to,
  fromMs: at(`${from}T00:00:00`),
  toMs: at(`${to}T00:00:00`) + 86_400_000,
  asOf,
});
const Q2 = bounds('2026-04-01', '2026-06-30');
const Q3 = bounds('2026-07-01', '2026-09-30');
/** The fourth quarter while it runs: counted on today, 2026-10-08. */
const Q4_SO_FAR = bounds('2026-10-01', '2026-12-31', '2026-10-08');

let seq = 0;
async function blocker(
  unitId: number,
  type: BlockerType,
  status: BlockerStatus,
  dueDate: string,
  ended: { resolvedDay?: string; closedDay?: string } = {},
): Promise<void> {
  seq++;
  await store.db.insert(store.tables.blockers).values({
    projectId: ids.project,
    type,
    kind: '用电',
    complaint: false,
    description: `问题 ${seq}`,
    unitId,
    raisedBy: 'ou_owner',
    raisedAt: new Date(at('2026-04-01T09:00:00')),
    raisedDay: '2026-04-01',
    dueDate,
    status,
    resolvedDay: ended.resolvedDay ?? null,
    closedDay: ended.closedDay ?? null,
    sourceKey: `blocker-${seq}`,
    updatedAt: new Date(clock()),
  });
}

/**
 * A commitment of `unitId` raised on `raisedDay`, then its deliveries as /兑现 records them: kept
 * (closed on the delivery's day) once they reach the amount.
 */
async function commitment(
  unitId: number,
  promise: string,
  raisedDay: string,
  dueDate: string,
  amountWan: number | null,
  deliveries: { day: string; amountWan?: number }[] = [],
): Promise<void> {
  const repo = createBlockersRepository({ store, clock });
  seq++;
  const request = { projectId: ids.project, actorOpenId: 'ou_owner', sourceKey: `commitment-${seq}` };
  const fields = { type: 'commitment' as const, kind: COMMITMENT_KIND, complaint: false, description: promise, unitId, dueDate, raisedDay, sourceChatId: null };
  const { blocker } = await repo.raise(request, { ...fields, basis: '奖励办法第五条', amountWan }, 'commitment_made');
  for (const [i, d] of deliveries.entries()) {
    const now = (await repo.byId(blocker.id))!;
    const delivery = { day: d.day, amountWan: d.amountWan ?? null, evidence: `凭证 ${i + 1}` };
    await repo.deliver(
      { ...request, sourceKey: `${request.sourceKey}-${i}` },
      now,
      delivery,
      keptOn(amountWan, [...(await repo.deliveries(blocker.id)), delivery]),
    );
  }
}

async function episode(causeKey: string, openedAt: string): Promise<void> {
  await store.db
    .insert(store.tables.escalationEpisodes)
    .values({ projectId: ids.project, causeKey, cause: { kind: 'x' }, state: {}, openedAt: new Date(at(openedAt)) });
}

/**
 * One project of 城关镇, whose blockers went to 县供电公司 and 县自然资源局; the period Q3 2026 is
 * counted on 2026-09-30.
 */
beforeAll(async () => {
  store = await openTestStore(dir.path);
  const units = createUnitsRepository({ store, clock });
  const town = (await units.upsert('城关镇', 'township')).id;
  const power = (await units.upsert('县供电公司', 'department')).id;
  const land = (await units.upsert('县自然资源局', 'department')).id;
  await createPeopleRepository({ store, clock }).upsertFromRoster({ openId: 'ou_owner', name: '钱主任', unitId: town, role: 'official' });
  const project = (
    await createProjectsRepository({ store, clock }).register(
      {
        year: 2026,
        name: '富硒茶深加工',
        investor: '某茶业有限公司',
        investorKey: '某茶业',
        plannedInvestmentWan: null,
        industry: null,
        channel: null,
        referrer: null,
        note: null,
        unitId: town,
        ownerOpenId: 'ou_owner',
        leaderOpenId: null,
        createdBy: 'ou_owner',
        sourceChatId: null,
        sourceKey: 'lead-1',
      },
      formatProjectCode,
    )
  ).project.id;
  ids = { power, land, town, project };

  // 县供电公司's blockers.
  await blocker(power, 'blocker', 'closed', '2026-08-15', { resolvedDay: '2026-08-10', closedDay: '2026-08-13' }); // on time
  await blocker(power, 'blocker', 'resolved', '2026-09-30', { resolvedDay: '2026-09-30' }); // on time, on the last day
  await blocker(power, 'blocker', 'closed', '2026-08-15', { resolvedDay: '2026-08-20', closedDay: '2026-08-21' }); // late, done by the end
  await blocker(power, 'blocker', 'closed', '2026-06-25', { resolvedDay: '2026-06-20', closedDay: '2026-06-23' }); // on time in Q2
  await blocker(power, 'blocker', 'accepted', '2026-09-01'); // reopened: no 办结 day any more, overdue
  await blocker(power, 'blocker', 'open', '2026-09-29'); // overdue by a day
  await blocker(power, 'blocker', 'open', '2026-09-30'); // due on the day counted: not overdue yet
  await blocker(power, 'blocker', 'returned', '2026-08-01'); // with the coordinators: nobody's
  await blocker(power, 'blocker', 'closed', '2026-09-10', { resolvedDay: '2026-10-05', closedDay: '2026-10-06' }); // overdue at Q3's end, late in Q4
  // 县供电公司's decisions.
  await blocker(power, 'decision', 'accepted', '2026-09-01'); // overdue
  await blocker(power, 'decision', 'superseded', '2026-09-01', { closedDay: '2026-09-15' }); // taken on by a newer decision in time
  await blocker(power, 'decision', 'superseded', '2026-09-01', { closedDay: '2026-10-10' }); // taken on only after Q3
  await blocker(power, 'decision', 'closed', '2026-09-10', { resolvedDay: '2026-09-01', closedDay: '2026-09-02' }); // a decision earns nothing
  // 县自然资源局's, on the same 城关镇 project.
  await blocker(land, 'blocker', 'closed', '2026-07-31', { resolvedDay: '2026-07-30', closedDay: '2026-07-31' });
  // A decision sent back (退回): not carried out, but with the coordinators, so overdue for nobody.
  await blocker(power, 'decision', 'returned', '2026-12-01');

  // Commitments: due in Q3 unless said.
  await commitment(power, '租金前三年全免', '2026-04-01', '2026-08-31', 120, [
    { day: '2026-08-01', amountWan: 40 },
    { day: '2026-08-30', amountWan: 80 },
  ]); // kept on time, in two deliveries
  await commitment(power, '进场道路修通', '2026-04-01', '2026-08-15', null, [{ day: '2026-08-20' }]); // kept late, without an amount
  await commitment(power, '设备补贴', '2026-04-01', '2026-09-10', 1, [
    { day: '2026-09-01', amountWan: 0.1 },
    { day: '2026-09-05', amountWan: 0.2 },
    { day: '2026-10-03', amountWan: 0.7 },
  ]); // partly delivered by Q3's end, kept only in Q4
  await commitment(power, '人才公寓10套', '2026-04-01', '2026-09-30', 50); // due on Q3's last day, nothing delivered
  await commitment(land, '土地挂牌出让', '2026-04-01', '2026-07-15', null, [{ day: '2026-07-10' }]); // kept on time
  await commitment(power, '厂区绿化', '2026-04-01', '2026-06-30', null, [{ day: '2026-06-30' }]); // Q2, kept on its due day
  await commitment(power, '标准厂房交付', '2026-09-01', '2026-10-05', null, [{ day: '2026-10-02' }]); // Q4, kept on time
  await commitment(power, '通气管道接入', '2026-09-01', '2026-10-06', 30, [{ day: '2026-10-06', amountWan: 10 }]); // Q4, overdue on 10-08
  await commitment(power, '污水处理配套', '2026-09-01', '2026-10-20', null); // Q4, not yet due on 10-08

  // Alarms on the 城关镇 project in Q3: a stall, and an overdue blocker's, which is not one.
  await episode('inactive', '2026-08-03T09:00:00');
  await episode('blocker-5', '2026-09-02T09:00:00');
  await episode('milestone-1', '2026-06-30T09:00:00'); // Q2
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});

const blockerFacts = (f: UnitFacts | undefined) => ({
  blockersResolvedOnTime: f?.blockersResolvedOnTime,
  overdueBlockers: f?.overdueBlockers,
  overdueDecisions: f?.overdueDecisions,
  stalledEpisodes: f?.stalledEpisodes,
});

describe('standings facts of blockers and decisions', () => {
  const factsOf = async (period: PeriodBounds) => {
    const [facts] = await createStandingsRepository({ store }).unitFacts([period]);
    return (unitId: number) => blockerFacts(facts?.find((f) => f.unitId === unitId));
  };

  it('counts blockers resolved on time and those overdue at the period end for the responsible unit', async () => {
    const q3 = await factsOf(Q3);
    expect(q3(ids.power)).toEqual({ blockersResolvedOnTime: 2, overdueBlockers: 3, overdueDecisions: 2, stalledEpisodes: 0 });
    expect(q3(ids.land)).toEqual({ blockersResolvedOnTime: 1, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 0 });
  });

  it('counts nothing of them for the project’s unit, and does not count a blocker’s alarm as a stall', async () => {
    expect((await factsOf(Q3))(ids.town)).toEqual({ blockersResolvedOnTime: 0, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 1 });
  });

  it('counts each period on its own days', async () => {
    // Q2: the one resolved in June; nothing was overdue on 2026-06-30; the milestone's alarm is a stall.
    expect((await factsOf(Q2))(ids.power)).toEqual({ blockersResolvedOnTime: 1, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 0 });
    expect((await factsOf(Q2))(ids.town).stalledEpisodes).toBe(1);
    // Q4 so far: the blocker resolved late on 10-05 earns nothing and is no longer overdue; the
    // decision taken on only on 10-10 is still overdue on 10-08.
    expect((await factsOf(Q4_SO_FAR))(ids.power)).toEqual({ blockersResolvedOnTime: 0, overdueBlockers: 3, overdueDecisions: 2, stalledEpisodes: 0 });
  });
});

describe('the bulletin’s blockers and decisions', () => {
  it('counts per responsible unit the blockers resolved in the quarter (on time or not) and overdue at its end', async () => {
    expect(await createBulletinRepository({ store }).blockersByUnit(Q3.from, Q3.to, Q3.asOf)).toEqual([
      { unitId: ids.power, unitName: '县供电公司', resolved: 3, resolvedOnTime: 2, overdue: 3 },
      { unitId: ids.land, unitName: '县自然资源局', resolved: 1, resolvedOnTime: 1, overdue: 0 },
    ]);
    // Nothing was resolved in Q2 by 县自然资源局, nor overdue on 2026-06-30: it is left out.
    expect(await createBulletinRepository({ store }).blockersByUnit(Q2.from, Q2.to, Q2.asOf)).toEqual([
      { unitId: ids.power, unitName: '县供电公司', resolved: 1, resolvedOnTime: 1, overdue: 0 },
    ]);
  });

  it('lists the decisions not carried out at the quarter’s end, due or not, earliest due first', async () => {
    const pending = await createBulletinRepository({ store }).pendingDecisions(Q3.asOf);
    expect(pending).toEqual([
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 10', dueDate: '2026-09-01', status: 'accepted', overdue: true },
      // Taken on by a newer decision only on 10-10.
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 12', dueDate: '2026-09-01', status: 'superseded', overdue: true },
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 15', dueDate: '2026-12-01', status: 'returned', overdue: false },
    ]);
    expect((await createBulletinRepository({ store }).pendingDecisions('2026-10-10')).map((d) => d.description)).toEqual(['问题 10', '问题 15']);
  });
});

describe('the bulletin’s commitments', () => {
  it('counts the commitments due in the quarter as kept on time, late or not at its end, and lists those missed', async () => {
    expect(await createBulletinRepository({ store }).commitmentsDue(Q3.from, Q3.to, Q3.asOf)).toEqual({
      due: 5,
      onTime: 2,
      late: 1,
      notKept: 2,
      notYetDue: 0,
      missed: [
        // Not kept first, earliest due first; delivered only what came by 09-30, its float noise rounded.
        { code: 'ZS-2026-0001', unitName: '县供电公司', description: '设备补贴', dueDate: '2026-09-10', keptDay: null, amountWan: 1, deliveredWan: 0.3 },
        { code: 'ZS-2026-0001', unitName: '县供电公司', description: '人才公寓10套', dueDate: '2026-09-30', keptDay: null, amountWan: 50, deliveredWan: 0 },
        {
          code: 'ZS-2026-0001',
          unitName: '县供电公司',
          description: '进场道路修通',
          dueDate: '2026-08-15',
          keptDay: '2026-08-20',
          amountWan: null,
          deliveredWan: 0,
        },
      ],
    });
  });

  it('counts each quarter on its own days, and those not yet due while it runs', async () => {
    const repo = createBulletinRepository({ store });
    expect(await repo.commitmentsDue(Q2.from, Q2.to, Q2.asOf)).toEqual({ due: 1, onTime: 1, late: 0, notKept: 0, notYetDue: 0, missed: [] });
    const q4 = await repo.commitmentsDue(Q4_SO_FAR.from, Q4_SO_FAR.to, Q4_SO_FAR.asOf);
    expect(q4).toMatchObject({ due: 3, onTime: 1, late: 0, notKept: 1, notYetDue: 1 });
    expect(q4.missed).toEqual([
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '通气管道接入', dueDate: '2026-10-06', keptDay: null, amountWan: 30, deliveredWan: 10 },
    ]);
    // Seen from after the quarter, the one kept on 10-03 was kept late.
    expect(await repo.commitmentsDue(Q3.from, Q3.to, '2026-10-08')).toMatchObject({ due: 5, onTime: 2, late: 2, notKept: 1 });
  });

  it('shows them in the bulletin’s 承诺兑现 section', async () => {
    const repo = createBulletinRepository({ store });
    const card = bulletinCard({
      period: { kind: 'quarter', from: Q3.from, to: Q3.to, label: '2026年第3季度' },
      rows: [],
      stalled: { longest: [], total: 0 },
      lost: [],
      summons: [],
      blockers: await repo.blockersByUnit(Q3.from, Q3.to, Q3.asOf),
      decisions: await repo.pendingDecisions(Q3.asOf),
      commitments: await repo.commitmentsDue(Q3.from, Q3.to, Q3.asOf),
    });
    expect(textOf({ latestContent: card } as never)).toContain(
      [
        '**承诺兑现**',
        '本期到期承诺 5 项：按期兑现 2 项，逾期兑现 1 项，未兑现 2 项',
        '**ZS-2026-0001** 县供电公司：设备补贴（时限 2026-09-10，未兑现，累计兑现 0.3万元 / 1万元）',
        '**ZS-2026-0001** 县供电公司：人才公寓10套（时限 2026-09-30，未兑现，累计兑现 0万元 / 50万元）',
        '**ZS-2026-0001** 县供电公司：进场道路修通（时限 2026-08-15，2026-08-20 逾期兑现）',
      ].join('\n'),
    );
  });
});
