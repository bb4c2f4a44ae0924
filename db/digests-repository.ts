import { and, eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { digestDeliveries } from './schema';

/** Which morning digests went out: at most one per recipient per day, whatever re-runs. */
function createDigestsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  return {
    isDelivered(recipient: string, day: string): boolean {
      return (
        db
          .select()
          .from(digestDeliveries)
          .where(and(eq(digestDeliveries.recipient, recipient), eq(digestDeliveries.day, day)))
          .get() !== undefined
      );
    },
    /** Delivered on any day: a quarter's bulletin goes once, whatever day it went. */
    everDelivered(recipient: string): boolean {
      return db.select().from(digestDeliveries).where(eq(digestDeliveries.recipient, recipient)).get() !== undefined;
    },
    markDelivered(recipient: string, day: string, items: number): void {
      db.insert(digestDeliveries)
        .values({ recipient, day, items, sentAt: new Date(clock()) })
        .onConflictDoNothing()
        .run();
    },
  };
}

export type DigestsRepository = ReturnType<typeof createDigestsRepository>;
export const createDigestsRepository = (a: Parameters<typeof createDigestsRepositorySync>[0]) => asyncify(createDigestsRepositorySync(a));
