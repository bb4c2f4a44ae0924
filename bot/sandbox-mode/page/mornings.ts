import type { Job, Queue } from 'bullmq';
import type { AppParts } from '../../process/app';
import type { MovableClock } from '../sandbox-mode';

const DAY_MS = 86_400_000;
/** A morning's nudges ask for digests 30 s later (gathering); that much early still counts as due. */
const DUE_GRACE_MS = 60_000;
/** Nudges arm nudges and ask for digests: a few rounds of promotion reach everything due. */
const MAX_ROUNDS = 5;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * The bot's mornings, on demand, for sandbox mode: moving the clock forward does not make BullMQ's
 * delayed jobs fire (their delays run in real time) nor the 09:00 job schedulers (real time too),
 * so each simulated morning promotes the reminders that are due by the bot's clock and runs the
 * daily tasks itself.
 */
export function createMornings(deps: { app: AppParts; clock: MovableClock; timeZone: string }) {
  const { app, clock } = deps;
  const queue = app.queues.reminders;

  /** When a delayed job is due in bot time: its real due time plus the clock's offset when it was added. */
  const dueInBotTime = (job: Job) => job.timestamp + (job.delay ?? 0) + clock.offsetAt(job.timestamp);

  async function promoteDueReminders(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // The daily schedulers' own jobs are left alone: promoting one would reschedule it by real time.
      const due = (await queue.getDelayed()).filter((job) => !job.repeatJobKey && dueInBotTime(job) <= clock.now() + DUE_GRACE_MS);
      if (due.length === 0) return;
      // A job may fire by itself meanwhile, and then it is no longer delayed: nothing to promote.
      await Promise.all(due.map((job) => job.promote().catch(() => undefined)));
      await drained(queue);
    }
  }

  /**
   * The 09:00 work: due reminders (re-armed from SQLite first, as at a start), then the daily tasks
   * as the bot runs them (on working days, once a day), so the page shows what a county would see.
   */
  async function run(): Promise<void> {
    await app.reminders.rebuild();
    await promoteDueReminders();
    await app.dailyTasks.catchUp();
  }

  return {
    run,
    /** Moves the bot's clock forward a day at a time, running each morning's work. */
    async advanceDays(days: number): Promise<void> {
      for (let day = 0; day < days; day++) {
        clock.advance(DAY_MS);
        await run();
      }
    },
  };
}

async function drained(queue: Queue): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
