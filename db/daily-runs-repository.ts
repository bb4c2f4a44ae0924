import { eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { Store } from './store';

/** The latest due day each daily task ran for. */
export function createDailyRunsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { dailyTaskRuns } = store.tables;
  const runOf = async (task: string) => (await store.db.select().from(dailyTaskRuns).where(eq(dailyTaskRuns.task, task)).limit(1))[0];
  return {
    async lastDueDay(task: string): Promise<string | undefined> {
      // '' is a task claimed but never run yet.
      return (await runOf(task))?.dueDay || undefined;
    },
    async record(task: string, dueDay: string): Promise<void> {
      const ranAt = new Date(clock());
      await store.db
        .insert(dailyTaskRuns)
        .values({ task, dueDay, ranAt })
        .onConflictDoUpdate({ target: dailyTaskRuns.task, set: { dueDay, ranAt, claimedDueDay: null, claimedAt: null } });
    },

    /**
     * Claims the run of `task` for `dueDay`, unless it ran for that day or another process claimed
     * it less than `leaseMs` ago: one process runs each daily task, however many start at 09:00.
     * Write transactions run one at a time across processes, so two cannot both claim.
     */
    async claim(task: string, dueDay: string, leaseMs: number): Promise<boolean> {
      const now = clock();
      return store.transaction(async () => {
        const row = await runOf(task);
        if (row && row.dueDay >= dueDay) return false;
        if (row?.claimedDueDay === dueDay && row.claimedAt && now - row.claimedAt.getTime() < leaseMs) return false;
        const claim = { claimedDueDay: dueDay, claimedAt: new Date(now) };
        // A task never run before has no last day: '' sorts before every date.
        await store.db
          .insert(dailyTaskRuns)
          .values({ task, dueDay: '', ranAt: new Date(0), ...claim })
          .onConflictDoUpdate({ target: dailyTaskRuns.task, set: claim });
        return true;
      });
    },

    /** A claimed run failed: the next chance may run it. */
    async release(task: string): Promise<void> {
      await store.db.update(dailyTaskRuns).set({ claimedDueDay: null, claimedAt: null }).where(eq(dailyTaskRuns.task, task));
    },
  };
}

export type DailyRunsRepository = ReturnType<typeof createDailyRunsRepository>;
