/**
 * Issue 5's figure: the quarter's standings over 100,000 projects (with their milestones, funds,
 * jobs and stage moves) — facts from SQL, scores and ranks, and the previous quarter for the
 * change column — as /排名 computes them.
 */
import { performance } from 'node:perf_hooks';
import { loadCountyConfig } from '../bot/process/county-config';
import { createStandings } from '../bot/standings/standings';
import { inBatches } from '../db/batches';
import { createStandingsRepository } from '../db/standings-repository';
import type { Store } from '../db/store';
import { dateInZone } from '../domain/calendar-date';
import { quarterOf } from '../domain/periods';
import { countyDetails, seedPipeline } from './seed-pipeline';
import { ms, percentile } from './stats';

export async function measureStandings(options: { store: Store; projects: number; runs?: number }) {
  const { store } = options;
  const { projectHistory } = store.tables;
  const now = Date.parse('2026-11-25T09:00:00+08:00');
  const today = dateInZone(now, 'Asia/Shanghai');
  const county = loadCountyConfig('./config/county.json');
  await seedPipeline(store, { projects: options.projects, today, now, activitySpreadDays: 90, firstDueInDays: -120, details: countyDetails() });
  // A stage move for every project, spread over the past half year: two quarters of history.
  const projects = await store.db
    .select({ id: store.tables.projects.id, stage: store.tables.projects.stage, owner: store.tables.projects.ownerOpenId })
    .from(store.tables.projects);
  await store.transaction(async () => {
    for (const batch of inBatches(projects)) {
      await store.db.insert(projectHistory).values(
        batch.map((p) => ({
          projectId: p.id,
          at: new Date(now - (p.id % 180) * 86_400_000),
          actorOpenId: p.owner,
          action: 'stage_moved',
          changes: { from: 'lead', to: p.stage },
        })),
      );
    }
  });
  await store.refreshStatistics();
  let clock = now;
  const standings = createStandings({ repo: createStandingsRepository({ store }), rules: county.scoring, timeZone: 'Asia/Shanghai', clock: () => clock });
  const quarter = quarterOf(today);
  const timed = async () => {
    const start = performance.now();
    const rows = (await standings.compute(quarter)).rows.length;
    return { rows, ms: performance.now() - start };
  };
  // Asked again with nothing changed: kept by the data's version.
  const first = await timed();
  const repeats: number[] = [];
  for (let i = 0; i < (options.runs ?? 5); i++) repeats.push((await timed()).ms);
  // Asked after each change (a progress note): read again from the facts.
  const afterChange: number[] = [];
  for (let i = 0; i < (options.runs ?? 5); i++) {
    await store.db.insert(projectHistory).values({ projectId: 1, at: new Date(now), actorOpenId: null, action: 'progress', changes: {} });
    afterChange.push((await timed()).ms);
  }
  // The next morning: only the overdue milestones are counted on the day, and only in the running quarter.
  clock = now + 86_400_000;
  const nextDay = await timed();
  return {
    projects: options.projects,
    units: first.rows,
    quarter: quarter.label,
    first: first.ms,
    repeated: percentile(repeats, 50),
    afterChange: percentile(afterChange, 50),
    nextDay: nextDay.ms,
  };
}

export function formatStandings(r: Awaited<ReturnType<typeof measureStandings>>) {
  return `standings for ${r.quarter} over ${r.projects} projects (${r.units} units, with the previous quarter for the change): first ${ms(r.first)}, asked again unchanged (median of 5) ${ms(r.repeated)}, after each change (median of 5) ${ms(r.afterChange)}, first on the next day ${ms(r.nextDay)}`;
}
