import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPipeline } from '../../bench/seed-pipeline';
import type { Store } from '../../db/store';
import { addDays, dateInZone } from '../../domain/calendar-date';
import { scanAtScale } from '../support/scan-at-scale';
import { tempDir } from '../support/temp-dir';
import { openTestStore } from '../support/test-store';

// The scan works a thousand projects at a time; 5,000 projects, nearly half of them stalled, take it over three
// chunks, with episodes to clear in the first, the middle and the last.
const PROJECTS = 5_000;
const DAY = 86_400_000;

const dir = tempDir('stall-scan-chunks');
let store: Store;
// A working Wednesday, then the Thursday after.
let now = Date.parse('2026-11-25T09:00:00+08:00');
const today = () => dateInZone(now, 'Asia/Shanghai');

beforeAll(async () => {
  store = await openTestStore(dir.path);
  await seedPipeline(store, { projects: PROJECTS, today: today(), now, activitySpreadDays: 60, firstDueInDays: -30 });
}, 60_000);
afterAll(async () => {
  await store?.close();
  dir.remove();
});

const openEpisodes = () =>
  store.db
    .select({ id: store.tables.escalationEpisodes.id, projectId: store.tables.escalationEpisodes.projectId })
    .from(store.tables.escalationEpisodes)
    .where(isNull(store.tables.escalationEpisodes.closedAt));

describe('the daily stall scan over more projects than it holds at once', () => {
  const scanner = () => scanAtScale(store, () => now);

  it('opens every alarm once and tells each owner, across every chunk', async () => {
    const scan = scanner();
    const first = await scan.scan();
    expect(first.stalledProjects).toBeGreaterThan(2_000);
    const open = await openEpisodes();
    expect(open).toHaveLength(first.opened);
    expect(new Set(open.map((e) => e.projectId)).size).toBe(first.stalledProjects);

    // Each alarm's first notice goes to the project's owner, recorded once and queued once.
    const { escalationNotices: notices, escalationEpisodes: episodes, projects } = store.tables;
    const toOwners = await store.db
      .select({ episodeId: notices.episodeId })
      .from(notices)
      .innerJoin(episodes, eq(episodes.id, notices.episodeId))
      .innerJoin(projects, eq(projects.id, episodes.projectId))
      .where(and(eq(notices.level, 'owner'), eq(notices.day, today())));
    expect(new Set(toOwners.map((n) => n.episodeId))).toEqual(new Set(open.map((e) => e.id)));
    expect(scan.queued()).toBe(first.notices);
    expect(first.notices).toBeGreaterThanOrEqual(first.opened);

    const again = await scan.scan();
    expect(again).toMatchObject({ opened: 0, cleared: 0, notices: 0 });
    expect(await openEpisodes()).toHaveLength(first.opened);
  });

  it('clears the alarms whose cause went away, wherever they are in the list', async () => {
    const open = await openEpisodes();
    const stalledIds = [...new Set(open.map((e) => e.projectId))].sort((a, b) => a - b);
    const settled = [stalledIds[0]!, stalledIds[Math.floor(stalledIds.length / 2)]!, stalledIds.at(-1)!];
    // Active today, and every milestone moved well ahead: nothing is stalled on these three any more.
    now += DAY;
    const { projects, milestones } = store.tables;
    await store.db
      .update(projects)
      .set({ lastActivityAt: new Date(now) })
      .where(inArray(projects.id, settled));
    await store.db
      .update(milestones)
      .set({ dueDate: addDays(today(), 200) })
      .where(inArray(milestones.projectId, settled));

    const next = await scanner().scan();
    const closed = open.filter((e) => settled.includes(e.projectId));
    expect(next.cleared).toBe(closed.length);
    const stillOpen = await openEpisodes();
    expect(stillOpen.filter((e) => settled.includes(e.projectId))).toEqual([]);
    expect(stillOpen.length).toBe(open.length - closed.length + next.opened);
  });
});

describe('a stall scan that fails part way', () => {
  const failDir = tempDir('stall-scan-fails');
  let failStore: Store;
  beforeAll(async () => {
    failStore = await openTestStore(failDir.path);
    await seedPipeline(failStore, {
      projects: 3_000,
      today: '2026-11-25',
      now: Date.parse('2026-11-25T09:00:00+08:00'),
      activitySpreadDays: 60,
      firstDueInDays: -30,
    });
  }, 60_000);
  afterAll(async () => {
    await failStore?.close();
    failDir.remove();
  });

  it('keeps the chunks written before the failure, and its re-run finishes the rest, telling nobody twice', async () => {
    const at = () => Date.parse('2026-11-25T09:00:00+08:00');
    const { escalationEpisodes: episodes, escalationNotices: notices } = failStore.tables;
    const scan = scanAtScale(failStore, at, { failWritingChunkOnce: 1 });
    await expect(scan.scan()).rejects.toThrow('the database went away');
    const partly = await failStore.db.select({ id: episodes.id }).from(episodes);
    const queuedBefore = scan.queued();
    // The first chunk is written and its cards queued; the failed one and those after it are not.
    expect(partly.length).toBeGreaterThan(0);
    expect(queuedBefore).toBeGreaterThanOrEqual(partly.length);

    const rerun = await scan.scan();
    const all = await failStore.db.select({ id: episodes.id, projectId: episodes.projectId }).from(episodes);
    expect(all).toHaveLength(partly.length + rerun.opened);
    expect(new Set(all.map((e) => e.projectId)).size).toBe(rerun.stalledProjects);
    // One first notice per alarm, and each card queued once: the re-run sent only what the failure held back.
    const told = await failStore.db.select({ episodeId: notices.episodeId }).from(notices).where(eq(notices.level, 'owner'));
    expect(told).toHaveLength(all.length);
    expect(scan.queued() - queuedBefore).toBe(rerun.notices);
  });
});
