import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { inBatches } from './batches';
import { insertMany } from './bulk-writes';
import type { Store } from './store';

const UNSETTLED_PAGE = 500;

/** A send recorded before it is queued: its uuid is Lark's idempotency key and its job id. */
export interface RecordedSend {
  uuid: string;
  job: Record<string, unknown>;
}

/**
 * Sends that must happen exactly once whatever crashes (record, then send): written in the same
 * transaction as the decision that made them, queued after it, marked once Lark has settled them.
 */
export function createRecordedSendsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { recordedSends } = store.tables;
  return {
    /**
     * Runs `decide` and records the sends it answers under `source`, in one transaction: both
     * happen, or neither. Returns the uuids recorded now; one recorded before keeps what it was
     * recorded with.
     */
    async recordWith(source: string, decide: () => Promise<RecordedSend[]>): Promise<Set<string>> {
      const recordedAt = new Date(clock());
      return store.transaction(async () => {
        const sends = await decide();
        const recorded = await insertMany(
          store,
          recordedSends,
          sends.map((send) => ({ uuid: send.uuid, source, job: send.job, recordedAt })),
          { onConflictDoNothing: true, returning: ['uuid'] },
        );
        return new Set(recorded.map((row) => row.uuid));
      });
    },

    /**
     * Recorded sends Lark has not settled yet, oldest first, of one source or all (`except` these), a
     * page at a time: after a long outage a province may have 100,000 waiting, each with its card.
     */
    async *unsettled(source?: string, options: { except?: ReadonlySet<string>; pageSize?: number } = {}): AsyncGenerator<RecordedSend[]> {
      const notSent = isNull(recordedSends.settledAt);
      const waiting = await store.db
        .select({ uuid: recordedSends.uuid })
        .from(recordedSends)
        .where(source === undefined ? notSent : and(notSent, eq(recordedSends.source, source)))
        .orderBy(recordedSends.recordedAt, recordedSends.uuid);
      const wanted = waiting.flatMap((w) => (options.except?.has(w.uuid) ? [] : [w.uuid]));
      for (const batch of inBatches(wanted, options.pageSize ?? UNSETTLED_PAGE)) {
        const rows = await store.db
          .select({ uuid: recordedSends.uuid, job: recordedSends.job })
          .from(recordedSends)
          .where(and(notSent, inArray(recordedSends.uuid, batch)));
        const byUuid = new Map(rows.map((row) => [row.uuid, row]));
        // Settled since the first read, a send is left out.
        yield batch.flatMap((uuid) => byUuid.get(uuid) ?? []);
      }
    },

    async isSettled(uuid: string): Promise<boolean> {
      const [row] = await store.db.select({ settledAt: recordedSends.settledAt }).from(recordedSends).where(eq(recordedSends.uuid, uuid)).limit(1);
      return row?.settledAt != null;
    },

    /**
     * Forgets sends settled before `beforeMs`: their jobs are long finished (a finished send job is
     * removed at once; a failed one is only re-run by hand), so nothing can queue them again.
     */
    async pruneSettled(beforeMs: number): Promise<number> {
      const pruned = await store.db
        .delete(recordedSends)
        .where(lt(recordedSends.settledAt, new Date(beforeMs)))
        .returning({ uuid: recordedSends.uuid });
      return pruned.length;
    },

    /** Lark has it, or refused it for good (a no-op for sends that were not recorded). */
    async markSettled(uuid: string): Promise<void> {
      await store.db
        .update(recordedSends)
        .set({ settledAt: new Date(clock()) })
        .where(and(eq(recordedSends.uuid, uuid), isNull(recordedSends.settledAt)));
    },
  };
}

export type RecordedSendsRepository = ReturnType<typeof createRecordedSendsRepository>;
