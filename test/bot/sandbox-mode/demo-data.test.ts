import { describe, expect, it } from 'vitest';
import { DEMO_GROUP, loadDemo } from '../../../bot/sandbox-mode/demo-data';
import { openDatabase } from '../../../db/client';
import { blockers, fundsEntries, jobEntries, milestones, people, projectHistory, projects, units } from '../../../db/schema';
import { personRoles, projectStages } from '../../../domain/vocabulary';

const now = Date.parse('2026-11-26T10:00:00+08:00');
const timeZone = 'Asia/Shanghai';

describe('demo data', () => {
  it('has every role and stage, overdue milestones, funds and jobs, and a second load changes nothing', async () => {
    const db = openDatabase(':memory:');
    const everything = () => ({
      units: db.select().from(units).all(),
      people: db.select().from(people).all(),
      projects: db.select().from(projects).all(),
      history: db.select().from(projectHistory).all(),
      milestones: db.select().from(milestones).all(),
      funds: db.select().from(fundsEntries).all(),
      jobs: db.select().from(jobEntries).all(),
      blockers: db.select().from(blockers).all(),
    });

    expect(await loadDemo(db, { now, timeZone })).toEqual({ loaded: true, projects: 10 });
    const first = everything();
    expect(new Set(first.people.map((p) => p.role))).toEqual(new Set(personRoles));
    expect(new Set(first.projects.map((p) => p.stage))).toEqual(new Set(projectStages));
    expect(first.projects.every((p) => p.sourceChatId === DEMO_GROUP.chatId && p.unitId !== null)).toBe(true);
    expect(first.milestones.filter((m) => m.doneDate === null && m.dueDate < '2026-11-19')).toHaveLength(1);
    expect(first.milestones.some((m) => m.doneDate !== null && m.doneDate <= m.dueDate && m.doneDate >= '2026-10-01')).toBe(true);
    expect(first.funds.length).toBeGreaterThan(0);
    expect(first.jobs.length).toBeGreaterThan(0);
    expect(first.blockers.map((b) => b.status).sort()).toEqual(['accepted', 'open', 'resolved']);
    expect(first.blockers.find((b) => b.status === 'open')!.dueDate < '2026-11-26').toBe(true);
    expect(first.blockers.find((b) => b.complaint)).toMatchObject({ status: 'resolved', finding: expect.stringContaining('核查') });
    // Activity long ago is what the stall scan looks for.
    expect(first.projects.find((p) => p.stage === 'lead')!.lastActivityAt.getTime()).toBeLessThan(now - 30 * 86_400_000);

    expect(await loadDemo(db, { now: now + 86_400_000, timeZone })).toEqual({ loaded: false, projects: 10 });
    expect(everything()).toEqual(first);
    db.$client.close();
  });
});
