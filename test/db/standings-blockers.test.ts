/**
 * The blocker facts of the standings, counted in SQL: blockers resolved on time in the period and
 * blockers and decisions overdue at its end, each for the responsible unit (not the project's), and
 * an overdue blocker's alarm not counted as a stall; and the bulletin's counts of the same rows.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulletinRepository } from '../../db/bulletin-repository';
import { type Db, openDatabase } from '../../db/client';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { blockers, escalationEpisodes } from '../../db/schema';
import { createStandingsRepository, type PeriodBounds } from '../../db/standings-repository';
import type { BlockerStatus, BlockerType } from '../../domain/blockers';
import { formatProjectCode } from '../../domain/project-code';
import type { UnitFacts } from '../../domain/scoring';
import { tempDir } from '../support/temp-dir';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
const clock = () => at('2026-10-08T09:00:00');
const dir = tempDir('standings-blockers');
let db: Db;
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
function blocker(unitId: number, type: BlockerType, status: BlockerStatus, dueDate: string, ended: { resolvedDay?: string; closedDay?: string } = {}): void {
  seq++;
  db.insert(blockers)
    .values({
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
    })
    .run();
}

function episode(causeKey: string, openedAt: string): void {
  db.insert(escalationEpisodes)
    .values({ projectId: ids.project, causeKey, cause: { kind: 'x' }, state: {}, openedAt: new Date(at(openedAt)) })
    .run();
}

/**
 * One project of 城关镇, whose blockers went to 县供电公司 and 县自然资源局; the period Q3 2026 is
 * counted on 2026-09-30.
 */
beforeAll(() => {
  db = openDatabase(join(dir.path, 'zs.db'));
  const units = createUnitsRepository({ db, clock });
  const town = units.upsert('城关镇', 'township').id;
  const power = units.upsert('县供电公司', 'department').id;
  const land = units.upsert('县自然资源局', 'department').id;
  createPeopleRepository({ db, clock }).upsertFromRoster({ openId: 'ou_owner', name: '钱主任', unitId: town, role: 'official' });
  const project = createProjectsRepository({ db, clock }).register(
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
  ).project.id;
  ids = { power, land, town, project };

  // 县供电公司's blockers.
  blocker(power, 'blocker', 'closed', '2026-08-15', { resolvedDay: '2026-08-10', closedDay: '2026-08-13' }); // on time
  blocker(power, 'blocker', 'resolved', '2026-09-30', { resolvedDay: '2026-09-30' }); // on time, on the last day
  blocker(power, 'blocker', 'closed', '2026-08-15', { resolvedDay: '2026-08-20', closedDay: '2026-08-21' }); // late, done by the end
  blocker(power, 'blocker', 'closed', '2026-06-25', { resolvedDay: '2026-06-20', closedDay: '2026-06-23' }); // on time in Q2
  blocker(power, 'blocker', 'accepted', '2026-09-01'); // reopened: no 办结 day any more, overdue
  blocker(power, 'blocker', 'open', '2026-09-29'); // overdue by a day
  blocker(power, 'blocker', 'open', '2026-09-30'); // due on the day counted: not overdue yet
  blocker(power, 'blocker', 'returned', '2026-08-01'); // with the coordinators: nobody's
  blocker(power, 'blocker', 'closed', '2026-09-10', { resolvedDay: '2026-10-05', closedDay: '2026-10-06' }); // overdue at Q3's end, late in Q4
  // 县供电公司's decisions.
  blocker(power, 'decision', 'accepted', '2026-09-01'); // overdue
  blocker(power, 'decision', 'superseded', '2026-09-01', { closedDay: '2026-09-15' }); // taken on by a newer decision in time
  blocker(power, 'decision', 'superseded', '2026-09-01', { closedDay: '2026-10-10' }); // taken on only after Q3
  blocker(power, 'decision', 'closed', '2026-09-10', { resolvedDay: '2026-09-01', closedDay: '2026-09-02' }); // a decision earns nothing
  // 县自然资源局's, on the same 城关镇 project.
  blocker(land, 'blocker', 'closed', '2026-07-31', { resolvedDay: '2026-07-30', closedDay: '2026-07-31' });
  // A decision sent back (退回): not carried out, but with the coordinators, so overdue for nobody.
  blocker(power, 'decision', 'returned', '2026-12-01');

  // Alarms on the 城关镇 project in Q3: a stall, and an overdue blocker's, which is not one.
  episode('inactive', '2026-08-03T09:00:00');
  episode('blocker-5', '2026-09-02T09:00:00');
  episode('milestone-1', '2026-06-30T09:00:00'); // Q2
});
afterAll(() => {
  db.$client.close();
  dir.remove();
});

