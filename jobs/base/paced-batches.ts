import { setTimeout } from 'node:timers/promises';
import { inBatches } from '../../db/batches';

/**
 * Writes many jobs to Redis a batch at a time, each batch followed by a pause as long as it took.
 * The web processes store Lark's events in the same Redis: a worker's bulk writes (a province's
 * reminders re-armed at start, a stall scan's thousands of cards) then take at most half of its
 * time, and an event waits behind a batch, not behind the whole load. With four batches in flight
 * and no pause, the webhook's p99 on PostgreSQL doubled while a worker started.
 */
export async function inPacedBatches<T>(items: readonly T[], size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (const batch of inBatches(items, size)) {
    const started = performance.now();
    await write(batch);
    await setTimeout(performance.now() - started);
  }
}
