/**
 * Issue 3's start-up figure: with 10,000 projects and 40,000 milestones in the database, the time to
 * re-arm every pending nudge in Redis (empty Redis, as after losing it), and again when every job
 * is already there (an ordinary restart).
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { redisOptions } from '../bot/process/app';
import { loadWorkingCalendar } from '../bot/process/working-calendar-source';
import { createBlockersRepository } from '../db/blockers-repository';
import { createDigestsRepository } from '../db/digests-repository';
import { createPeopleRepository } from '../db/people-repository';
import { createPipelineRepository } from '../db/pipeline-repository';
import type { Store } from '../db/store';
import { dateInZone } from '../domain/calendar-date';
import { nudgeRulesSchema } from '../domain/nudge-schedule';
import { createLogger } from '../jobs/base/logger';
import { createReminders } from '../jobs/reminders';
import { MILESTONES_PER_PROJECT, seedPipeline } from './seed-pipeline';
import { ms } from './stats';

export async function measureRemindersRebuild(options: { store: Store; redisUrl: string; projects: number }) {
  const { store } = options;
  const clock = () => Date.now();
  const today = dateInZone(clock(), 'Asia/Shanghai');
  await seedPipeline(store, { projects: options.projects, today, now: clock(), activitySpreadDays: 1, firstDueInDays: -60 });

  const queue = new Queue('reminders', { connection: redisOptions(options.redisUrl), prefix: 'bench-rebuild' });
  const reminders = createReminders({
    queue,
    pipeline: createPipelineRepository({ store, clock }),
    blockers: createBlockersRepository({ store, clock }),
    people: createPeopleRepository({ store, clock }),
    digests: createDigestsRepository({ store, clock }),
    calendar: loadWorkingCalendar('./config/holiday-overrides.json'),
    rules: nudgeRulesSchema.parse({}),
    timeZone: 'Asia/Shanghai',
    clock,
    deliverDigest: async () => {},
    digestItemsShown: 45,
    flushRecorded: async () => {},
    log: createLogger('silent'),
  });
  try {
    const coldStart = performance.now();
    const armed = await reminders.rebuild();
    const cold = performance.now() - coldStart;
    const warmStart = performance.now();
    await reminders.rebuild();
    const warm = performance.now() - warmStart;
    const pending = await queue.getJobCountByTypes('delayed', 'waiting');
    return { projects: options.projects, milestones: options.projects * MILESTONES_PER_PROJECT, armed, pending, cold, warm };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

export function formatRebuild(r: Awaited<ReturnType<typeof measureRemindersRebuild>>) {
  return [
    `reminders rebuilt at start from ${r.projects} projects / ${r.milestones} milestones: ${r.armed} nudges armed (${r.pending} pending)`,
    `  empty Redis ${ms(r.cold)}   every job already there ${ms(r.warm)}`,
  ].join('\n');
}
