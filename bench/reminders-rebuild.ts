/**
 * Issue 3's start-up figure: with 10,000 projects and 40,000 milestones in SQLite, the time to
 * re-arm every pending nudge in Redis (empty Redis, as after losing it), and again when every job
 * is already there (an ordinary restart).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { redisOptions } from '../bot/app';
import { createLogger } from '../bot/logger';
import { loadWorkingCalendar } from '../bot/working-calendar-source';
import { openDatabase } from '../db/client';
import { createDigestsRepository } from '../db/digests-repository';
import { createPipelineRepository } from '../db/pipeline-repository';
import { addDays, dateInZone } from '../domain/calendar-date';
import { nudgeRulesSchema } from '../domain/nudge-schedule';
import { createReminders } from '../jobs/reminders';
import { ms } from './stats';

const MILESTONE_NAMES = [
  ['signed', '签约'],
  ['started', '开工'],
  ['producing', '投产'],
  ['at_capacity', '达产'],
] as const;

export async function measureRemindersRebuild(options: { dir: string; redisUrl: string; projects: number }) {
  const db = openDatabase(join(options.dir, 'rebuild.db'));
  const clock = () => Date.now();
  const today = dateInZone(clock(), 'Asia/Shanghai');
  seed(db.$client, options.projects, today);

  const queue = new Queue('reminders', { connection: redisOptions(options.redisUrl), prefix: 'bench-rebuild' });
  const reminders = createReminders({
    queue,
    pipeline: createPipelineRepository({ db, clock }),
    digests: createDigestsRepository({ db, clock }),
    calendar: loadWorkingCalendar('./config/holiday-overrides.json'),
    rules: nudgeRulesSchema.parse({}),
    timeZone: 'Asia/Shanghai',
    clock,
    deliverDigest: async () => {},
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
    return { projects: options.projects, milestones: options.projects * MILESTONE_NAMES.length, armed, pending, cold, warm };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    db.$client.close();
  }
}

/** Projects spread over stages and owners; milestones from two months overdue to two years ahead. */
function seed(sqlite: ReturnType<typeof openDatabase>['$client'], count: number, today: string) {
  const now = Date.now();
  const person = sqlite.prepare("insert into people (open_id, name, role, source, created_at, updated_at) values (?, ?, 'official', 'roster', ?, ?)");
  const project = sqlite.prepare(
    `insert into projects (code, year, seq, name, investor, investor_key, owner_open_id, stage, created_by, source_chat_id, source_key, created_at, updated_at, last_activity_at)
     values (?, 2026, ?, ?, ?, ?, ?, ?, ?, 'oc_bench', ?, ?, ?, ?)`,
  );
  const milestone = sqlite.prepare('insert into milestones (project_id, kind, name, due_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  const stages = ['lead', 'negotiating', 'signed', 'started', 'producing'];
  sqlite.transaction(() => {
    for (let p = 0; p < 500; p++) person.run(`ou_bench_${p}`, `干部${p}`, now, now);
    for (let i = 1; i <= count; i++) {
      const owner = `ou_bench_${i % 500}`;
      const { lastInsertRowid } = project.run(`ZS-2026-${i}`, i, `项目${i}`, `企业${i}`, `企业${i}`, owner, stages[i % stages.length], owner, `bench-${i}`, now, now, now);
      MILESTONE_NAMES.forEach(([kind, name], k) => milestone.run(lastInsertRowid, kind, name, addDays(today, ((i * 7 + k * 180) % 790) - 60), now, now));
    }
  })();
}

export function formatRebuild(r: Awaited<ReturnType<typeof measureRemindersRebuild>>) {
  return [
    `reminders rebuilt at start from ${r.projects} projects / ${r.milestones} milestones: ${r.armed} nudges armed (${r.pending} pending)`,
    `  empty Redis ${ms(r.cold)}   every job already there ${ms(r.warm)}`,
  ].join('\n');
}
