import { type SQL, sql } from 'drizzle-orm';
import type { BlockerStatus } from '../domain/blockers';
import { instant, jsonOf, jsonText, msOf } from './sql-dialect';
import { blockerOverdue, blockerResolvedOnTime } from './standings-repository';
import type { Store } from './store';

export interface LostProject {
  code: string;
  name: string;
  investor: string;
  reason: string;
  at: number;
}

export interface SummonsHeld {
  code: string;
  name: string;
  when: string;
  topic: string;
  attendees: string[];
}

/** A responsible unit's blockers (not decisions) in a period, as the bulletin's 落地服务 counts them. */
export interface UnitBlockers {
  unitId: number;
  unitName: string;
  /** Reported 办结 in the period (and not reopened since). */
  resolved: number;
  /** Of those, 办结 on or before the time limit: what the standings reward. */
  resolvedOnTime: number;
  /** Overdue at the period's end, or today while it runs: what the standings penalise. */
  overdue: number;
}

/** A decision (议定事项) not carried out at the period's end. */
export interface PendingDecision {
  code: string;
  unitName: string;
  description: string;
  dueDate: string;
  status: BlockerStatus;
  /** Past its due date on the day counted. */
  overdue: boolean;
}

/** A commitment due in the period and not kept by its due date: kept late, or not kept on the day counted. */
export interface MissedCommitment {
  code: string;
  unitName: string;
  /** What was promised. */
  description: string;
  dueDate: string;
  /** The day it was kept, when kept late by the day counted; null while not kept. */
  keptDay: string | null;
  /** The promised amount, 万元, if it has one. */
  amountWan: number | null;
  /** Delivered by the day counted, 万元. */
  deliveredWan: number;
}

/**
 * 承诺兑现: the commitments falling due in the period (due date within it), as they stood on the day
 * counted. The four counts add up to `due`.
 */
export interface CommitmentsDue {
  due: number;
  /** Kept on or before the due date. */
  onTime: number;
  /** Kept after the due date, by the day counted. */
  late: number;
  /** Due by the day counted and not kept by then. */
  notKept: number;
  /** Not kept yet and due after the day counted: only while the period runs. */
  notYetDue: number;
  /** Those not kept, then those kept late, each earliest due first. */
  missed: MissedCommitment[];
}

/**
 * What the quarterly bulletin reports besides the standings, read from the project history, and
 * the blockers, decisions and commitments of the period, counted as the standings count them.
 */
