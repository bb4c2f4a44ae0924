import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Writes a transaction sends without waiting for their answers (see `Store.writeUnawaited`): on
 * PostgreSQL the server runs one while the process builds the next statement. The transaction
 * waits for all of them before it commits, and fails with the first that failed.
 */
export function createUnawaitedWrites() {
  const scope = new AsyncLocalStorage<Promise<unknown>[]>();
  return {
    add(write: Promise<unknown>): void {
      const writes = scope.getStore();
      if (!writes) throw new Error('an unawaited write belongs inside a transaction');
      // Awaited at the end of the transaction; until then a failure must not count as unhandled.
      write.catch(() => {});
      writes.push(write);
    },
    /** Runs a transaction's work; resolves once every write it left unawaited has. */
    async around<T>(work: () => Promise<T>): Promise<T> {
      const writes: Promise<unknown>[] = [];
      return scope.run(writes, async () => {
        const outcome = await work().then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        // A write that failed is the cause of what failed after it: PostgreSQL refuses every
        // statement of a transaction once one has failed.
        while (writes.length > 0) {
          for (const result of await Promise.allSettled(writes.splice(0))) if (result.status === 'rejected') throw result.reason;
        }
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      });
    },
  };
}
