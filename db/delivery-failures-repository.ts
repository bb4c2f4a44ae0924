import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { deliveryFailures } from './schema';

export type DeliveryFailure = typeof deliveryFailures.$inferSelect;

/** Sends Lark refused for good, one row per target and error code. */
function createDeliveryFailuresRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const byTargetCode = db
    .select()
    .from(deliveryFailures)
    .where(and(eq(deliveryFailures.target, sql.placeholder('target')), eq(deliveryFailures.code, sql.placeholder('code'))))
    .prepare();

  return {
    /** Counts one more refusal: the first creates the row, later ones bump count and lastAt. */
    record(failure: { target: string; code: number; message: string }): DeliveryFailure {
      const now = new Date(clock());
      db.insert(deliveryFailures)
        .values({ ...failure, firstAt: now, lastAt: now, count: 1 })
        .onConflictDoUpdate({
          target: [deliveryFailures.target, deliveryFailures.code],
          set: { count: sql`${deliveryFailures.count} + 1`, lastAt: now, message: failure.message },
        })
        .run();
      return byTargetCode.get({ target: failure.target, code: failure.code })!;
    },

    markReported(target: string, code: number): void {
      db.update(deliveryFailures)
        .set({ reportedAt: new Date(clock()) })
        .where(and(eq(deliveryFailures.target, target), eq(deliveryFailures.code, code), isNull(deliveryFailures.reportedAt)))
        .run();
    },

    get(target: string, code: number): DeliveryFailure | undefined {
      return byTargetCode.get({ target, code });
    },
  };
}

export type DeliveryFailuresRepository = ReturnType<typeof createDeliveryFailuresRepository>;
export const createDeliveryFailuresRepository = (a: Parameters<typeof createDeliveryFailuresRepositorySync>[0]) =>
  asyncify(createDeliveryFailuresRepositorySync(a));
