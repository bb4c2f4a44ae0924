/**
 * When a project has stalled (停滞): no progress for more working days than its stage allows, a
 * milestone overdue too long, or a paused project whose review date has passed. The daily scan
 * narrows 100,000 projects in SQL with {@link stallThresholds}, then confirms with {@link detectStalls}.
 */
import { z } from 'zod';
import { addDays, compareDates, formatDateZh, type IsoDate } from './calendar-date';
import type { ProjectStage } from './vocabulary';
import type { WorkingCalendar } from './working-calendar';

/** The stages a project is worked in; 达产, 搁置 and 流失 have nothing left to chase. */
export const ACTIVE_STAGES = ['lead', 'negotiating', 'signed', 'started', 'producing'] as const satisfies readonly ProjectStage[];

/** A stage whose projects can go inactive. */
export type ActiveStage = (typeof ACTIVE_STAGES)[number];

const limit = (workingDays: number) => z.number().int().positive().default(workingDays);

/** Schema for the county's stall rules (county.json `stalls`); every count is in working days. */
export const stallRulesSchema = z.object({
  /** A project stalls after more than this many working days without activity, by stage. */
  inactiveWorkingDays: z
    .object({
      lead: limit(10),
      negotiating: limit(20),
      signed: limit(30),
      started: limit(30),
      producing: limit(60),
    } satisfies Record<ActiveStage, unknown>)
    // prefault, not default: a partial object still gets the other stages' defaults.
    .prefault({}),
  /** A project stalls when a milestone is overdue by more than this many working days. */
  overdueWorkingDays: z.number().int().min(0).default(5),
});

/** The county's stall rules. */
export type StallRules = z.infer<typeof stallRulesSchema>;

/** Why a project has stalled; `workingDays` counts how long it has been so. */
export type StallCause =
  | { kind: 'inactive'; lastActivityDay: IsoDate; workingDays: number }
  | { kind: 'milestone_overdue'; milestoneId: number; name: string; dueDate: IsoDate; workingDays: number }
  | { kind: 'review_due'; reviewDate: IsoDate; workingDays: number }
  | BlockerOverdue;

/** A blocker, a joint meeting's decision or a commitment past its time limit: it climbs its own ladder. */
export interface BlockerOverdue {
  kind: 'blocker_overdue';
  blockerId: number;
  type: 'blocker' | 'decision' | 'commitment';
  /** The blocker's kind (用电…), what it is, and the unit holding it. */
  blockerKind: string;
  description: string;
  unitName: string;
  dueDate: IsoDate;
  workingDays: number;
}

/** The key of a cause: a project has at most one open episode per key. */
export type StallCauseKey = 'inactive' | 'review' | `milestone-${number}` | `blocker-${number}`;

/** What the stall check needs of a project. */
export interface StallSubject {
  stage: ProjectStage;
  lastActivityDay: IsoDate;
  /** A paused project's date to look again. */
  reviewDate: IsoDate | null;
}

/** A milestone not yet done. */
export interface OpenMilestone {
  id: number;
  name: string;
  dueDate: IsoDate;
}

/** `inactive`, `milestone-<id>` or `review`: one open episode per project and key. */
export function causeKey(cause: StallCause): StallCauseKey {
  if (cause.kind === 'inactive') return 'inactive';
  if (cause.kind === 'milestone_overdue') return `milestone-${cause.milestoneId}`;
  if (cause.kind === 'blocker_overdue') return `blocker-${cause.blockerId}`;
  return 'review';
}

function isActive(stage: ProjectStage): stage is ActiveStage {
  return (ACTIVE_STAGES as readonly ProjectStage[]).includes(stage);
}

/**
 * Every reason `project` has stalled on `today`: inactive for more working days than its stage
 * allows, and each milestone overdue by more than `rules.overdueWorkingDays`, most overdue first.
 * 达产 and 流失 projects never stall; a paused one only once today is past its review date.
 */
