import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { deliveryFailures } from './schema-pg';
import type { Store } from './store';

export type DeliveryFailure = typeof deliveryFailures.$inferSelect;

/** Sends Lark refused for good, one row per target and error code. */
export function createDeliveryFailuresRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { deliveryFailures } = store.tables;
  return {
    /** Counts one more refusal: the first creates the row, later ones bump count and lastAt. */
    async record(failure: { target: string; code: number; message: string }): Promise<DeliveryFailure> {
      const now = new Date(clock());
      // The row as this upsert left it.
      const [row] = await store.db
        .insert(deliveryFailures)
        .values({ ...failure, firstAt: now, lastAt: now, count: 1 })
        .onConflictDoUpdate({
          target: [deliveryFailures.target, deliveryFailures.code],
          set: { count: sql`${deliveryFailures.count} + 1`, lastAt: now, message: failure.message },
        })
        .returning();
      return row!;
    },

    async markReported(target: string, code: number): Promise<void> {
      await store.db
        .update(deliveryFailures)
        .set({ reportedAt: new Date(clock()) })
        .where(and(eq(deliveryFailures.target, target), eq(deliveryFailures.code, code), isNull(deliveryFailures.reportedAt)));
    },

    async get(target: string, code: number): Promise<DeliveryFailure | undefined> {
      const [row] = await store.db
        .select()
        .from(deliveryFailures)
        .where(and(eq(deliveryFailures.target, target), eq(deliveryFailures.code, code)))
        .limit(1);
      return row;
    },
  };
}

export type DeliveryFailuresRepository = ReturnType<typeof createDeliveryFailuresRepository>;
