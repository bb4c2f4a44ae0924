import { and, asc, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { BlockerStatus, BlockerType } from '../domain/blockers';
import type { ProjectStage } from '../domain/vocabulary';
import type { Store, Tables } from './store';

/** Which projects a ledger lists; every field left out lists all. */
export interface LedgerFilter {
  /**
   * Projects of these units (责任单位); undefined: every unit, and projects without one. The
   * blockers sheet lists the blockers of these units' projects and those these units must solve.
   */
  unitIds?: number[];
  stage?: ProjectStage;
  /** The year the project was registered in (its code's year). */
  year?: number;
}

/** A milestone as the ledger shows it: planned date, and the actual one once met. */
export interface LedgerMilestone {
  name: string;
  dueDate: string;
  doneDate: string | null;
}

/** One project in the 台账, names resolved and 到位资金 / 就业岗位 summed over their entries. */
export interface LedgerRow {
  projectId: number;
  code: string;
  name: string;
  investor: string;
  unitName: string | null;
  ownerName: string;
  leaderName: string | null;
  referrer: string | null;
  /** The channel code (county.json `channels`); the workbook shows its name. */
  channel: string | null;
  industry: string | null;
  stage: ProjectStage;
  plannedInvestmentWan: number | null;
  fundsInPlaceWan: number;
  jobs: number;
  /** By planned date. */
  milestones: LedgerMilestone[];
  lastActivityAt: Date;
}

/** A blocker or decision in the 台账's second sheet (问题与议定事项), names resolved. */
export interface LedgerBlockerRow {
  code: string;
  projectName: string;
  type: BlockerType;
  complaint: boolean;
  kind: string;
  description: string;
  /** 责任单位: the unit that must solve it. */
  unitName: string;
  raisedByName: string;
  raisedDay: string;
  dueDate: string;
  status: BlockerStatus;
  resolvedDay: string | null;
  closedDay: string | null;
  outcome: string | null;
  finding: string | null;
}

/** A commitment in the 台账's third sheet (承诺兑现), names resolved and its deliveries summed. */
export interface LedgerCommitmentRow {
  code: string;
  projectName: string;
  /** What was promised. */
  description: string;
  basis: string | null;
  /** 责任单位: the unit that must keep it. */
  unitName: string;
  raisedDay: string;
  dueDate: string;
  /** The promised amount, 万元, if it has one. */
  amountWan: number | null;
  status: BlockerStatus;
  /** The day it was kept (the deliveries reached the promise). */
  resolvedDay: string | null;
  closedDay: string | null;
  /** Delivered so far, 万元, rounded to 4 decimals. */
  deliveredWan: number;
  deliveries: number;
  lastDeliveryDay: string | null;
  /** Each delivery's evidence (凭证), in the order of their days. */
  evidences: string[];
}

/** Where a project comes in code order. */
type ProjectOrder = { year: number; seq: number };

/** Projects a page of the ledger: a province's 100,000 held about 300 MB at once. */
const LEDGER_PAGE = 2_000;

/**
 * Reads the project ledger (台账) for export, a page of projects at a time. Four queries a page —
 * projects with their names, then funds, jobs and milestones of the same projects — joined here.
 */
export function createLedgerRepository({ store }: { store: Store }) {
  const { blockers, commitmentDeliveries, fundsEntries, jobEntries, milestones, people, projects, units } = store.tables;
  const owner = alias(people, 'owner');
  const leader = alias(people, 'leader');
  const matching = (filter: LedgerFilter) => projectsMatching(store.tables, filter);
  const concerning = (filter: LedgerFilter) => blockersConcerning(store.tables, filter);

  /** The page of ledger rows after the project `after` (in code order), and where it ends. */
  async function rowsAfter(filter: LedgerFilter, after: ProjectOrder | undefined, limit: number): Promise<{ rows: LedgerRow[]; last?: ProjectOrder }> {
    const list = await store.db
      .select({
        projectId: projects.id,
        code: projects.code,
        name: projects.name,
        investor: projects.investor,
        unitName: units.name,
        ownerName: owner.name,
        leaderName: leader.name,
        referrer: projects.referrer,
        channel: projects.channel,
        industry: projects.industry,
        stage: projects.stage,
        plannedInvestmentWan: projects.plannedInvestmentWan,
        lastActivityAt: projects.lastActivityAt,
        year: projects.year,
        seq: projects.seq,
      })
      .from(projects)
      .leftJoin(units, eq(units.id, projects.unitId))
      .innerJoin(owner, eq(owner.openId, projects.ownerOpenId))
      .leftJoin(leader, eq(leader.openId, projects.leaderOpenId))
      // A row value, which both databases read as a range of the (year, seq) index; the same
      // condition spelt with OR made SQLite read every project for each page.
      .where(and(matching(filter), after && sql`(${projects.year}, ${projects.seq}) > (${after.year}, ${after.seq})`))
      .orderBy(asc(projects.year), asc(projects.seq))
      .limit(limit);
    if (list.length === 0) return { rows: [] };
    const selected = list.map((row) => row.projectId);

    // Rounded in SQL: summed REALs pick up binary noise (0.1 + 0.2) that would show in the sheet.
    // PostgreSQL rounds to decimals only a numeric, and returns numerics and the bigint sum of
    // integers as strings: hence the cast, and the numbers mapped back.
    const funds = await store.db
      .select({ projectId: fundsEntries.projectId, total: sql<number>`round(cast(sum(${fundsEntries.amountWan}) as numeric), 4)`.mapWith(Number) })
      .from(fundsEntries)
      .where(inArray(fundsEntries.projectId, selected))
      .groupBy(fundsEntries.projectId);
    const jobs = await store.db
      .select({ projectId: jobEntries.projectId, total: sql<number>`sum(${jobEntries.jobs})`.mapWith(Number) })
      .from(jobEntries)
      .where(inArray(jobEntries.projectId, selected))
      .groupBy(jobEntries.projectId);
    const dated = await store.db
      .select({ projectId: milestones.projectId, name: milestones.name, dueDate: milestones.dueDate, doneDate: milestones.doneDate })
      .from(milestones)
      .where(inArray(milestones.projectId, selected))
      .orderBy(asc(milestones.projectId), asc(milestones.dueDate), asc(milestones.id));

    const fundsOf = new Map(funds.map((f) => [f.projectId, f.total]));
    const jobsOf = new Map(jobs.map((j) => [j.projectId, j.total]));
    const milestonesOf = new Map<number, LedgerMilestone[]>();
    for (const { projectId, ...milestone } of dated) {
      const those = milestonesOf.get(projectId);
      if (those) those.push(milestone);
      else milestonesOf.set(projectId, [milestone]);
    }
    const rows: LedgerRow[] = list.map(({ year: _, seq: __, ...row }) => ({
      ...row,
      fundsInPlaceWan: fundsOf.get(row.projectId) ?? 0,
      jobs: jobsOf.get(row.projectId) ?? 0,
      milestones: milestonesOf.get(row.projectId) ?? [],
    }));
    const { year, seq } = list.at(-1)!;
    return { rows, last: { year, seq } };
  }

  return {
    /** One row per project matching `filter`, in code order (year, then number), a page at a time. */
    async *rows(filter: LedgerFilter = {}, pageSize = LEDGER_PAGE): AsyncGenerator<LedgerRow[]> {
      for (let after: ProjectOrder | undefined; ; ) {
        const page = await rowsAfter(filter, after, pageSize);
        if (page.rows.length === 0) return;
        yield page.rows;
        after = page.last;
      }
    },

    /**
     * The blockers and decisions for the 台账's second sheet, in one query: those on the projects
     * `filter`'s stage and year select, and of its units either the project's unit or the
     * responsible unit; by project code, then as raised. Commitments have a sheet of their own.
     */
    async blockerRows(filter: LedgerFilter = {}): Promise<LedgerBlockerRow[]> {
      return store.db
        .select({
          code: projects.code,
          projectName: projects.name,
          type: blockers.type,
          complaint: blockers.complaint,
          kind: blockers.kind,
          description: blockers.description,
          unitName: units.name,
          raisedByName: people.name,
          raisedDay: blockers.raisedDay,
          dueDate: blockers.dueDate,
          status: blockers.status,
          resolvedDay: blockers.resolvedDay,
          closedDay: blockers.closedDay,
          outcome: blockers.outcome,
          finding: blockers.finding,
        })
        .from(blockers)
        .innerJoin(projects, eq(projects.id, blockers.projectId))
        .innerJoin(units, eq(units.id, blockers.unitId))
        .innerJoin(people, eq(people.openId, blockers.raisedBy))
        .where(and(ne(blockers.type, 'commitment'), concerning(filter)))
        .orderBy(asc(projects.year), asc(projects.seq), asc(blockers.raisedDay), asc(blockers.id));
    },

    /**
     * The commitments for the 台账's third sheet, chosen as {@link blockerRows} chooses blockers,
     * with their deliveries (a second query, joined here); by project code, then in the order they
     * were made, as /兑现 numbers them.
     */
    async commitmentRows(filter: LedgerFilter = {}): Promise<LedgerCommitmentRow[]> {
      const where = and(eq(blockers.type, 'commitment'), concerning(filter));
      const list = await store.db
        .select({
          id: blockers.id,
          code: projects.code,
          projectName: projects.name,
          description: blockers.description,
          basis: blockers.basis,
          unitName: units.name,
          raisedDay: blockers.raisedDay,
          dueDate: blockers.dueDate,
          amountWan: blockers.amountWan,
          status: blockers.status,
          resolvedDay: blockers.resolvedDay,
          closedDay: blockers.closedDay,
        })
        .from(blockers)
        .innerJoin(projects, eq(projects.id, blockers.projectId))
        .innerJoin(units, eq(units.id, blockers.unitId))
        .where(where)
        .orderBy(asc(projects.year), asc(projects.seq), asc(blockers.id));
      const selected = store.db.select({ id: blockers.id }).from(blockers).innerJoin(projects, eq(projects.id, blockers.projectId)).where(where);
      const delivered = await store.db
        .select({
          blockerId: commitmentDeliveries.blockerId,
          day: commitmentDeliveries.day,
          amountWan: commitmentDeliveries.amountWan,
          evidence: commitmentDeliveries.evidence,
        })
        .from(commitmentDeliveries)
        .where(inArray(commitmentDeliveries.blockerId, selected))
        .orderBy(asc(commitmentDeliveries.blockerId), asc(commitmentDeliveries.day), asc(commitmentDeliveries.id));
      const deliveriesOf = new Map<number, typeof delivered>();
      for (const d of delivered) {
        const those = deliveriesOf.get(d.blockerId);
        if (those) those.push(d);
        else deliveriesOf.set(d.blockerId, [d]);
      }
      return list.map(({ id, ...row }) => {
        const those = deliveriesOf.get(id) ?? [];
        // Rounded: summed REALs pick up binary noise (0.1 + 0.2) that would show in the sheet.
        const sum = those.reduce((total, d) => total + (d.amountWan ?? 0), 0);
        return {
          ...row,
          deliveredWan: Number(sum.toFixed(4)),
          deliveries: those.length,
          lastDeliveryDay: those.at(-1)?.day ?? null,
          evidences: those.map((d) => d.evidence),
        };
      });
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;

/**
 * Blockers (of every type) on the projects `filter`'s stage and year select, and of its units
 * either the project's unit or the responsible unit. Joins `projects`.
 */
function blockersConcerning({ blockers, projects }: Tables, filter: LedgerFilter): SQL | undefined {
  return and(
    projectsMatching({ projects }, { ...filter, unitIds: undefined }),
    filter.unitIds === undefined ? undefined : or(inArray(projects.unitId, filter.unitIds), inArray(blockers.unitId, filter.unitIds)),
  );
}

function projectsMatching({ projects }: Pick<Tables, 'projects'>, filter: LedgerFilter): SQL | undefined {
  return and(
    filter.unitIds === undefined ? undefined : inArray(projects.unitId, filter.unitIds),
    filter.stage === undefined ? undefined : eq(projects.stage, filter.stage),
    filter.year === undefined ? undefined : eq(projects.year, filter.year),
  );
}
