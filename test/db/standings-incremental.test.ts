import { and, isNotNull, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../bot/sandbox-mode/demo-data';
import { createPipelineRepository } from '../../db/pipeline-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { createStandingsRepository, type PeriodBounds } from '../../db/standings-repository';
import type { Store } from '../../db/store';
import { tempDir } from '../support/temp-dir';
import { openTestStore } from '../support/test-store';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
const now = at('2026-11-26T10:00:00');
const bounds = (from: string, to: string, asOf: string): PeriodBounds => ({
  from,
  to,
  fromMs: at(`${from}T00:00:00`),
  toMs: at(`${to}T00:00:00`) + 86_400_000,
  asOf,
});
const periods = [bounds('2026-10-01', '2026-12-31', '2026-11-26'), bounds('2026-07-01', '2026-09-30', '2026-09-30')];

const dir = tempDir('standings-incremental');
let store: Store;

beforeAll(async () => {
  store = await openTestStore(dir.path);
  await loadDemo(store, { now, timeZone: 'Asia/Shanghai' });
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});

describe('standings kept up to date from what changed', () => {
  it('gives after each change the facts a fresh read gives', async () => {
    const kept = createStandingsRepository({ store });
    const fresh = () => createStandingsRepository({ store }).unitFacts(periods);
    expect(await kept.unitFacts(periods)).toEqual(await fresh());

    const pipeline = createPipelineRepository({ store, clock: () => now });
    const projects = await store.db.select().from(store.tables.projects).orderBy(store.tables.projects.id);
    const [first, second] = projects;
    const owner = first!.ownerOpenId;
    const request = (projectId: number, key: string) => ({ projectId, actorOpenId: owner, sourceKey: `incremental-${key}` });
    const changes: [string, () => Promise<unknown>][] = [
      ['funds', () => pipeline.recordFunds(request(first!.id, 'funds'), 123.5, '2026-11-20')],
      ['jobs', () => pipeline.recordJobs(request(second!.id, 'jobs'), 40, '2026-11-21')],
      [
        'a stage move',
        () => pipeline.moveStage(request(first!.id, 'stage'), { from: first!.stage, to: 'lost', reason: '投资方撤资', today: '2026-11-26', completes: null }),
      ],
      [
        'a milestone met',
        async () => {
          const [open] = (await pipeline.milestones(second!.id)).filter((m) => m.doneDate === null);
          if (open) await pipeline.completeMilestone(request(second!.id, 'milestone'), open, '2026-11-25');
        },
      ],
      [
        'another unit',
        async () => {
          const other = projects.find((p) => p.unitId !== second!.unitId && p.unitId !== null)!;
          await createProjectsRepository({ store, clock: () => now }).assignUnit(second!.id, other.unitId!, owner);
        },
      ],
    ];
    for (const [change, make] of changes) {
      await make();
      expect(await kept.unitFacts(periods), change).toEqual(await fresh());
    }
  });

  it('counts overdue milestones on the day asked, a new day as a fresh read does', async () => {
    // Around 11-26 → 12-01: one falling due on the first day, one met in between, one falling due
    // and met in between, one falling due and met only after, one met on the second day.
    const { projects } = store.tables;
    // Counted: in a unit, and not lost (the test above lost one).
    const [project] = await store.db
      .select()
      .from(projects)
      .where(and(isNotNull(projects.unitId), ne(projects.stage, 'lost')))
      .limit(1);
    const milestone = (name: string, dueDate: string, doneDate: string | null) => ({
      projectId: project!.id,
      kind: 'custom' as const,
      name,
      dueDate,
      doneDate,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
    await store.db
      .insert(store.tables.milestones)
      .values([
        milestone('due on the first day', '2026-11-26', null),
        milestone('met in between', '2026-11-10', '2026-11-28'),
        milestone('due and met in between', '2026-11-27', '2026-11-30'),
        milestone('met only after', '2026-11-29', '2026-12-05'),
        milestone('met on the next day asked', '2026-11-20', '2026-12-01'),
      ]);
    const kept = createStandingsRepository({ store });
    const overdueOn = new Map<string, number>();
    for (const asOf of ['2026-11-26', '2026-12-01', '2026-12-15', '2027-01-01', '2026-11-26']) {
      const period = bounds('2026-10-01', '2026-12-31', asOf);
      const [facts] = await kept.unitFacts([period]);
      expect(facts, asOf).toEqual((await createStandingsRepository({ store }).unitFacts([period]))[0]);
      overdueOn.set(
        asOf,
        facts!.reduce((sum, unit) => sum + unit.overdueMilestones, 0),
      );
    }
    // The days differ, or the test would not tell a day's count from another's.
    expect(new Set(overdueOn.values()).size).toBeGreaterThan(1);
  });

  it('answers two asks at once from one read', async () => {
    let reads = 0;
    // The store as the repository sees it, counting the reads of the milestones' overdue range.
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'tuples') return Reflect.get(target, key, receiver);
        return (query: Parameters<Store['tuples']>[0]) => {
          if (/done_date is null and due_date </.test(JSON.stringify(query))) reads++;
          return target.tuples(query);
        };
      },
    });
    const kept = createStandingsRepository({ store: counting });
    const [first, second] = await Promise.all([kept.unitFacts(periods), kept.unitFacts(periods)]);
    expect(second).toEqual(first);
    expect(first).toEqual(await createStandingsRepository({ store }).unitFacts(periods));
    // Each of the two periods read once, not once per ask.
    expect(reads).toBe(periods.length);
  });
});
