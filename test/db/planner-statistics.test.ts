import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPipeline } from '../../bench/seed-pipeline';
import { openStore } from '../../db/open-store';
import type { Store } from '../../db/store';
import { tempDir } from '../support/temp-dir';
import { testDialect } from '../support/test-store';

const now = Date.parse('2026-11-25T09:00:00+08:00');
const dir = tempDir('planner-statistics');
let store: Store;
const databasePath = join(dir.path, 'zs.db');

// The standings' overdue count for the projects that changed: one project's milestones.
const oneProjectOverdue = `explain query plan
  select project_id from milestones where done_date is null and due_date < '2026-11-25' and project_id in (1)
  union all select project_id from milestones where done_date > '2026-11-25' and due_date < '2026-11-25' and project_id in (1)`;

// Every open milestone due before the day: the range that cost 4 ms a period at 100,000 projects.
const everyOpenOverdue = /milestones_open_due_idx \(done_date=\? AND due_date<\?\)/;
const plan = async () => (await store.execute(oneProjectOverdue, [])).map((row) => row.detail).join('\n');

describe.skipIf(testDialect !== 'sqlite')("SQLite's planner statistics", () => {
  beforeAll(async () => {
    store = await openStore({ databasePath });
    await seedPipeline(store, { projects: 2_000, today: '2026-11-25', now, activitySpreadDays: 30, firstDueInDays: -120 });
  });
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it("after a refresh, one project's overdue milestones are read by project, not over every open milestone", async () => {
    // Opened empty, the database had nothing to learn from; without statistics SQLite takes the
    // open-due range for the narrower one. (The seed refreshes them too, as a bulk load should.)
    await store.refreshStatistics();
    expect(await plan()).not.toMatch(everyOpenOverdue);
  });

  it('are gathered when the database is opened', async () => {
    await store.execute('drop table if exists sqlite_stat1', []);
    await store.close();
    store = await openStore({ databasePath });
    expect(await plan()).not.toMatch(everyOpenOverdue);
  });
});
