import { setTimeout } from 'node:timers/promises';
import { inBatches } from '../../db/batches';

/**
 * Writes many jobs to Redis a batch at a time, each batch but the last followed by a pause as long
 * as it took. The web processes store Lark's events in the same Redis: a worker's bulk writes (a
 * province's reminders re-armed at start, a stall scan's thousands of cards) then take at most half
 * of its time, and an event waits behind a batch, not behind the whole load. Unpaced, the
 * webhook's p99 on PostgreSQL was 65–124 ms while a worker started; paced, 33–57 ms (`npm run
 * bench`, web and worker apart).
 */
export async function inPacedBatches<T>(items: readonly T[], size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  let previousTook: number | undefined;
  for (const batch of inBatches(items, size)) {
    if (previousTook !== undefined) await setTimeout(previousTook);
    const started = performance.now();
    await write(batch);
    previousTook = performance.now() - started;
  }
}