export function createBulletinRepository({ store }: { store: Store }) {
  // Booleans are counted with `case`, aliases quoted and filtered in an outer select, rounding
  // done on numeric: what SQLite and PostgreSQL both accept.
  const count = (condition: SQL) => sql`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  const at = (ms: number) => instant(store.dialect, ms);
  const changed = (key: string) => jsonText(store.dialect, sql.raw('h.changes'), key);

  return {
    /**
     * Per responsible unit with any: blockers resolved in [from, to] (how many on time) and those
     * overdue on `asOf`; most overdue first.
     */
    async blockersByUnit(from: string, to: string, asOf: string): Promise<UnitBlockers[]> {
      const rows = await store.rows<UnitBlockers>(sql`
        select * from (
          select u.id "unitId", u.name "unitName",
            ${count(sql`b.status in ('resolved', 'closed') and b.resolved_day >= ${from} and b.resolved_day <= ${to}`)} resolved,
            ${count(blockerResolvedOnTime(from, to))} "resolvedOnTime",
            ${count(blockerOverdue(asOf))} overdue
          from blockers b join units u on u.id = b.unit_id
          where b.type = 'blocker'
          group by u.id, u.name
        ) t
        where resolved > 0 or overdue > 0
        order by overdue desc, resolved desc, "unitId"`);
      return rows.map((r) => ({ ...r, resolved: Number(r.resolved), resolvedOnTime: Number(r.resolvedOnTime), overdue: Number(r.overdue) }));
    },
    /**
     * Decisions not carried out on `asOf`, whether due yet or not; earliest due first. Not finished
     * on the day counted: not yet 办结 (or 办结 only after it), nor taken on by a newer decision by
     * then; one sent back (退回) is not carried out either.
     */
    async pendingDecisions(asOf: string): Promise<PendingDecision[]> {
      const rows = await store.rows<Omit<PendingDecision, 'overdue'>>(sql`
        select p.code, u.name "unitName", b.description, b.due_date "dueDate", b.status
        from blockers b join projects p on p.id = b.project_id join units u on u.id = b.unit_id
        where b.type = 'decision' and b.raised_day <= ${asOf} and coalesce(b.resolved_day, b.closed_day, '9999-12-31') > ${asOf}
        order by b.due_date, b.id`);
      return rows.map((d) => ({ ...d, overdue: d.dueDate < asOf }));
    },
    /**
     * The commitments due in [from, to] as they stood on `asOf`: how many kept on time, late or not,
     * and those missed. Kept on the day counted: closed (on the day the deliveries reached the
     * promise) by then; the deliveries are summed to that day, rounded as the ledger rounds them.
     */
    async commitmentsDue(from: string, to: string, asOf: string): Promise<CommitmentsDue> {
      const rows = (
        await store.rows<MissedCommitment>(sql`
          select * from (
            select p.code, u.name "unitName", b.description, b.due_date "dueDate", b.amount_wan "amountWan", b.id,
              case when b.status = 'closed' and b.closed_day <= ${asOf} then b.closed_day end "keptDay",
              (select round(cast(coalesce(sum(d.amount_wan), 0) as numeric), 4) from commitment_deliveries d where d.blocker_id = b.id and d.day <= ${asOf}) "deliveredWan"
            from blockers b join projects p on p.id = b.project_id join units u on u.id = b.unit_id
            where b.type = 'commitment' and b.due_date >= ${from} and b.due_date <= ${to} and b.raised_day <= ${asOf}
          ) t
          order by "keptDay" is not null, "dueDate", id`)
      ).map(({ id: _, ...row }: MissedCommitment & { id?: number }) => ({ ...row, deliveredWan: Number(row.deliveredWan) }));
      const counts = { due: rows.length, onTime: 0, late: 0, notKept: 0, notYetDue: 0 };
      const missed: MissedCommitment[] = [];
      for (const row of rows) {
        if (row.keptDay !== null && row.keptDay <= row.dueDate) counts.onTime++;
        else if (row.keptDay !== null) counts.late++;
        else if (row.dueDate > asOf) counts.notYetDue++;
        else counts.notKept++;
        if (row.keptDay === null ? row.dueDate <= asOf : row.keptDay > row.dueDate) missed.push(row);
      }
      return { ...counts, missed };
    },
    async lostBetween(fromMs: number, toMs: number): Promise<LostProject[]> {
      const rows = await store.rows<LostProject & { at: number | string }>(sql`
        select p.code, p.name, p.investor, coalesce(${changed('reason')}, '') reason, h.at
        from project_history h join projects p on p.id = h.project_id
        where h.action = 'stage_moved' and ${changed('to')} = 'lost' and h.at >= ${at(fromMs)} and h.at < ${at(toMs)}
        order by h.at`);
      return rows.map((r) => ({ ...r, at: msOf(r.at) }));
    },
    async summonsBetween(fromMs: number, toMs: number): Promise<SummonsHeld[]> {
      const rows = await store.rows<{ code: string; name: string; changes: string | Record<string, unknown> }>(sql`
        select p.code, p.name, h.changes from project_history h join projects p on p.id = h.project_id
        where h.action = 'summons' and h.at >= ${at(fromMs)} and h.at < ${at(toMs)} order by h.at`);
      return rows.map((r) => {
        const c = jsonOf<{ when?: string; topic?: string; attendees?: string[] }>(r.changes as string);
        return { code: r.code, name: r.name, when: c.when ?? '', topic: c.topic ?? '', attendees: c.attendees ?? [] };
      });
    },
  };
}

export type BulletinRepository = ReturnType<typeof createBulletinRepository>;
