import { sql } from 'drizzle-orm';
import type { UnitFacts } from '../domain/scoring';
import type { Db } from './client';
import type { ProjectStage } from './schema';

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

type Row = Record<string, number | string | null>;

/**
 * The facts units are scored on, one aggregate query per measure over the whole county, so a
 * quarter's standings over 100,000 projects stay in the tens of milliseconds. A project counts
 * for its current unit; projects with no unit yet count for nobody.
 */
export function createStandingsRepository({ db }: { db: Db }) {
  const all = (query: ReturnType<typeof sql>) => db.all<Row>(query);

  return {
    unitFacts(p: PeriodBounds): UnitFacts[] {
      const facts = new Map<number, UnitFacts>();
      for (const u of all(sql`select id, name from units order by id`)) {
        facts.set(Number(u.id), {
          unitId: Number(u.id),
          unitName: String(u.name),
          stagesReached: {},
          signedInvestmentWan: 0,
          fundsWan: 0,
          jobs: 0,
          overdueMilestones: 0,
          stalledEpisodes: 0,
          onTimeMilestones: 0,
        });
      }
      const each = (rows: Row[], apply: (f: UnitFacts, r: Row) => void) => {
        for (const r of rows) {
          const f = facts.get(Number(r.unit));
          if (f) apply(f, r);
        }
      };

      each(
        all(sql`select p.unit_id unit, json_extract(h.changes, '$.to') stage, count(distinct p.id) n
                from project_history h join projects p on p.id = h.project_id
                where h.action = 'stage_moved' and h.at >= ${p.fromMs} and h.at < ${p.toMs}
                group by 1, 2`),
        (f, r) => (f.stagesReached[r.stage as ProjectStage] = Number(r.n)),
      );
      each(
        all(sql`select unit, sum(wan) wan from (
                  select distinct p.id, p.unit_id unit, coalesce(p.planned_investment_wan, 0) wan
                  from project_history h join projects p on p.id = h.project_id
                  where h.action = 'stage_moved' and json_extract(h.changes, '$.to') = 'signed' and h.at >= ${p.fromMs} and h.at < ${p.toMs})
                group by unit`),
        (f, r) => (f.signedInvestmentWan = Number(r.wan)),
      );
      each(
        all(sql`select p.unit_id unit, sum(e.amount_wan) wan from funds_entries e join projects p on p.id = e.project_id
                where e.day >= ${p.from} and e.day <= ${p.to} group by 1`),
        (f, r) => (f.fundsWan = Number(r.wan)),
      );
      each(
        all(sql`select p.unit_id unit, sum(e.jobs) jobs from job_entries e join projects p on p.id = e.project_id
                where e.day >= ${p.from} and e.day <= ${p.to} group by 1`),
        (f, r) => (f.jobs = Number(r.jobs)),
      );
      each(
        all(sql`select p.unit_id unit, count(*) n from milestones m join projects p on p.id = m.project_id
                where m.due_date < ${p.asOf} and (m.done_date is null or m.done_date > ${p.asOf}) and p.stage <> 'lost'
                group by 1`),
        (f, r) => (f.overdueMilestones = Number(r.n)),
      );
      each(
        all(sql`select p.unit_id unit, count(*) n from escalation_episodes e join projects p on p.id = e.project_id
                where e.opened_at >= ${p.fromMs} and e.opened_at < ${p.toMs} group by 1`),
        (f, r) => (f.stalledEpisodes = Number(r.n)),
      );
      each(
        all(sql`select p.unit_id unit, count(*) n from milestones m join projects p on p.id = m.project_id
                where m.done_date >= ${p.from} and m.done_date <= ${p.to} and m.done_date <= m.due_date group by 1`),
        (f, r) => (f.onTimeMilestones = Number(r.n)),
      );
      return [...facts.values()];
    },
  };
}

export type StandingsRepository = ReturnType<typeof createStandingsRepository>;