export function detectStalls(
  project: StallSubject,
  openMilestones: readonly OpenMilestone[],
  today: IsoDate,
  rules: StallRules,
  cal: WorkingCalendar,
): StallCause[] {
  const { stage, lastActivityDay, reviewDate } = project;
  if (stage === 'paused') {
    return reviewDate !== null && compareDates(today, reviewDate) > 0
      ? [{ kind: 'review_due', reviewDate, workingDays: cal.workingDaysBetween(reviewDate, today) }]
      : [];
  }
  if (!isActive(stage)) return [];
  const idle = cal.workingDaysBetween(lastActivityDay, today);
  const overdue = openMilestones
    .map(({ id, name, dueDate }) => ({ milestoneId: id, name, dueDate, workingDays: cal.workingDaysBetween(dueDate, today) }))
    .filter((m) => m.workingDays > rules.overdueWorkingDays)
    .sort((a, b) => compareDates(a.dueDate, b.dueDate) || a.milestoneId - b.milestoneId);
  return [
    ...(idle > rules.inactiveWorkingDays[stage] ? [{ kind: 'inactive', lastActivityDay, workingDays: idle } as const] : []),
    ...overdue.map((m) => ({ kind: 'milestone_overdue', ...m }) as const),
  ];
}

/** Dates before which a day lies more than a number of working days before `today`. */
export interface StallThresholds {
  /** A project of the stage is inactive-stalled iff its last activity day is before this. */
  inactiveBefore: Record<ActiveStage, IsoDate>;
  /** An open milestone is overdue-stalled iff its due date is before this. */
  overdueBefore: IsoDate;
}

/**
 * Cut-off dates for the scan's SQL: exactly the days `d` with more than `workingDays` working
 * days in (d, today] are before the result. That count reaches `workingDays + 1` once `d` is
 * before the (workingDays + 1)-th working day counted back from today, today included.
 */
function moreThanWorkingDaysBefore(today: IsoDate, workingDays: number, cal: WorkingCalendar): IsoDate {
  return cal.addWorkingDays(addDays(today, 1), -(workingDays + 1));
}

/**
 * The cut-offs matching {@link detectStalls} on `today`: `lastActivityDay < inactiveBefore[stage]`
 * and `dueDate < overdueBefore` (as `YYYY-MM-DD` strings, which sort as dates). A paused project's
 * review is due when `reviewDate < today`.
 */
export function stallThresholds(today: IsoDate, rules: StallRules, cal: WorkingCalendar): StallThresholds {
  const inactiveBefore = Object.fromEntries(
    ACTIVE_STAGES.map((stage) => [stage, moreThanWorkingDaysBefore(today, rules.inactiveWorkingDays[stage], cal)]),
  ) as Record<ActiveStage, IsoDate>;
  return { inactiveBefore, overdueBefore: moreThanWorkingDaysBefore(today, rules.overdueWorkingDays, cal) };
}

/** The cause in a short Chinese phrase for a warning: `已 12 个工作日无进展`. */
export function stallDescription(cause: StallCause): string {
  if (cause.kind === 'inactive') return `已 ${cause.workingDays} 个工作日无进展`;
  if (cause.kind === 'milestone_overdue') return `「${cause.name}」逾期 ${cause.workingDays} 个工作日`;
  if (cause.kind === 'blocker_overdue') return `${overdueNoun(cause)}逾期 ${cause.workingDays} 个工作日未${cause.type === 'commitment' ? '兑现' : '办结'}`;
  return `搁置复核日期（${formatDateZh(cause.reviewDate)}）已过`;
}

/** Whether an episode's cause key is an overdue blocker's: those close when the blocker is done, not on progress. */
export const isBlockerCauseKey = (key: string) => key.startsWith('blocker-');

/** What an overdue item is, in words: 议定事项, 承诺, or 用电问题. */
export function overdueNoun(cause: BlockerOverdue): string {
  if (cause.type === 'decision') return '议定事项';
  if (cause.type === 'commitment') return '承诺';
  return `${cause.blockerKind}问题`;
}
