import { loadCountyConfig } from '../bot/process/county-config';
import { inBatches } from '../db/batches';
import type { Store } from '../db/store';
import { addDays, type IsoDate } from '../domain/calendar-date';

const MILESTONES = [
  ['signed', '签约'],
  ['started', '开工'],
  ['producing', '投产'],
  ['at_capacity', '达产'],
] as const;

export const MILESTONES_PER_PROJECT = MILESTONES.length;
export const OWNERS = 500;
const UNITS = 20;
const STAGES = ['lead', 'negotiating', 'signed', 'started', 'producing'] as const;

/** What a ledger shows beyond the pipeline: units, leaders, channels, industries, money and jobs. */
export interface LedgerDetails {
  channels: string[];
  industries: string[];
}

/** The channels and industries of the county's own catalog (config/county.json). */
export function countyDetails(): LedgerDetails {
  const { catalog } = loadCountyConfig('./config/county.json');
  return { channels: catalog.channels.map((c) => c.code), industries: catalog.industries };
}

/**
 * A county far larger than any real one, written in multi-row statements on either database:
 * projects spread over the active stages and 500 owners, four milestones each due from
 * `firstDueInDays` (negative: overdue) to about two years ahead, and last activity spread over the
 * past `activitySpreadDays`. With `details`, 20 townships, leaders, channels, industries, planned
 * investment, and 0–3 funds and 0–2 jobs entries per project, spread deterministically.
 */
export async function seedPipeline(
  store: Store,
  options: { projects: number; today: IsoDate; now: number; activitySpreadDays: number; firstDueInDays: number; details?: LedgerDetails },
): Promise<{ funds: number; jobs: number }> {
  const { people, units, projects, milestones, fundsEntries, jobEntries } = store.tables;
  const { today, details } = options;
  const now = new Date(options.now);
  const ids = Array.from({ length: options.projects }, (_, k) => k + 1);
  const counts = { funds: 0, jobs: 0 };
  await store.transaction(async () => {
    const owners = Array.from({ length: OWNERS }, (_, p) => ({
      openId: `ou_bench_${p}`,
      name: `干部${p}`,
      role: 'official' as const,
      source: 'roster' as const,
      createdAt: now,
      updatedAt: now,
    }));
    await store.db.insert(people).values(owners);
    if (details)
      await store.db.insert(units).values(Array.from({ length: UNITS }, (_, u) => ({ name: `第${u + 1}镇`, kind: 'township' as const, createdAt: now })));
    for (const batch of inBatches(ids)) {
      const rows = batch.map((i) => {
        const owner = `ou_bench_${i % OWNERS}`;
        return {
          code: `ZS-2026-${i}`,
          year: 2026,
          seq: i,
          name: `项目${i}`,
          investor: `企业${i}`,
          investorKey: `企业${i}`,
          ownerOpenId: owner,
          stage: STAGES[i % STAGES.length]!,
          createdBy: owner,
          sourceChatId: 'oc_bench',
          sourceKey: `bench-${i}`,
          createdAt: now,
          updatedAt: now,
          lastActivityAt: new Date(options.now - ((i * 7919) % options.activitySpreadDays) * 86_400_000),
          ...(details && {
            unitId: 1 + (i % UNITS),
            leaderOpenId: `ou_bench_${(i * 13) % OWNERS}`,
            channel: details.channels[i % details.channels.length]!,
            industry: details.industries[i % details.industries.length]!,
            plannedInvestmentWan: 500 + ((i * 37) % 20_000),
            referrer: i % 3 === 0 ? `引荐人${i % 97}` : null,
          }),
        };
      });
      const inserted = await store.db.insert(projects).values(rows).returning({ id: projects.id, seq: projects.seq });
      await store.db.insert(milestones).values(
        inserted.flatMap(({ id, seq: i }) =>
          MILESTONES.map(([kind, name], k) => ({
            projectId: id,
            kind,
            name,
            dueDate: addDays(today, ((i * 7 + k * 180) % 790) + options.firstDueInDays),
            createdAt: now,
            updatedAt: now,
          })),
        ),
      );
      if (!details) continue;
      const funds = inserted.flatMap(({ id }) =>
        Array.from({ length: id % 4 }, (_, f) => ({
          projectId: id,
          amountWan: 100 + ((id + f) % 900) + 0.5,
          day: addDays(today, -((id + f * 30) % 365)),
          actorOpenId: 'ou_bench_0',
          createdAt: now,
          sourceKey: `bench-funds-${id}-${f}`,
        })),
      );
      const jobs = inserted.flatMap(({ id }) =>
        Array.from({ length: id % 3 }, (_, j) => ({
          projectId: id,
          jobs: 5 + ((id + j) % 50),
          day: addDays(today, -((id + j * 45) % 365)),
          actorOpenId: 'ou_bench_0',
          createdAt: now,
          sourceKey: `bench-jobs-${id}-${j}`,
        })),
      );
      if (funds.length > 0) await store.db.insert(fundsEntries).values(funds);
      if (jobs.length > 0) await store.db.insert(jobEntries).values(jobs);
      counts.funds += funds.length;
      counts.jobs += jobs.length;
    }
  });
  // A database in use has its planner statistics (the daily refresh, autovacuum): measured straight
  // after the seed, PostgreSQL would plan as if the tables were empty.
  await store.refreshStatistics();
  return counts;
}
