/**
 * When an open milestone is mentioned (提醒 / 催办): some working days before its due date, on
 * it, then every few working days while it is overdue, to its owner and to the project's group.
 */
import { z } from 'zod';
import { addDays, compareDates, daysBetween, type IsoDate } from './calendar-date';
import type { WorkingCalendar } from './working-calendar';

/** Schema for the county's reminder rules (county.json `nudges`); every count is in working days. */
export const nudgeRulesSchema = z.object({
  /** Remind the owner this many working days before the due date. */
  beforeWorkingDays: z.array(z.number().int().positive()).default([7, 3, 1]),
  /** Remind the owner on the due date, or on the last working day before it. */
  onDueDate: z.boolean().default(true),
  /** While overdue, remind the owner on the first working day after the due date, then every N (0 = never). */
  overdueEveryWorkingDays: z.number().int().min(0).default(3),
  /** While overdue, tell the project's registering group on the same first day, then every N (0 = never). */
  groupOverdueEveryWorkingDays: z.number().int().min(0).default(1),
});

/** The county's reminder rules. */
export type NudgeRules = z.infer<typeof nudgeRulesSchema>;

/** Why a milestone is mentioned on a day: it is `workingDays` away, due, or `workingDays` overdue. */
export type NudgeOccasion = { kind: 'before'; workingDays: number } | { kind: 'due' } | { kind: 'overdue'; workingDays: number };

/** A day's reminder for one milestone, and who gets it. */
export interface Nudge {
  occasion: NudgeOccasion;
  /** The milestone's owner. */
  owner: boolean;
  /** The project's registering group chat. */
  group: boolean;
}

/** A short tag for an occasion, for job ids (letters and digits only): `b7`, `d0`, `o4`. */
export function occasionLabel(o: NudgeOccasion): string {
  if (o.kind === 'before') return `b${o.workingDays}`;
  if (o.kind === 'due') return 'd0';
  return `o${o.workingDays}`;
}

/**
 * The reminders up to the due date, most urgent first: the due-date one (on the last working day
 * not after the due date), then those some working days before.
 */
function nudgesUpToDue(due: IsoDate, rules: NudgeRules, cal: WorkingCalendar): { day: IsoDate; occasion: NudgeOccasion }[] {
  return [
    ...(rules.onDueDate ? [{ day: cal.previousWorkingDay(due, true), occasion: { kind: 'due' } as const }] : []),
    ...[...rules.beforeWorkingDays]
      .sort((a, b) => a - b)
      .map((n) => ({ day: cal.addWorkingDays(due, -n), occasion: { kind: 'before', workingDays: n } as const })),
  ];
}

/** Whether the `k`-th working day overdue is on a cadence of every `every` (the first one included). */
function onCadence(k: number, every: number): boolean {
  return every > 0 && (k - 1) % every === 0;
}

/**
 * The reminder for a milestone due on `due`, on working day `day`; null on a day off or when
 * nothing is due that day. Before and on the due date only the owner is reminded; when two
 * occasions fall on one day (a due date on a holiday), the more urgent one is given.
 */
export function nudgeOn(due: IsoDate, day: IsoDate, rules: NudgeRules, cal: WorkingCalendar): Nudge | null {
  if (!cal.isWorkingDay(day)) return null;
  if (compareDates(day, due) <= 0) {
    const found = nudgesUpToDue(due, rules, cal).find((n) => n.day === day);
    return found ? { occasion: found.occasion, owner: true, group: false } : null;
  }
  const overdue = cal.workingDaysBetween(due, day);
  const owner = onCadence(overdue, rules.overdueEveryWorkingDays);
  const group = onCadence(overdue, rules.groupOverdueEveryWorkingDays);
  return owner || group ? { occasion: { kind: 'overdue', workingDays: overdue }, owner, group } : null;
}

/**
 * The first working day on or after `from` with a reminder for a milestone due on `due`, and
 * why; null only when none can come (past the due date with both overdue cadences off).
 */
export function nextNudgeDay(due: IsoDate, from: IsoDate, rules: NudgeRules, cal: WorkingCalendar): { day: IsoDate; occasion: NudgeOccasion } | null {
  // Stable sort: of two reminders on one day, the more urgent (listed first) is kept.
  const [upcoming] = nudgesUpToDue(due, rules, cal)
    .filter((n) => compareDates(n.day, from) >= 0)
    .sort((a, b) => compareDates(a.day, b.day));
  if (upcoming) return upcoming;

  const cadences = [rules.overdueEveryWorkingDays, rules.groupOverdueEveryWorkingDays].filter((every) => every > 0);
  if (cadences.length === 0) return null;
  const firstDay = cal.nextWorkingDay(compareDates(from, due) > 0 ? from : addDays(due, 1), true);
  let overdue = cal.workingDaysBetween(due, firstDay);
  while (!cadences.some((every) => onCadence(overdue, every))) overdue++;
  return { day: cal.addWorkingDays(due, overdue), occasion: { kind: 'overdue', workingDays: overdue } };
}

/**
 * Digest order, for items seen on the same `today`: the most overdue first, then those due
 * today, then the soonest due.
 */
export function compareUrgency(a: { dueDate: IsoDate; today: IsoDate }, b: { dueDate: IsoDate; today: IsoDate }): number {
  return Math.sign(daysBetween(a.today, a.dueDate) - daysBetween(b.today, b.dueDate));
}