const blockerFacts = (f: UnitFacts | undefined) => ({
  blockersResolvedOnTime: f?.blockersResolvedOnTime,
  overdueBlockers: f?.overdueBlockers,
  overdueDecisions: f?.overdueDecisions,
  stalledEpisodes: f?.stalledEpisodes,
});

describe('standings facts of blockers and decisions', () => {
  const factsOf = (period: PeriodBounds) => {
    const [facts] = createStandingsRepository({ db }).unitFacts([period]);
    return (unitId: number) => blockerFacts(facts?.find((f) => f.unitId === unitId));
  };

  it('counts blockers resolved on time and those overdue at the period end for the responsible unit', () => {
    const q3 = factsOf(Q3);
    expect(q3(ids.power)).toEqual({ blockersResolvedOnTime: 2, overdueBlockers: 3, overdueDecisions: 2, stalledEpisodes: 0 });
    expect(q3(ids.land)).toEqual({ blockersResolvedOnTime: 1, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 0 });
  });

  it('counts nothing of them for the project’s unit, and does not count a blocker’s alarm as a stall', () => {
    expect(factsOf(Q3)(ids.town)).toEqual({ blockersResolvedOnTime: 0, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 1 });
  });

  it('counts each period on its own days', () => {
    // Q2: the one resolved in June; nothing was overdue on 2026-06-30; the milestone's alarm is a stall.
    expect(factsOf(Q2)(ids.power)).toEqual({ blockersResolvedOnTime: 1, overdueBlockers: 0, overdueDecisions: 0, stalledEpisodes: 0 });
    expect(factsOf(Q2)(ids.town).stalledEpisodes).toBe(1);
    // Q4 so far: the blocker resolved late on 10-05 earns nothing and is no longer overdue; the
    // decision taken on only on 10-10 is still overdue on 10-08.
    expect(factsOf(Q4_SO_FAR)(ids.power)).toEqual({ blockersResolvedOnTime: 0, overdueBlockers: 3, overdueDecisions: 2, stalledEpisodes: 0 });
  });
});

describe('the bulletin’s blockers and decisions', () => {
  it('counts per responsible unit the blockers resolved in the quarter (on time or not) and overdue at its end', () => {
    expect(createBulletinRepository({ db }).blockersByUnit(Q3.from, Q3.to, Q3.asOf)).toEqual([
      { unitId: ids.power, unitName: '县供电公司', resolved: 3, resolvedOnTime: 2, overdue: 3 },
      { unitId: ids.land, unitName: '县自然资源局', resolved: 1, resolvedOnTime: 1, overdue: 0 },
    ]);
    // Nothing was resolved in Q2 by 县自然资源局, nor overdue on 2026-06-30: it is left out.
    expect(createBulletinRepository({ db }).blockersByUnit(Q2.from, Q2.to, Q2.asOf)).toEqual([
      { unitId: ids.power, unitName: '县供电公司', resolved: 1, resolvedOnTime: 1, overdue: 0 },
    ]);
  });

  it('lists the decisions not carried out at the quarter’s end, due or not, earliest due first', () => {
    const pending = createBulletinRepository({ db }).pendingDecisions(Q3.asOf);
    expect(pending).toEqual([
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 10', dueDate: '2026-09-01', status: 'accepted', overdue: true },
      // Taken on by a newer decision only on 10-10.
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 12', dueDate: '2026-09-01', status: 'superseded', overdue: true },
      { code: 'ZS-2026-0001', unitName: '县供电公司', description: '问题 15', dueDate: '2026-12-01', status: 'returned', overdue: false },
    ]);
    expect(
      createBulletinRepository({ db })
        .pendingDecisions('2026-10-10')
        .map((d) => d.description),
    ).toEqual(['问题 10', '问题 15']);
  });
});
