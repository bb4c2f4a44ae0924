import type { UnitFacts } from '../domain/scoring';
import type { ProjectStage } from '../domain/vocabulary';
import { asyncify } from './asyncify';
import type { Db } from './client';

/** A period as the database sees it: plain days for dated entries, instants for timestamps. */
export interface PeriodBounds {
  from: string;
  to: string;
  /** Midnight (county time) starting `from`, and the one after `to`, in ms. */
  fromMs: number;
  toMs: number;
  /** The day overdue milestones are counted on: the period's end, or today while it runs. */
  asOf: string;
}

/** [project id, value] rows, as better-sqlite3 returns them in raw mode. */
type Pair = [number, number | string | null];

/**
 * SQL (named parameter `@asOf`, table alias `b`): a blocker or decision overdue on day `@asOf`.
 * Past its time limit, and not finished by that day: not yet 办结, or 办结 only after it (a
 * reopened one has no 办结 day until it is resolved again), or, for a decision taken on by a
 * newer one (superseded), taken on only after it. One sent back (退回) is with the coordinators,
 * not with a unit, and is not counted; the status is read as it is now, so one sent back after
 * `@asOf` is not counted for that day either. Kept simple on purpose; the bulletin counts the same.
 */
export const BLOCKER_OVERDUE_SQL = `b.due_date < @asOf and b.status <> 'returned' and coalesce(b.resolved_day, b.closed_day, '9999-12-31') > @asOf`;

/**
 * SQL (named parameters `@from`, `@to`, alias `b`): a blocker (not a decision) reported 办结
 * within the period on or before its time limit, and not reopened since.
 */
export const BLOCKER_RESOLVED_ON_TIME_SQL = `b.type = 'blocker' and b.status in ('resolved', 'closed') and b.resolved_day >= @from and b.resolved_day <= @to and b.resolved_day <= b.due_date`;

/**
 * The facts units are scored on. Each measure is one index range read of project ids (and a
 * value), in raw mode with statements prepared once; the project → unit map is read once for all
 * periods asked together, and the adding up happens here. Joining every row to its project in SQL,
 * or building an object per row, cost more than the reads themselves at 100,000 projects. A
 * project counts for its current unit; one with no unit yet counts for nobody. Blockers and
 * decisions (few) count for their responsible unit, read straight from their rows, whatever the
 * stage of their project: the overdue ladder chases them on a lost project too.
 */
