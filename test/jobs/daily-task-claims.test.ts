import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { createDailyRunsRepository } from '../../db/daily-runs-repository';
import { createLogger } from '../../jobs/base/logger';
import { createDailyTasks } from '../../jobs/daily-tasks';
import { chinaCalendar } from '../domain/china-calendar';
import { tempDir } from '../support/temp-dir';

/** Two worker processes, as two connections to one SQLite file, at 09:00 on a working day. */
const dir = tempDir('daily-claims');
const path = join(dir.path, 'zs.db');
let now = Date.parse('2026-12-01T09:00:00+08:00');
const clock = () => now;
const connections: ReturnType<typeof openDatabase>[] = [];
afterEach(() => {
  for (const db of connections.splice(0)) db.$client.close();
});

function worker(task: () => Promise<void>) {
  const db = openDatabase(path);
  connections.push(db);
  const runs = createDailyRunsRepository({ db, clock });
  return createDailyTasks({ tasks: { 'stall-scan': task }, runs, calendar: chinaCalendar, timeZone: 'Asia/Shanghai', clock, log: createLogger('silent') });
}

describe('a daily task in several worker processes', () => {
  it('runs in one of them while it runs, and in none once it has run', async () => {
    let runs = 0;
    let finish = () => {};
    const slow = () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const [a, b] = [worker(slow), worker(slow)];
    const first = a.runIfDue('stall-scan');
    expect(await b.runIfDue('stall-scan')).toBe(false);
    finish();
    expect(await first).toBe(true);
    expect(await b.runIfDue('stall-scan')).toBe(false);
    expect(runs).toBe(1);
  });

  it('runs again in another process when the one that claimed it failed, or died and its lease ran out', async () => {
    now = Date.parse('2026-12-02T09:00:00+08:00');
    const failing = worker(() => Promise.reject(new Error('Lark is down')));
    await expect(failing.runIfDue('stall-scan')).rejects.toThrow('Lark is down');
    let runs = 0;
    const other = worker(async () => void runs++);
    expect(await other.runIfDue('stall-scan')).toBe(true);

    now = Date.parse('2026-12-03T09:00:00+08:00');
    const dying = worker(() => new Promise<void>(() => {})); // never finishes, as if killed
    void dying.runIfDue('stall-scan');
    await new Promise((r) => setTimeout(r, 10));
    expect(await other.runIfDue('stall-scan')).toBe(false);
    now += 31 * 60_000;
    expect(await other.runIfDue('stall-scan')).toBe(true);
    expect(runs).toBe(2);
  });
});
