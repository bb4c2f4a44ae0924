import { eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { Db } from './client';
import { dailyTaskRuns } from './schema';

/** The latest due day each daily task ran for. */
export function createDailyRunsRepository({ db, clock }: { db: Db; clock: Clock }) {
  return {
    lastDueDay(task: string): string | undefined {
      return db.select({ dueDay: dailyTaskRuns.dueDay }).from(dailyTaskRuns).where(eq(dailyTaskRuns.task, task)).get()?.dueDay;
    },
    record(task: string, dueDay: string): void {
      const ranAt = new Date(clock());
      db.insert(dailyTaskRuns).values({ task, dueDay, ranAt }).onConflictDoUpdate({ target: dailyTaskRuns.task, set: { dueDay, ranAt } }).run();
    },
  };
}

export type DailyRunsRepository = ReturnType<typeof createDailyRunsRepository>;