function createStandingsRepositorySync({ db }: { db: Db }) {
  const raw = (query: string) => db.$client.prepare(query).raw(true);
  const q = {
    units: db.$client.prepare('select id, name from units order by id'),
    projects: raw('select id, unit_id, stage from projects'),
    // A project counts once per stage it reached in the period, however often it moved there.
    stages: raw(`select distinct project_id, json_extract(changes, '$.to') from project_history where action = 'stage_moved' and at >= ? and at < ?`),
    signed: raw(`select id, coalesce(planned_investment_wan, 0) from projects where id in (
                   select project_id from project_history where action = 'stage_moved' and at >= ? and at < ? and json_extract(changes, '$.to') = 'signed')`),
    funds: raw('select project_id, amount_wan from funds_entries where day >= ? and day <= ?'),
    jobs: raw('select project_id, jobs from job_entries where day >= ? and day <= ?'),
    // Two index ranges rather than one OR: still open and past due, or met only after the day counted.
    overdue: raw(`select project_id, null from milestones where done_date is null and due_date < ?
                  union all select project_id, null from milestones where done_date > ? and due_date < ?`),
    // An overdue blocker's alarm is not a stall: the blocker's own penalty counts it.
    episodes: raw(`select project_id, null from escalation_episodes where opened_at >= ? and opened_at < ? and cause_key not like 'blocker-%'`),
    onTime: raw('select project_id, null from milestones where done_date >= ? and done_date <= ? and done_date <= due_date'),
    // [responsible unit id, value] rows.
    blockersOnTime: raw(`select b.unit_id, null from blockers b where ${BLOCKER_RESOLVED_ON_TIME_SQL}`),
    // Commitments are not scored: the bulletin reports them.
    blockersOverdue: raw(`select b.unit_id, b.type from blockers b where b.type <> 'commitment' and ${BLOCKER_OVERDUE_SQL}`),
  };

  function factsFor(p: PeriodBounds, units: { id: number; name: string }[], unitOf: Map<number, number>, lost: Set<number>): UnitFacts[] {
    const facts = new Map<number, UnitFacts>(
      units.map((u) => [
        u.id,
        {
          unitId: u.id,
          unitName: u.name,
          stagesReached: {},
          signedInvestmentWan: 0,
          fundsWan: 0,
          jobs: 0,
          overdueMilestones: 0,
          stalledEpisodes: 0,
          onTimeMilestones: 0,
          blockersResolvedOnTime: 0,
          overdueBlockers: 0,
          overdueDecisions: 0,
        },
      ]),
    );
    const add = (pairs: Pair[], apply: (f: UnitFacts, value: Pair[1], project: number) => void) => {
      for (const [project, value] of pairs) {
        const f = facts.get(unitOf.get(project) ?? -1);
        if (f) apply(f, value, project);
      }
    };
    const all = (statement: (typeof q)['stages'], ...params: (string | number)[]) => statement.all(...params) as Pair[];
    add(all(q.stages, p.fromMs, p.toMs), (f, stage) => {
      const s = stage as ProjectStage;
      f.stagesReached[s] = (f.stagesReached[s] ?? 0) + 1;
    });
    add(all(q.signed, p.fromMs, p.toMs), (f, wan) => (f.signedInvestmentWan += Number(wan)));
    add(all(q.funds, p.from, p.to), (f, wan) => (f.fundsWan += Number(wan)));
    add(all(q.jobs, p.from, p.to), (f, jobs) => (f.jobs += Number(jobs)));
    add(all(q.overdue, p.asOf, p.asOf, p.asOf), (f, _, project) => {
      if (!lost.has(project)) f.overdueMilestones++;
    });
    add(all(q.episodes, p.fromMs, p.toMs), (f) => f.stalledEpisodes++);
    add(all(q.onTime, p.from, p.to), (f) => f.onTimeMilestones++);
    const byUnit = (pairs: Pair[], apply: (f: UnitFacts, value: Pair[1]) => void) => {
      for (const [unit, value] of pairs) {
        const f = facts.get(unit);
        if (f) apply(f, value);
      }
    };
    byUnit(q.blockersOnTime.all({ from: p.from, to: p.to }) as Pair[], (f) => f.blockersResolvedOnTime++);
    byUnit(q.blockersOverdue.all({ asOf: p.asOf }) as Pair[], (f, type) => {
      if (type === 'decision') f.overdueDecisions++;
      else f.overdueBlockers++;
    });
    return [...facts.values()];
  }

  // Everything the standings count is written with a project history entry (stage moves, milestones,
  // funds, jobs, alarms, blockers, commitments, a unit assigned); only units come and go without one.
  const version = db.$client.prepare('select (select max(id) from project_history) h, (select count(*) from units) u, (select max(id) from units) m');

  return {
    /** Changes whenever any fact the standings count may have changed: a cache key. */
    dataVersion(): string {
      const v = version.get() as { h: number | null; u: number; m: number | null };
      return `${v.h ?? 0}:${v.u}:${v.m ?? 0}`;
    },

    /** The facts of every unit for each period, in the order asked. */
    unitFacts(periods: PeriodBounds[]): UnitFacts[][] {
      const units = q.units.all() as { id: number; name: string }[];
      const unitOf = new Map<number, number>();
      const lost = new Set<number>();
      for (const [id, unit, stage] of q.projects.all() as [number, number | null, string][]) {
        if (unit !== null) unitOf.set(id, unit);
        if (stage === 'lost') lost.add(id);
      }
      return periods.map((p) => factsFor(p, units, unitOf, lost));
    },
  };
}

export type StandingsRepository = ReturnType<typeof createStandingsRepository>;
export const createStandingsRepository = (a: Parameters<typeof createStandingsRepositorySync>[0]) => asyncify(createStandingsRepositorySync(a));
