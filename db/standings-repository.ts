import { type SQL, sql } from 'drizzle-orm';
import type { UnitFacts } from '../domain/scoring';
import type { ProjectStage } from '../domain/vocabulary';
import { instant, jsonText } from './sql-dialect';
import type { Store } from './store';

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

/** [project id, value] rows: each measure reads two columns, by position. */
type Pair = [number, number | string | null];

/**
 * SQL (table alias `b`): a blocker or decision overdue on day `asOf`. Past its time limit, and not
 * finished by that day: not yet 办结, or 办结 only after it (a reopened one has no 办结 day until it
 * is resolved again), or, for a decision taken on by a newer one (superseded), taken on only after
 * it. One sent back (退回) is with the coordinators, not with a unit, and is not counted; the status
 * is read as it is now, so one sent back after `asOf` is not counted for that day either. Kept
 * simple on purpose; the bulletin counts the same.
 */
export const blockerOverdue = (asOf: string) =>
  sql`(b.due_date < ${asOf} and b.status <> 'returned' and coalesce(b.resolved_day, b.closed_day, '9999-12-31') > ${asOf})`;

/** SQL (alias `b`): a blocker (not a decision) reported 办结 in [from, to] on or before its time limit, and not reopened since. */
export const blockerResolvedOnTime = (from: string, to: string) =>
  sql`(b.type = 'blocker' and b.status in ('resolved', 'closed') and b.resolved_day >= ${from} and b.resolved_day <= ${to} and b.resolved_day <= b.due_date)`;

/**
 * The facts units are scored on. Each measure is one index range read of project ids (and a
 * value), read as plain tuples; the project → unit map is read once for all periods asked
 * together, and the adding up happens here. Joining every row to its project in SQL, or building
 * an object per row, cost more than the reads themselves at 100,000 projects. A project counts
 * for its current unit; one with no unit yet counts for nobody. Blockers and decisions (few)
 * count for their responsible unit, read straight from their rows, whatever the stage of their
 * project: the overdue ladder chases them on a lost project too.
 */
export function createStandingsRepository({ store }: { store: Store }) {
  const at = (ms: number) => instant(store.dialect, ms);
  const stageTo = jsonText(store.dialect, sql.raw('changes'), 'to');
  const q = {
    // A project counts once per stage it reached in the period, however often it moved there.
    stages: (p: PeriodBounds) =>
      sql`select distinct project_id, ${stageTo} from project_history where action = 'stage_moved' and at >= ${at(p.fromMs)} and at < ${at(p.toMs)}`,
    signed: (p: PeriodBounds) => sql`select id, coalesce(planned_investment_wan, 0) from projects where id in (
        select project_id from project_history where action = 'stage_moved' and at >= ${at(p.fromMs)} and at < ${at(p.toMs)} and ${stageTo} = 'signed')`,
    funds: (p: PeriodBounds) => sql`select project_id, amount_wan from funds_entries where day >= ${p.from} and day <= ${p.to}`,
    jobs: (p: PeriodBounds) => sql`select project_id, jobs from job_entries where day >= ${p.from} and day <= ${p.to}`,
    // Two index ranges rather than one OR: still open and past due, or met only after the day counted.
    overdue: (p: PeriodBounds) => sql`select project_id, null from milestones where done_date is null and due_date < ${p.asOf}
        union all select project_id, null from milestones where done_date > ${p.asOf} and due_date < ${p.asOf}`,
    // An overdue blocker's alarm is not a stall: the blocker's own penalty counts it.
    episodes: (p: PeriodBounds) =>
      sql`select project_id, null from escalation_episodes where opened_at >= ${at(p.fromMs)} and opened_at < ${at(p.toMs)} and cause_key not like 'blocker-%'`,
    onTime: (p: PeriodBounds) => sql`select project_id, null from milestones where done_date >= ${p.from} and done_date <= ${p.to} and done_date <= due_date`,
    // [responsible unit id, value] rows.
    blockersOnTime: (p: PeriodBounds) => sql`select b.unit_id, null from blockers b where ${blockerResolvedOnTime(p.from, p.to)}`,
    // Commitments are not scored: the bulletin reports them.
    blockersOverdue: (p: PeriodBounds) => sql`select b.unit_id, b.type from blockers b where b.type <> 'commitment' and ${blockerOverdue(p.asOf)}`,
  };

  async function factsFor(p: PeriodBounds, units: { id: number; name: string }[], unitOf: Map<number, number>, lost: Set<number>): Promise<UnitFacts[]> {
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
    const add = async (query: SQL, apply: (f: UnitFacts, value: Pair[1], project: number) => void) => {
      for (const [project, value] of await store.tuples<Pair>(query)) {
        const f = facts.get(unitOf.get(project) ?? -1);
        if (f) apply(f, value, project);
      }
    };
    await add(q.stages(p), (f, stage) => {
      const s = stage as ProjectStage;
      f.stagesReached[s] = (f.stagesReached[s] ?? 0) + 1;
    });
    await add(q.signed(p), (f, wan) => (f.signedInvestmentWan += Number(wan)));
    await add(q.funds(p), (f, wan) => (f.fundsWan += Number(wan)));
    await add(q.jobs(p), (f, jobs) => (f.jobs += Number(jobs)));
    await add(q.overdue(p), (f, _, project) => {
      if (!lost.has(project)) f.overdueMilestones++;
    });
    await add(q.episodes(p), (f) => f.stalledEpisodes++);
    await add(q.onTime(p), (f) => f.onTimeMilestones++);
    const byUnit = async (query: SQL, apply: (f: UnitFacts, value: Pair[1]) => void) => {
      for (const [unit, value] of await store.tuples<Pair>(query)) {
        const f = facts.get(unit);
        if (f) apply(f, value);
      }
    };
    await byUnit(q.blockersOnTime(p), (f) => f.blockersResolvedOnTime++);
    await byUnit(q.blockersOverdue(p), (f, type) => {
      if (type === 'decision') f.overdueDecisions++;
      else f.overdueBlockers++;
    });
    return [...facts.values()];
  }

  return {
    /**
     * Changes whenever any fact the standings count may have changed: a cache key. Everything the
     * standings count is written with a project history entry (stage moves, milestones, funds,
     * jobs, alarms, blockers, commitments, a unit assigned); only units come and go without one.
     */
    async dataVersion(): Promise<string> {
      const [[h, u, m] = []] = await store.tuples<[unknown, unknown, unknown]>(
        sql`select (select max(id) from project_history), (select count(*) from units), (select max(id) from units)`,
      );
      return `${Number(h ?? 0)}:${Number(u ?? 0)}:${Number(m ?? 0)}`;
    },

    /** The facts of every unit for each period, in the order asked. */
    async unitFacts(periods: PeriodBounds[]): Promise<UnitFacts[][]> {
      const units = await store.rows<{ id: number; name: string }>(sql`select id, name from units order by id`);
      const unitOf = new Map<number, number>();
      const lost = new Set<number>();
      for (const [id, unit, stage] of await store.tuples<[number, number | null, string]>(sql`select id, unit_id, stage from projects`)) {
        if (unit !== null) unitOf.set(id, unit);
        if (stage === 'lost') lost.add(id);
      }
      const facts: UnitFacts[][] = [];
      for (const p of periods) facts.push(await factsFor(p, units, unitOf, lost));
      return facts;
    },
  };
}

export type StandingsRepository = ReturnType<typeof createStandingsRepository>;
