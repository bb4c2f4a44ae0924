import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../db/client';
import { createEventsRepository } from '../../db/events-repository';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createProjectsRepository, type NewProject } from '../../db/projects-repository';
import { createRecordedSendsRepository } from '../../db/recorded-sends-repository';
import { formatProjectCode } from '../../domain/project-code';
import { tempDir } from '../support/temp-dir';

let dir: ReturnType<typeof tempDir>;
let db: Db;
let now = Date.UTC(2026, 10, 26, 2);
const clock = () => now;

function newProject(overrides: Partial<NewProject> = {}): NewProject {
  return {
    year: 2026,
    name: '富硒茶深加工',
    investor: '某茶业有限公司',
    investorKey: '某茶业',
    plannedInvestmentWan: 12000,
    industry: '富硒茶叶',
    channel: 'business_network',
    referrer: null,
    note: null,
    unitId: null,
    ownerOpenId: 'ou_owner',
    leaderOpenId: null,
    createdBy: 'ou_owner',
    sourceChatId: 'oc_chat',
    sourceKey: `msg-${Math.random()}`,
    ...overrides,
  };
}

beforeEach(async () => {
  dir = tempDir('db');
  db = openDatabase(join(dir.path, 'zs.db'));
  await createPeopleRepository({ db, clock }).recordSeen({ openId: 'ou_owner', name: '赵干事' });
});
afterEach(() => {
  db.$client.close();
  dir.remove();
});

describe('database file', () => {
  it('runs in WAL mode with foreign keys enforced', async () => {
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    const projects = createProjectsRepository({ db, clock });
    await expect(async () => projects.register(newProject({ ownerOpenId: 'ou_nobody' }), formatProjectCode)).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps its rows when opened again (migrations already applied are skipped)', async () => {
    await createProjectsRepository({ db, clock }).register(newProject(), formatProjectCode);
    db.$client.close();
    db = openDatabase(join(dir.path, 'zs.db'));
    expect((await createProjectsRepository({ db, clock }).byCode('ZS-2026-0001'))?.name).toBe('富硒茶深加工');
  });
});

describe('projects repository', () => {
  it('numbers projects in sequence within a year and starts again in a new year', async () => {
    const projects = createProjectsRepository({ db, clock });
    const codes: string[] = [];
    for (const p of [newProject(), newProject(), newProject({ year: 2027 })]) codes.push((await projects.register(p, formatProjectCode)).project.code);
    expect(codes).toEqual(['ZS-2026-0001', 'ZS-2026-0002', 'ZS-2027-0001']);
  });

  it('returns the first project when the same source registers again, with one history entry', async () => {
    const projects = createProjectsRepository({ db, clock });
    const first = await projects.register(newProject({ sourceKey: 'msg-om_1' }), formatProjectCode);
    const again = await projects.register(newProject({ sourceKey: 'msg-om_1', name: '别的名字' }), formatProjectCode);
    expect(first.created).toBe(true);
    expect(again).toEqual({ project: first.project, created: false });
    expect(await projects.history(first.project.id)).toHaveLength(1);
  });

  it('records registration in history, which the database refuses to rewrite', async () => {
    const projects = createProjectsRepository({ db, clock });
    const { project } = await projects.register(newProject(), formatProjectCode);
    const [entry] = await projects.history(project.id);
    expect(entry).toMatchObject({ action: 'registered', actorOpenId: 'ou_owner', at: new Date(now) });
    expect(entry?.changes).toMatchObject({ code: 'ZS-2026-0001', investor: '某茶业有限公司', stage: 'lead' });
    expect(() => db.$client.prepare('update project_history set action = ?').run('edited')).toThrow(/append-only/);
    expect(() => db.$client.prepare('delete from project_history').run()).toThrow(/append-only/);
  });

  it('finds projects by normalised investor', async () => {
    const projects = createProjectsRepository({ db, clock });
    await projects.register(newProject(), formatProjectCode);
    expect((await projects.withInvestorKey('某茶业')).map((p) => p.code)).toEqual(['ZS-2026-0001']);
    expect(await projects.withInvestorKey('别家')).toEqual([]);
  });
});

describe('people and units', () => {
  it('keeps roster data when someone is seen in a message, and fills in a missing name', async () => {
    const people = createPeopleRepository({ db, clock });
    const units = createUnitsRepository({ db, clock });
    const town = await units.upsert('城关镇', 'township');
    await people.upsertFromRoster({ openId: 'ou_head', name: '李镇长', unitId: town.id, role: 'unit_head' });
    expect(await people.recordSeen({ openId: 'ou_head', name: '老李' })).toMatchObject({ name: '李镇长', role: 'unit_head', unitId: town.id });

    await people.recordSeen({ openId: 'ou_new', name: '' });
    expect(await people.recordSeen({ openId: 'ou_new', name: '钱干事' })).toMatchObject({ name: '钱干事', source: 'event', unitId: null });
    expect((await people.unitHead(town.id))?.openId).toBe('ou_head');
  });
});

describe('processed events', () => {
  it('remembers which events had their effect', async () => {
    const events = createEventsRepository({ db, clock });
    expect(await events.isProcessed('e1')).toBe(false);
    await events.markProcessed('e1', 'im.message.receive_v1');
    await events.markProcessed('e1', 'im.message.receive_v1');
    expect(await events.isProcessed('e1')).toBe(true);
  });
});

describe('recorded sends', () => {
  const job = (uuid: string) => ({ uuid, job: { kind: 'send', uuid } });

  it('records the sends with their decision, or neither when the decision fails', async () => {
    const sends = createRecordedSendsRepository({ db, clock });
    await sends.recordWith('digest-a', [job('u1'), job('u2')], () => {});
    await expect(async () =>
      sends.recordWith('digest-b', [job('u3')], () => {
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow();
    expect((await sends.unsettled()).map((s) => s.uuid)).toEqual(['u1', 'u2']);
    expect(await sends.unsettled('digest-a')).toHaveLength(2);
  });

  it('keeps a settled send until it is a week old, and an unsettled one however old', async () => {
    const sends = createRecordedSendsRepository({ db, clock });
    await sends.recordWith('bulletin', [job('old'), job('pending')], () => {});
    await sends.markSettled('old');
    expect(await sends.isSettled('old')).toBe(true);
    now += 8 * 86_400_000;
    expect(await sends.pruneSettled(now - 7 * 86_400_000)).toBe(1);
    expect((await sends.unsettled()).map((s) => s.uuid)).toEqual(['pending']);
  });
});
