import type { DailyRunsRepository } from '../db/daily-runs-repository';
import { instantAt } from '../domain/calendar-date';
import type { Clock } from '../domain/clock';
import { DAILY_TASK_TIME, latestDueDay, owesRun } from '../domain/daily-tasks';
import type { WorkingCalendar } from '../domain/working-calendar';
import type { Logger } from './base/logger';

/**
 * The daily tasks, each run at most once per due day (09:00 on working days), at 09:00 and at
 * every start: a task whose last run is older than its latest due day runs, late if the bot was
 * down, and its log line says so. Of several worker processes one claims each run; the record is
 * written once the task has done its work, and a claim left by a process that died runs again
 * after its lease. Each task is idempotent besides, so a run repeated changes nothing twice.
 */
export function createDailyTasks(deps: {
  tasks: Record<string, () => Promise<unknown>>;
  runs: DailyRunsRepository;
  calendar: WorkingCalendar;
  timeZone: string;
  clock: Clock;
  log: Logger;
}) {
  async function runIfDue(task: string): Promise<boolean> {
    const work = deps.tasks[task];
    const now = deps.clock();
    const due = latestDueDay(now, deps.timeZone, deps.calendar);
    if (!work || !owesRun(due, await deps.runs.lastDueDay(task))) return false;
    if (!(await deps.runs.claim(task, due, CLAIM_LEASE_MS))) return false;
    const late = now - instantAt(due, DAILY_TASK_TIME, deps.timeZone) > LATE_AFTER_MS;
    deps.log.info({ task, dueDay: due, late }, late ? `daily task ${task} running late for ${due}` : `daily task ${task} running`);
    try {
      await work();
    } catch (err) {
      await deps.runs.release(task);
      throw err;
    }
    await deps.runs.record(task, due);
    return true;
  }

  return {
    runIfDue,
    /** At start: every task that missed its latest due time runs now. */
    async catchUp(): Promise<string[]> {
      const ran: string[] = [];
      for (const task of Object.keys(deps.tasks)) if (await runIfDue(task)) ran.push(task);
      return ran;
    },
  };
}

/** A claim older than this belongs to a process that died mid-run: the task may run again. */
const CLAIM_LEASE_MS = 30 * 60_000;

/** A run more than this after 09:00 is late (a restart, not the schedule). */
const LATE_AFTER_MS = 15 * 60_000;

export type DailyTasks = ReturnType<typeof createDailyTasks>;
