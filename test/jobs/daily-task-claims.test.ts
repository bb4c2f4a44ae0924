import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDailyRunsRepository } from '../../db/daily-runs-repository';
import { openStore } from '../../db/open-store';
import type { Store } from '../../db/store';
import { createLogger } from '../../jobs/base/logger';
import { createDailyTasks } from '../../jobs/daily-tasks';
import { chinaCalendar } from '../domain/china-calendar';
import { tempDir } from '../support/temp-dir';
import { testDatabaseEnv, testDialect } from '../support/test-store';

/**
 * Two worker processes, as two connections to one database (one SQLite file, or one PostgreSQL
 * database), at 09:00 on a working day.
 */
const dir = tempDir('daily-claims');
let databaseEnv: Awaited<ReturnType<typeof testDatabaseEnv>>;
let now = Date.parse('2026-12-01T09:00:00+08:00');
const clock = () => now;
const connections: Store[] = [];
beforeAll(async () => {
  databaseEnv = await testDatabaseEnv(dir.path);
});
afterEach(async () => {
  for (const store of connections.splice(0)) await store.close();
});
afterAll(() => dir.remove());

async function worker(task: () => Promise<void>) {
  const store = await openStore({ databasePath: databaseEnv.DATABASE_PATH, databaseUrl: databaseEnv.DATABASE_URL });
  connections.push(store);
  const runs = createDailyRunsRepository({ store, clock });
  return createDailyTasks({ tasks: { 'stall-scan': task }, runs, calendar: chinaCalendar, timeZone: 'Asia/Shanghai', clock, log: createLogger('silent') });
}

/** A task that has started once `started` resolves, and runs until `finish` is called. */
function slowTask() {
  let started = () => {};
  let finish = () => {};
  const hasStarted = new Promise<void>((resolve) => (started = resolve));
  let runs = 0;
  return {
    run: () => {
      runs++;
      started();
      return new Promise<void>((resolve) => (finish = resolve));
    },
    hasStarted,
    finish: () => finish(),
    runs: () => runs,
  };
}

describe('a daily task in several worker processes', () => {
  it('runs in one of them while it runs, and in none once it has run', async () => {
    const slow = slowTask();
    const [a, b] = [await worker(slow.run), await worker(slow.run)];
    const first = a.runIfDue('stall-scan');
    await slow.hasStarted;
    expect(await b.runIfDue('stall-scan')).toBe(false);
    slow.finish();
    expect(await first).toBe(true);
    expect(await b.runIfDue('stall-scan')).toBe(false);
    expect(slow.runs()).toBe(1);
  });

  it('runs again in another process when the one that claimed it failed, or died and its lease ran out', async () => {
    now = Date.parse('2026-12-02T09:00:00+08:00');
    const failing = await worker(() => Promise.reject(new Error('Lark is down')));
    await expect(failing.runIfDue('stall-scan')).rejects.toThrow('Lark is down');
    let runs = 0;
    const other = await worker(async () => void runs++);
    expect(await other.runIfDue('stall-scan')).toBe(true);

    now = Date.parse('2026-12-03T09:00:00+08:00');
    const never = slowTask(); // never finishes, as if killed
    const dying = await worker(never.run);
    void dying.runIfDue('stall-scan');
    await never.hasStarted; // its claim is written
    expect(await other.runIfDue('stall-scan')).toBe(false);
    now += 31 * 60_000;
    expect(await other.runIfDue('stall-scan')).toBe(true);
    expect(runs).toBe(2);
  });

  // Two SQLite connections in one process cannot claim at the same moment: the second's BEGIN
  // IMMEDIATE blocks the only thread while the first's transaction waits on it (SQLITE_BUSY after
  // busy_timeout). Worker processes each have their own thread; PostgreSQL's connections do not block it.
  it.skipIf(testDialect === 'sqlite')('is claimed by one of them when both find it due at the same moment', async () => {
    now = Date.parse('2026-12-04T09:00:00+08:00');
    const slow = slowTask();
    const [a, b] = [await worker(slow.run), await worker(slow.run)];
    const tries = [a.runIfDue('stall-scan'), b.runIfDue('stall-scan')];
    await slow.hasStarted;
    // The other gives up while the first still runs.
    expect(await Promise.race(tries)).toBe(false);
    slow.finish();
    expect((await Promise.all(tries)).sort()).toEqual([false, true]);
    expect(slow.runs()).toBe(1);
  });
});
