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
 * Money is added up in whole 元 (万元 × 10,000), as integers: sums kept up to date by adding and
 * taking away come out exactly as a fresh read's, so two units tied on score stay tied.
 */
const YUAN_PER_WAN = 10_000;
const inYuan = (wan: unknown) => Math.round(Number(wan) * YUAN_PER_WAN);

/** What one project adds to its unit's facts in a period, whatever the day they are counted on. */
interface ProjectContribution {
  stages: ProjectStage[];
  signedYuan: number;
  fundsYuan: number;
  jobs: number;
  episodes: number;
  onTime: number;
}
type Contributions = Map<number, ProjectContribution>;

/** A unit's projects' contributions and overdue milestones in a period, added up. */
interface UnitSums extends Omit<ProjectContribution, 'stages'> {
  stagesReached: Partial<Record<ProjectStage, number>>;
  overdue: number;
}

/**
 * A period as read: its contributions, and its overdue milestones per project on the day `asOf`.
 * Only the overdue count depends on the day, and only while the period runs: a new day reads that
 * one measure again, not the period. `byUnit` adds them up per unit, and is kept so as they change:
 * a change costs the projects it touched, not another pass over 100,000.
 */
interface KeptPeriod {
  bounds: PeriodBounds;
  contributions: Contributions;
  overdue: Map<number, number>;
  byUnit: Map<number, UnitSums>;
}

