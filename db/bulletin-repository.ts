import { sql } from 'drizzle-orm';
import type { BlockerStatus } from '../domain/blockers';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { BLOCKER_OVERDUE_SQL, BLOCKER_RESOLVED_ON_TIME_SQL } from './standings-repository';

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
function createBulletinRepositorySync({ db }: { db: Db }) {
  const byUnit = db.$client.prepare(`
    select u.id unitId, u.name unitName,
      coalesce(sum(b.status in ('resolved', 'closed') and b.resolved_day >= @from and b.resolved_day <= @to), 0) resolved,
      coalesce(sum(${BLOCKER_RESOLVED_ON_TIME_SQL}), 0) resolvedOnTime,
      coalesce(sum(${BLOCKER_OVERDUE_SQL}), 0) overdue
    from blockers b join units u on u.id = b.unit_id
    where b.type = 'blocker'
    group by u.id
    having resolved > 0 or overdue > 0
    order by overdue desc, resolved desc, u.id`);
  // Not finished on the day counted: not yet 办结 (or 办结 only after it), nor taken on by a newer
  // decision by then; one sent back (退回) is not carried out either.
  const pending = db.$client.prepare(`
    select p.code, u.name unitName, b.description, b.due_date dueDate, b.status, b.due_date < @asOf overdue
    from blockers b join projects p on p.id = b.project_id join units u on u.id = b.unit_id
    where b.type = 'decision' and b.raised_day <= @asOf and coalesce(b.resolved_day, b.closed_day, '9999-12-31') > @asOf
    order by b.due_date, b.id`);
  // Kept on the day counted: closed (on the day the deliveries reached the promise) by then; the
  // deliveries are summed to that day, rounded as the ledger rounds them.
  const commitments = db.$client.prepare(`
    select p.code, u.name unitName, b.description, b.due_date dueDate, b.amount_wan amountWan,
      case when b.status = 'closed' and b.closed_day <= @asOf then b.closed_day end keptDay,
      (select round(coalesce(sum(d.amount_wan), 0), 4) from commitment_deliveries d where d.blocker_id = b.id and d.day <= @asOf) deliveredWan
    from blockers b join projects p on p.id = b.project_id join units u on u.id = b.unit_id
    where b.type = 'commitment' and b.due_date >= @from and b.due_date <= @to and b.raised_day <= @asOf
    order by keptDay is not null, b.due_date, b.id`);

  return {
    /**
     * Per responsible unit with any: blockers resolved in [from, to] (how many on time) and those
     * overdue on `asOf`; most overdue first.
     */
    blockersByUnit(from: string, to: string, asOf: string): UnitBlockers[] {
      return byUnit.all({ from, to, asOf }) as UnitBlockers[];
    },
    /** Decisions not carried out on `asOf`, whether due yet or not; earliest due first. */
    pendingDecisions(asOf: string): PendingDecision[] {
      return (pending.all({ asOf }) as (Omit<PendingDecision, 'overdue'> & { overdue: number })[]).map((d) => ({ ...d, overdue: d.overdue === 1 }));
    },
    /** The commitments due in [from, to] as they stood on `asOf`: how many kept on time, late or not, and those missed. */
    commitmentsDue(from: string, to: string, asOf: string): CommitmentsDue {
      const rows = commitments.all({ from, to, asOf }) as MissedCommitment[];
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
    lostBetween(fromMs: number, toMs: number): LostProject[] {
      return db.all<LostProject>(sql`
        select p.code, p.name, p.investor, coalesce(json_extract(h.changes, '$.reason'), '') reason, h.at
        from project_history h join projects p on p.id = h.project_id
        where h.action = 'stage_moved' and json_extract(h.changes, '$.to') = 'lost' and h.at >= ${fromMs} and h.at < ${toMs}
        order by h.at`);
    },
    summonsBetween(fromMs: number, toMs: number): SummonsHeld[] {
      return db
        .all<{ code: string; name: string; changes: string }>(sql`
          select p.code, p.name, h.changes from project_history h join projects p on p.id = h.project_id
          where h.action = 'summons' and h.at >= ${fromMs} and h.at < ${toMs} order by h.at`)
        .map((r) => {
          const c = JSON.parse(r.changes) as { when?: string; topic?: string; attendees?: string[] };
          return { code: r.code, name: r.name, when: c.when ?? '', topic: c.topic ?? '', attendees: c.attendees ?? [] };
        });
    },
  };
}

export type BulletinRepository = ReturnType<typeof createBulletinRepository>;
export const createBulletinRepository = (a: Parameters<typeof createBulletinRepositorySync>[0]) => asyncify(createBulletinRepositorySync(a));
