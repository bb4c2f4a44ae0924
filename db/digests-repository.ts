import { and, eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { Store } from './store';

/** Which morning digests went out: at most one per recipient per day, whatever re-runs. */
export function createDigestsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { digestDeliveries } = store.tables;
  return {
    async isDelivered(recipient: string, day: string): Promise<boolean> {
      const found = await store.db
        .select({ recipient: digestDeliveries.recipient })
        .from(digestDeliveries)
        .where(and(eq(digestDeliveries.recipient, recipient), eq(digestDeliveries.day, day)))
        .limit(1);
      return found.length > 0;
    },
    /** Delivered on any day: a quarter's bulletin goes once, whatever day it went. */
    async everDelivered(recipient: string): Promise<boolean> {
      const found = await store.db
        .select({ recipient: digestDeliveries.recipient })
        .from(digestDeliveries)
        .where(eq(digestDeliveries.recipient, recipient))
        .limit(1);
      return found.length > 0;
    },
    async markDelivered(recipient: string, day: string, items: number): Promise<void> {
      await store.db
        .insert(digestDeliveries)
        .values({ recipient, day, items, sentAt: new Date(clock()) })
        .onConflictDoNothing();
    },
  };
}

export type DigestsRepository = ReturnType<typeof createDigestsRepository>;