/** Periods whose contributions a process keeps (this quarter and the last, a month or two…). */
const KEPT_PERIODS = 8;
/** Past this many changed projects, reading a period afresh is the cheaper way. */
const MAX_CHANGED_PROJECTS = 2_000;

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
  // Each measure of every project, or (`only`: `and project_id in (…)`) of some.
  const q = {
    // A project counts once per stage it reached in the period, however often it moved there.
    stages: (p: PeriodBounds, only: SQL) =>
      sql`select distinct project_id, ${stageTo} from project_history where action = 'stage_moved' and at >= ${at(p.fromMs)} and at < ${at(p.toMs)} ${only}`,
    signed: (p: PeriodBounds, only: SQL) => sql`select id, coalesce(planned_investment_wan, 0) from projects where id in (
        select project_id from project_history where action = 'stage_moved' and at >= ${at(p.fromMs)} and at < ${at(p.toMs)} and ${stageTo} = 'signed' ${only})`,
    funds: (p: PeriodBounds, only: SQL) => sql`select project_id, amount_wan from funds_entries where day >= ${p.from} and day <= ${p.to} ${only}`,
    jobs: (p: PeriodBounds, only: SQL) => sql`select project_id, jobs from job_entries where day >= ${p.from} and day <= ${p.to} ${only}`,
    // Two index ranges rather than one OR: still open and past due, or met only after the day counted.
    overdue: (p: PeriodBounds, only: SQL) => sql`select project_id, null from milestones where done_date is null and due_date < ${p.asOf} ${only}
        union all select project_id, null from milestones where done_date > ${p.asOf} and due_date < ${p.asOf} ${only}`,
    // From day `from` to a later day `to`: milestones that fell due in between, not met by `to` (two
    // index ranges again), and milestones overdue on `from` met in between.
    newlyOverdue: (from: string, to: string) => sql`select project_id, null from milestones where done_date is null and due_date >= ${from} and due_date < ${to}
        union all select project_id, null from milestones where done_date > ${to} and due_date >= ${from} and due_date < ${to}`,
    overdueMet: (from: string, to: string) =>
      sql`select project_id, null from milestones where done_date > ${from} and done_date <= ${to} and due_date < ${from}`,
    // An overdue blocker's alarm is not a stall: the blocker's own penalty counts it.
    episodes: (p: PeriodBounds, only: SQL) =>
      sql`select project_id, null from escalation_episodes where opened_at >= ${at(p.fromMs)} and opened_at < ${at(p.toMs)} and cause_key not like 'blocker-%' ${only}`,
    onTime: (p: PeriodBounds, only: SQL) =>
      sql`select project_id, null from milestones where done_date >= ${p.from} and done_date <= ${p.to} and done_date <= due_date ${only}`,
    // [responsible unit id, value] rows.
    blockersOnTime: (p: PeriodBounds) => sql`select b.unit_id, null from blockers b where ${blockerResolvedOnTime(p.from, p.to)}`,
    // Commitments are not scored: the bulletin reports them.
    blockersOverdue: (p: PeriodBounds) => sql`select b.unit_id, b.type from blockers b where b.type <> 'commitment' and ${blockerOverdue(p.asOf)}`,
  };
  // One parameter per id, not inIds (sql-dialect.ts): for the few projects a change touches, SQLite
  // planned the JSON form badly (standings after a change at 100,000 projects: 52 → 153 ms).
  const projectIdIn = (ids: number[] | undefined, column = 'project_id') =>
    ids
      ? sql`and ${sql.raw(column)} in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`
      : sql``;

  /** Reads each measure's [project id, value] pairs for a period: of every project, or of `only` those (not yet added up). */
  async function readPeriod(p: PeriodBounds, only?: number[]): Promise<KeptPeriod> {
    const of = projectIdIn(only);
    const c: Contributions = new Map();
    const entry = (project: number) => {
      const found = c.get(project);
      if (found) return found;
      const fresh: ProjectContribution = { stages: [], signedYuan: 0, fundsYuan: 0, jobs: 0, episodes: 0, onTime: 0 };
      c.set(project, fresh);
      return fresh;
    };
    const parts: [SQL, (e: ProjectContribution, value: Pair[1]) => void][] = [
      [q.stages(p, of), (e, stage) => e.stages.push(stage as ProjectStage)],
      [q.signed(p, of), (e, wan) => (e.signedYuan += inYuan(wan))],
      [q.funds(p, of), (e, wan) => (e.fundsYuan += inYuan(wan))],
      [q.jobs(p, of), (e, jobs) => (e.jobs += Number(jobs))],
      [q.episodes(p, of), (e) => e.episodes++],
      [q.onTime(p, of), (e) => e.onTime++],
    ];
    // At once: on PostgreSQL each goes on a connection of its own, so the wait is the longest
    // query's rather than the sum of seven round trips.
    const [overdue, ...results] = await Promise.all([readOverdue(p, only), ...parts.map(([query]) => store.tuples<Pair>(query))]);
    parts.forEach(([, apply], i) => {
      for (const [project, value] of results[i]!) apply(entry(project), value);
    });
    return { bounds: p, contributions: c, overdue: overdue!, byUnit: new Map() };
  }

  /** The sums of the unit a project counts for now (as `known` has it), if it counts for one. */
  function sumsFor(kept: KeptPeriod, project: number): UnitSums | undefined {
    const unit = known.unitOf.get(project);
    if (unit === undefined) return undefined;
    let sums = kept.byUnit.get(unit);
    if (!sums) {
      sums = { stagesReached: {}, signedYuan: 0, fundsYuan: 0, jobs: 0, episodes: 0, onTime: 0, overdue: 0 };
      kept.byUnit.set(unit, sums);
    }
    return sums;
  }

  /** Adds (1) or takes away (-1) a project's contribution to its unit's sums. */
  function countContribution(kept: KeptPeriod, project: number, sign: 1 | -1): void {
    const e = kept.contributions.get(project);
    const sums = e && sumsFor(kept, project);
    if (!e || !sums) return;
    for (const stage of e.stages) {
      const reached = (sums.stagesReached[stage] ?? 0) + sign;
      if (reached === 0) delete sums.stagesReached[stage];
      else sums.stagesReached[stage] = reached;
    }
    sums.signedYuan += sign * e.signedYuan;
    sums.fundsYuan += sign * e.fundsYuan;
    sums.jobs += sign * e.jobs;
    sums.episodes += sign * e.episodes;
    sums.onTime += sign * e.onTime;
  }

  /** Adds (1) or takes away (-1) a project's overdue milestones to its unit's sums: a lost project's are not counted. */
  function countOverdue(kept: KeptPeriod, project: number, sign: 1 | -1): void {
    const overdue = kept.overdue.get(project);
    const sums = overdue && !known.lost.has(project) ? sumsFor(kept, project) : undefined;
    if (sums) sums.overdue += sign * overdue!;
  }

  /** A period read whole, added up per unit. */
  async function readWhole(p: PeriodBounds): Promise<KeptPeriod> {
    const kept = await readPeriod(p);
    for (const project of kept.contributions.keys()) countContribution(kept, project, 1);
    for (const project of kept.overdue.keys()) countOverdue(kept, project, 1);
    return kept;
  }

  /**
   * Moves a kept period's overdue counts to the day `p.asOf`. A later day changes only the
   * milestones due or met in between, a few days' worth: read those, not every overdue milestone.
   */
  async function countOverdueOn(kept: KeptPeriod, p: PeriodBounds): Promise<void> {
    const [from, to] = [kept.bounds.asOf, p.asOf];
    if (to < from) {
      kept.overdue = await readOverdue(p);
      for (const sums of kept.byUnit.values()) sums.overdue = 0;
      for (const project of kept.overdue.keys()) countOverdue(kept, project, 1);
    } else {
      const [fellDue, met] = await Promise.all([store.tuples<Pair>(q.newlyOverdue(from, to)), store.tuples<Pair>(q.overdueMet(from, to))]);
      const add = (project: number, change: number) => {
        countOverdue(kept, project, -1);
        const count = (kept.overdue.get(project) ?? 0) + change;
        if (count === 0) kept.overdue.delete(project);
        else kept.overdue.set(project, count);
        countOverdue(kept, project, 1);
      };
      for (const [project] of fellDue) add(project, 1);
      for (const [project] of met) add(project, -1);
    }
    kept.bounds = p;
  }

  async function readOverdue(p: PeriodBounds, only?: number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const [project] of await store.tuples<Pair>(q.overdue(p, projectIdIn(only)))) counts.set(project, (counts.get(project) ?? 0) + 1);
    return counts;
  }

  async function readProjects(only?: number[]): Promise<[number, number | null, string][]> {
    return store.tuples<[number, number | null, string]>(sql`select id, unit_id, stage from projects where 1 = 1 ${projectIdIn(only, 'id')}`);
  }

  async function factsFor({ bounds: p, byUnit }: KeptPeriod): Promise<UnitFacts[]> {
    const facts = new Map<number, UnitFacts>(
      known.units.map((u) => {
        const sums = byUnit.get(u.id);
        return [
          u.id,
          {
            unitId: u.id,
            unitName: u.name,
            stagesReached: { ...sums?.stagesReached },
            signedInvestmentWan: (sums?.signedYuan ?? 0) / YUAN_PER_WAN,
            fundsWan: (sums?.fundsYuan ?? 0) / YUAN_PER_WAN,
            jobs: sums?.jobs ?? 0,
            overdueMilestones: sums?.overdue ?? 0,
            stalledEpisodes: sums?.episodes ?? 0,
            onTimeMilestones: sums?.onTime ?? 0,
            blockersResolvedOnTime: 0,
            overdueBlockers: 0,
            overdueDecisions: 0,
          },
        ];
      }),
    );
    const [onTime, late] = await Promise.all([store.tuples<Pair>(q.blockersOnTime(p)), store.tuples<Pair>(q.blockersOverdue(p))]);
    for (const [unit] of onTime) {
      const f = facts.get(unit);
      if (f) f.blockersResolvedOnTime++;
    }
    for (const [unit, type] of late) {
      const f = facts.get(unit);
      if (f && type === 'decision') f.overdueDecisions++;
      else if (f) f.overdueBlockers++;
    }
    return [...facts.values()];
  }

  /**
   * What this process has read: the units, each project's unit and whether it is lost, and each
   * period's contributions, as of history entry `historyId`. A later read takes only the projects
   * with history entries after it. History ids follow commit order because every write that adds
   * one holds the store's write transaction (one at a time across processes): no entry can appear
   * later below an id already seen.
   */
  const known = {
    historyId: -1,
    unitsVersion: '',
    units: [] as { id: number; name: string }[],
    unitOf: new Map<number, number>(),
    lost: new Set<number>(),
    periods: new Map<string, KeptPeriod>(),
  };
  const periodKey = (p: PeriodBounds) => `${p.fromMs}~${p.toMs}`;
  let answering: Promise<unknown> = Promise.resolve();
  const setProject = ([id, unit, stage]: [number, number | null, string]) => {
    if (unit === null) known.unitOf.delete(id);
    else known.unitOf.set(id, unit);
    if (stage === 'lost') known.lost.add(id);
    else known.lost.delete(id);
  };

  async function catchUp(): Promise<void> {
    const { historyId, units } = await readVersion();
    if (historyId === known.historyId && units === known.unitsVersion) return;
    const changed = units !== known.unitsVersion ? undefined : await changedProjects(historyId);
    if (changed === undefined) {
      known.units = await store.rows<{ id: number; name: string }>(sql`select id, name from units order by id`);
      known.unitOf.clear();
      known.lost.clear();
      for (const row of await readProjects()) setProject(row);
      known.periods.clear();
    } else if (changed.length > 0) {
      const periods = [...known.periods.values()];
      const [rows, read] = await Promise.all([readProjects(changed), Promise.all(periods.map(({ bounds }) => readPeriod(bounds, changed)))]);
      // Taken away from the units as they stood, and added to them as they stand now (a project may have changed unit or been lost).
      for (const kept of periods) {
        for (const id of changed) {
          countContribution(kept, id, -1);
          countOverdue(kept, id, -1);
        }
      }
      for (const row of rows) setProject(row);
      for (const [i, kept] of periods.entries()) {
        const fresh = read[i]!;
        for (const id of changed) {
          replace(kept.contributions, id, fresh.contributions.get(id));
          replace(kept.overdue, id, fresh.overdue.get(id));
          countContribution(kept, id, 1);
          countOverdue(kept, id, 1);
        }
      }
    }
    known.historyId = historyId;
    known.unitsVersion = units;
  }

  function replace<V>(kept: Map<number, V>, id: number, fresh: V | undefined) {
    if (fresh === undefined) kept.delete(id);
    else kept.set(id, fresh);
  }

  /** The projects with history entries after `historyId`; undefined when so many that reading everything is cheaper. */
  async function changedProjects(historyId: number): Promise<number[] | undefined> {
    if (known.historyId < 0) return undefined;
    const rows = await store.tuples<[number]>(sql`select distinct project_id from project_history where id > ${known.historyId} and id <= ${historyId}`);
    return rows.length > MAX_CHANGED_PROJECTS ? undefined : rows.map(([id]) => id);
  }

  async function readVersion() {
    const [[h, u, m] = []] = await store.tuples<[unknown, unknown, unknown]>(
      sql`select (select max(id) from project_history), (select count(*) from units), (select max(id) from units)`,
    );
    const historyId = Number(h ?? 0);
    const units = `${Number(u ?? 0)}:${Number(m ?? 0)}`;
    return { version: `${historyId}:${units}`, historyId, units };
  }

  /** Each period's unit facts, the periods read or moved to their day as needed. */
  async function factsOf(periods: PeriodBounds[]): Promise<UnitFacts[][]> {
    await catchUp();
    const facts: UnitFacts[][] = [];
    for (const p of periods) {
      const key = periodKey(p);
      let kept = known.periods.get(key);
      if (!kept) {
        kept = await readWhole(p);
        known.periods.set(key, kept);
        // Oldest first in a Map: the periods asked longest ago go.
        if (known.periods.size > KEPT_PERIODS) known.periods.delete(known.periods.keys().next().value!);
      } else if (kept.bounds.asOf !== p.asOf) {
        await countOverdueOn(kept, p);
      }
      facts.push(await factsFor(kept));
    }
    return facts;
  }

  return {
    /**
     * Changes whenever any fact the standings count may have changed: a cache key. Everything the
     * standings count is written with a project history entry (stage moves, milestones, funds,
     * jobs, alarms, blockers, commitments, a unit assigned); only units come and go without one.
     */
    async dataVersion(): Promise<string> {
      return (await readVersion()).version;
    },

    /**
     * The facts of every unit for each period, in the order asked: read in full once per period,
     * then kept up to date from the projects whose history moved since. One ask at a time: a
     * second one waits for the first's read (the read-ahead at start, a burst of /排名) and takes
     * what it kept, rather than reading the same 100,000 projects alongside it.
     */
    unitFacts(periods: PeriodBounds[]): Promise<UnitFacts[][]> {
      const asked = answering.then(() => factsOf(periods));
      answering = asked.catch(() => {});
      return asked;
    },
  };
}

export type StandingsRepository = ReturnType<typeof createStandingsRepository>;
