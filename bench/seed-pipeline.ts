import type { Db } from '../db/client';
import { addDays, type IsoDate } from '../domain/calendar-date';

const MILESTONES = [
  ['signed', '签约'],
  ['started', '开工'],
  ['producing', '投产'],
  ['at_capacity', '达产'],
] as const;

export const MILESTONES_PER_PROJECT = MILESTONES.length;

/**
 * A county far larger than any real one, written straight into SQLite: projects spread over the
 * active stages and 500 owners, four milestones each due from `firstDueInDays` (negative: overdue)
 * to about two years ahead, and last activity spread over the past `activitySpreadDays`.
 */
export function seedPipeline(db: Db, options: { projects: number; today: IsoDate; now: number; activitySpreadDays: number; firstDueInDays: number }) {
  const sqlite = db.$client;
  const { now, today } = options;
  const person = sqlite.prepare("insert into people (open_id, name, role, source, created_at, updated_at) values (?, ?, 'official', 'roster', ?, ?)");
  const project = sqlite.prepare(
    `insert into projects (code, year, seq, name, investor, investor_key, owner_open_id, stage, created_by, source_chat_id, source_key, created_at, updated_at, last_activity_at)
     values (?, 2026, ?, ?, ?, ?, ?, ?, ?, 'oc_bench', ?, ?, ?, ?)`,
  );
  const milestone = sqlite.prepare('insert into milestones (project_id, kind, name, due_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  const stages = ['lead', 'negotiating', 'signed', 'started', 'producing'];
  sqlite.transaction(() => {
    for (let p = 0; p < 500; p++) person.run(`ou_bench_${p}`, `干部${p}`, now, now);
    for (let i = 1; i <= options.projects; i++) {
      const owner = `ou_bench_${i % 500}`;
      const lastActivity = now - ((i * 7919) % options.activitySpreadDays) * 86_400_000;
      const { lastInsertRowid } = project.run(
        `ZS-2026-${i}`,
        i,
        `项目${i}`,
        `企业${i}`,
        `企业${i}`,
        owner,
        stages[i % stages.length],
        owner,
        `bench-${i}`,
        now,
        now,
        lastActivity,
      );
      MILESTONES.forEach(
        ([kind, name], k) => void milestone.run(lastInsertRowid, kind, name, addDays(today, ((i * 7 + k * 180) % 790) + options.firstDueInDays), now, now),
      );
    }
  })();
}
