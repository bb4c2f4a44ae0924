import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { recordedSends } from './schema';

/** A send recorded before it is queued: its uuid is Lark's idempotency key and its job id. */
export interface RecordedSend {
  uuid: string;
  job: Record<string, unknown>;
}

/**
 * Sends that must happen exactly once whatever crashes (record, then send): written in the same
 * transaction as the decision that made them, queued after it, marked once Lark has settled them.
 */
function createRecordedSendsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  // A morning's scan records thousands: prepared once (drizzle maps placeholder values through the
  // columns, so the job and the time go in as they are).
  const p = (name: string) => sql.placeholder(name);
  const insert = db
    .insert(recordedSends)
    .values({ uuid: p('uuid'), source: p('source'), job: p('job'), recordedAt: p('recordedAt') })
    .onConflictDoNothing()
    .prepare();
  // Asked for every message the bot sends: prepared once.
  const settledAt = db
    .select({ settledAt: recordedSends.settledAt })
    .from(recordedSends)
    .where(eq(recordedSends.uuid, p('uuid')))
    .prepare();
  const settle = db
    .update(recordedSends)
    .set({ settledAt: sql`${p('at')}` })
    .where(and(eq(recordedSends.uuid, p('uuid')), isNull(recordedSends.settledAt)))
    .prepare();
  return {
    /** Runs `decide` and records `sends` under `source` in one transaction: both happen, or neither. */
    recordWith(source: string, sends: RecordedSend[], decide: () => void): void {
      const recordedAt = new Date(clock());
      db.transaction(() => {
        decide();
        for (const send of sends) insert.run({ uuid: send.uuid, source, job: send.job, recordedAt });
      });
    },

    /** Recorded sends Lark has not settled yet, oldest first; of one source, or all. */
    unsettled(source?: string): RecordedSend[] {
      const notSent = isNull(recordedSends.settledAt);
      return db
        .select({ uuid: recordedSends.uuid, job: recordedSends.job })
        .from(recordedSends)
        .where(source === undefined ? notSent : and(notSent, eq(recordedSends.source, source)))
        .orderBy(recordedSends.recordedAt)
        .all();
    },

    isSettled(uuid: string): boolean {
      return settledAt.get({ uuid })?.settledAt != null;
    },

    /**
     * Forgets sends settled before `beforeMs`: their jobs are long finished (a finished send job is
     * removed at once; a failed one is only re-run by hand), so nothing can queue them again.
     */
    pruneSettled(beforeMs: number): number {
      return db
        .delete(recordedSends)
        .where(lt(recordedSends.settledAt, new Date(beforeMs)))
        .run().changes;
    },

    /** Lark has it, or refused it for good (a no-op for sends that were not recorded). */
    markSettled(uuid: string): void {
      settle.run({ uuid, at: clock() });
    },
  };
}

export type RecordedSendsRepository = ReturnType<typeof createRecordedSendsRepository>;
export const createRecordedSendsRepository = (a: Parameters<typeof createRecordedSendsRepositorySync>[0]) => asyncify(createRecordedSendsRepositorySync(a));
