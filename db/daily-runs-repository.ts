import { eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { dailyTaskRuns } from './schema';

/** The latest due day each daily task ran for. */
function createDailyRunsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  return {
    lastDueDay(task: string): string | undefined {
      // '' is a task claimed but never run yet.
      return db.select({ dueDay: dailyTaskRuns.dueDay }).from(dailyTaskRuns).where(eq(dailyTaskRuns.task, task)).get()?.dueDay || undefined;
    },
    record(task: string, dueDay: string): void {
      const ranAt = new Date(clock());
      db.insert(dailyTaskRuns)
        .values({ task, dueDay, ranAt })
        .onConflictDoUpdate({ target: dailyTaskRuns.task, set: { dueDay, ranAt, claimedDueDay: null, claimedAt: null } })
        .run();
    },

    /**
     * Claims the run of `task` for `dueDay`, unless it ran for that day or another process claimed
     * it less than `leaseMs` ago: one process runs each daily task, however many start at 09:00. An
     * immediate transaction takes SQLite's write lock first, so two processes cannot both claim.
     */
    claim(task: string, dueDay: string, leaseMs: number): boolean {
      const now = clock();
      return db.transaction(
        (tx) => {
          const row = tx.select().from(dailyTaskRuns).where(eq(dailyTaskRuns.task, task)).get();
          if (row && row.dueDay >= dueDay) return false;
          if (row?.claimedDueDay === dueDay && row.claimedAt && now - row.claimedAt.getTime() < leaseMs) return false;
          const claim = { claimedDueDay: dueDay, claimedAt: new Date(now) };
          // A task never run before has no last day: '' sorts before every date.
          tx.insert(dailyTaskRuns)
            .values({ task, dueDay: '', ranAt: new Date(0), ...claim })
            .onConflictDoUpdate({ target: dailyTaskRuns.task, set: claim })
            .run();
          return true;
        },
        { behavior: 'immediate' },
      );
    },

    /** A claimed run failed: the next chance may run it. */
    release(task: string): void {
      db.update(dailyTaskRuns).set({ claimedDueDay: null, claimedAt: null }).where(eq(dailyTaskRuns.task, task)).run();
    },
  };
}

export type DailyRunsRepository = ReturnType<typeof createDailyRunsRepository>;
export const createDailyRunsRepository = (a: Parameters<typeof createDailyRunsRepositorySync>[0]) => asyncify(createDailyRunsRepositorySync(a));
