import { describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_GROUP, loadDemo } from '../../../bot/sandbox-mode/demo-data';
import { personRoles, projectStages } from '../../../domain/vocabulary';
import { tempDir } from '../../support/temp-dir';
import { openTestStore } from '../../support/test-store';

const now = Date.parse('2026-11-26T10:00:00+08:00');
const timeZone = 'Asia/Shanghai';

describe('demo data', () => {
  it('has every role and stage, overdue milestones, funds and jobs, and a second load changes nothing', async () => {
    const dir = tempDir('demo-data');
    const store = await openTestStore(dir.path);
    onTestFinished(async () => {
      await store.close();
      dir.remove();
    });
    const { units, people, projects, projectHistory, milestones, fundsEntries, jobEntries, blockers } = store.tables;
    // In key order: PostgreSQL returns rows without ORDER BY in no order it promises.
    const everything = async () => ({
      units: await store.db.select().from(units).orderBy(units.id),
      people: await store.db.select().from(people).orderBy(people.openId),
      projects: await store.db.select().from(projects).orderBy(projects.id),
      history: await store.db.select().from(projectHistory).orderBy(projectHistory.id),
      milestones: await store.db.select().from(milestones).orderBy(milestones.id),
      funds: await store.db.select().from(fundsEntries).orderBy(fundsEntries.id),
      jobs: await store.db.select().from(jobEntries).orderBy(jobEntries.id),
      blockers: await store.db.select().from(blockers).orderBy(blockers.id),
    });

    expect(await loadDemo(store, { now, timeZone })).toEqual({ loaded: true, projects: 10 });
    const first = await everything();
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

    expect(await loadDemo(store, { now: now + 86_400_000, timeZone })).toEqual({ loaded: false, projects: 10 });
    expect(await everything()).toEqual(first);
  });
});
