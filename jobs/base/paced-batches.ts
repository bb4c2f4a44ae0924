import { setTimeout } from 'node:timers/promises';
import { inBatches } from '../../db/batches';

/** How a worker's bulk writes share Redis with the web processes, which store Lark's events there. */
export interface Pace {
  /** Jobs a batch: an event that reaches Redis mid-batch waits behind the batch, not behind the whole load. */
  size: number;
  /** Each pause, as a multiple of the time the batch before it took: 1 leaves Redis half its time, 2 two thirds. */
  restPerBusy: number;
}

/**
 * Writes many jobs to Redis a batch at a time, each batch but the last followed by a pause in
 * proportion to the time it took. Unpaced, the webhook's p99 on PostgreSQL was 65–124 ms while a
 * worker started (`npm run bench`, web and worker apart); with batches of 500 and pauses as long
 * as they took, 31–56 ms; with the reminders' pace (jobs/reminders.ts), 18–23 ms in four runs.
 */
export async function inPacedBatches<T>(items: readonly T[], pace: Pace, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  let previousTook: number | undefined;
  for (const batch of inBatches(items, pace.size)) {
    if (previousTook !== undefined) await setTimeout(previousTook * pace.restPerBusy);
    const started = performance.now();
    await write(batch);
    previousTook = performance.now() - started;
  }
}
