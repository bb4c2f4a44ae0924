import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPipeline } from '../../bench/seed-pipeline';
import { createPipelineRepository, type OpenMilestone } from '../../db/pipeline-repository';
import type { Store } from '../../db/store';
import { tempDir } from '../support/temp-dir';
import { openTestStore } from '../support/test-store';

const now = Date.parse('2026-11-25T09:00:00+08:00');
const dir = tempDir('open-milestone-pages');
let store: Store;

beforeAll(async () => {
  store = await openTestStore(dir.path);
  // Every project registered from one group, owners taking turns, due dates spread around today.
  await seedPipeline(store, { projects: 1_200, today: '2026-11-25', now, activitySpreadDays: 30, firstDueInDays: -30 });
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});

async function read(pages: AsyncIterable<OpenMilestone[]>) {
  const sizes: number[] = [];
  const all: OpenMilestone[] = [];
  for await (const page of pages) {
    sizes.push(page.length);
    all.push(...page);
  }
  return { sizes, all };
}

describe('a digest’s open milestones, a page at a time', () => {
  const pipeline = () => createPipelineRepository({ store, clock: () => now });

  it('gives a group every milestone once, earliest due first, however small the pages', async () => {
    const whole = await read(pipeline().openChasedFor({ chatId: 'oc_bench' }, 100_000));
    const paged = await read(pipeline().openChasedFor({ chatId: 'oc_bench' }, 7));
    expect(whole.all.length).toBeGreaterThan(3_000);
    expect(paged.all).toEqual(whole.all);
    expect(paged.sizes.every((n) => n <= 7)).toBe(true);
    const order = paged.all.map((m) => `${m.dueDate}#${String(m.milestoneId).padStart(8, '0')}`);
    expect(order).toEqual([...order].sort());
  });

  it('gives an owner only the milestones of their own projects', async () => {
    const { all } = await read(pipeline().openChasedFor({ ownerOpenId: 'ou_bench_7' }, 5));
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((m) => m.ownerOpenId === 'ou_bench_7')).toBe(true);
    expect(new Set(all.map((m) => m.milestoneId)).size).toBe(all.length);
  });
});
