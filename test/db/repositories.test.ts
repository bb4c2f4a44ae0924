import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertMany } from '../../db/bulk-writes';
import { createEscalationsRepository } from '../../db/escalations-repository';
import { createEventsRepository } from '../../db/events-repository';
import { openStore } from '../../db/open-store';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createProjectsRepository, type NewProject } from '../../db/projects-repository';
import { createRecordedSendsRepository, type RecordedSend } from '../../db/recorded-sends-repository';
import type { openSqliteStore } from '../../db/sqlite-store';
import type { Store } from '../../db/store';
import { formatProjectCode } from '../../domain/project-code';
import { tempDir } from '../support/temp-dir';
import { testDatabaseEnv, testDialect } from '../support/test-store';

let dir: ReturnType<typeof tempDir>;
let env: Awaited<ReturnType<typeof testDatabaseEnv>>;
let store: Store;
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

/** The run's database (a SQLite file in `dir`, or a PostgreSQL database), opened again by `open`. */
const open = () => openStore({ databasePath: env.DATABASE_PATH, databaseUrl: env.DATABASE_URL });

/** The messages of an error and of its causes: drizzle wraps the database's own error in one of its own. */
function messagesOf(err: unknown): string {
  const messages: string[] = [];
  for (let e = err; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join('\n');
}

async function rejection(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (err) {
    return messagesOf(err);
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  dir = tempDir('db');
  env = await testDatabaseEnv(dir.path);
  store = await open();
  await createPeopleRepository({ store, clock }).recordSeen({ openId: 'ou_owner', name: '赵干事' });
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

describe('database file', () => {
  // WAL and the foreign_keys pragma are SQLite's own settings; PostgreSQL has no counterpart to check.
  it.skipIf(testDialect === 'postgres')('runs in WAL mode with foreign keys switched on', () => {
    const { sqlite } = store as ReturnType<typeof openSqliteStore>;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('enforces foreign keys', async () => {
    const projects = createProjectsRepository({ store, clock });
    expect(await rejection(() => projects.register(newProject({ ownerOpenId: 'ou_nobody' }), formatProjectCode))).toMatch(
      testDialect === 'postgres' ? /violates foreign key constraint/ : /FOREIGN KEY/,
    );
  });

  it('keeps its rows when opened again (migrations already applied are skipped)', async () => {
    await createProjectsRepository({ store, clock }).register(newProject(), formatProjectCode);
    await store.close();
    store = await open();
    expect((await createProjectsRepository({ store, clock }).byCode('ZS-2026-0001'))?.name).toBe('富硒茶深加工');
  });
});

describe('projects repository', () => {
  it('numbers projects in sequence within a year and starts again in a new year', async () => {
    const projects = createProjectsRepository({ store, clock });
    const codes: string[] = [];
    for (const p of [newProject(), newProject(), newProject({ year: 2027 })]) codes.push((await projects.register(p, formatProjectCode)).project.code);
    expect(codes).toEqual(['ZS-2026-0001', 'ZS-2026-0002', 'ZS-2027-0001']);
  });

  it('returns the first project when the same source registers again, with one history entry', async () => {
    const projects = createProjectsRepository({ store, clock });
    const first = await projects.register(newProject({ sourceKey: 'msg-om_1' }), formatProjectCode);
    const again = await projects.register(newProject({ sourceKey: 'msg-om_1', name: '别的名字' }), formatProjectCode);
    expect(first.created).toBe(true);
    expect(again).toEqual({ project: first.project, created: false });
    expect(await projects.history(first.project.id)).toHaveLength(1);
  });

  it('records registration in history, which the database refuses to rewrite', async () => {
    const projects = createProjectsRepository({ store, clock });
    const { project } = await projects.register(newProject(), formatProjectCode);
    const [entry] = await projects.history(project.id);
    expect(entry).toMatchObject({ action: 'registered', actorOpenId: 'ou_owner', at: new Date(now) });
    expect(entry?.changes).toMatchObject({ code: 'ZS-2026-0001', investor: '某茶业有限公司', stage: 'lead' });
    // SQLite's triggers and PostgreSQL's (db/migrations*/0001_history_append_only.sql) say the same.
    const history = store.tables.projectHistory;
    expect(await rejection(async () => store.db.update(history).set({ action: 'edited' }))).toMatch(/project_history is append-only/);
    expect(await rejection(async () => store.db.delete(history))).toMatch(/project_history is append-only/);
    if (testDialect === 'postgres') {
      // TRUNCATE fires no row triggers: PostgreSQL's statement trigger refuses it as well.
      expect(await rejection(() => store.rows(sql`truncate project_history`))).toMatch(/project_history is append-only/);
    }
    expect(await projects.history(project.id)).toEqual([entry]);
  });

  it('finds projects by normalised investor', async () => {
    const projects = createProjectsRepository({ store, clock });
    await projects.register(newProject(), formatProjectCode);
    expect((await projects.withInvestorKey('某茶业')).map((p) => p.code)).toEqual(['ZS-2026-0001']);
    expect(await projects.withInvestorKey('别家')).toEqual([]);
  });
});

describe('people and units', () => {
  it('keeps roster data when someone is seen in a message, and fills in a missing name', async () => {
    const people = createPeopleRepository({ store, clock });
    const units = createUnitsRepository({ store, clock });
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
    const events = createEventsRepository({ store, clock });
    expect(await events.isProcessed('e1')).toBe(false);
    await events.markProcessed('e1', 'im.message.receive_v1');
    await events.markProcessed('e1', 'im.message.receive_v1');
    expect(await events.isProcessed('e1')).toBe(true);
  });
});

describe('escalation episodes', () => {
  it('give the bulletin the projects stalled longest, without overdue blockers’ alarms, and how many are open', async () => {
    const projects = createProjectsRepository({ store, clock });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await projects.register(newProject(), formatProjectCode)).project.id);
    const repo = createEscalationsRepository({ store, clock });
    const ladder = { ladder: [], levelIndex: 0, round: 0 } as never;
    const start = async (projectId: number, key: string) => {
      now += 60_000;
      const cause = (key.startsWith('blocker-') ? { kind: 'blocker_overdue' } : { kind: 'inactive' }) as never;
      return (await repo.startMany([{ projectId, key, cause, state: ladder }]))[0]!;
    };
    const blocker = await start(ids[0]!, 'blocker-1');
    const oldest = await start(ids[1]!, 'inactive');
    const closed = await start(ids[2]!, 'inactive');
    const newer = await start(ids[3]!, 'milestone-9');
    await repo.close(closed, 'ou_owner', 'activity');

    const { longest, total } = await repo.longestStalled(1);
    expect(longest.map((e) => e.id)).toEqual([oldest.id]);
    expect(total).toBe(2);
    expect((await repo.longestStalled(10)).longest.map((e) => e.id)).toEqual([oldest.id, newer.id]);
    expect([blocker.id, closed.id]).not.toContain(longest[0]!.id);
  });

  it('find for /预警 the open alarms of a person’s own, led and unit’s projects and those they were told of, with their latest notices', async () => {
    const people = createPeopleRepository({ store, clock });
    for (const openId of ['ou_leader', 'ou_other', 'ou_told']) await people.recordSeen({ openId, name: openId });
    const units = createUnitsRepository({ store, clock });
    const [town, village] = [await units.upsert('城关镇', 'township'), await units.upsert('河口乡', 'township')];
    const projects = createProjectsRepository({ store, clock });
    const project = async (overrides: Partial<NewProject>) => (await projects.register(newProject(overrides), formatProjectCode)).project.id;
    const own = await project({ ownerOpenId: 'ou_owner' });
    const led = await project({ ownerOpenId: 'ou_other', leaderOpenId: 'ou_leader', unitId: town.id });
    const elsewhere = await project({ ownerOpenId: 'ou_other', unitId: village.id });
    const ended = await project({ ownerOpenId: 'ou_other', unitId: village.id });
    const repo = createEscalationsRepository({ store, clock });
    const ladder = { ladder: [], levelIndex: 0, round: 0 } as never;
    const episodes = new Map<number, Awaited<ReturnType<typeof repo.startMany>>[number]>();
    for (const id of [own, led, elsewhere, ended]) {
      now += 60_000;
      episodes.set(id, (await repo.startMany([{ projectId: id, key: 'inactive', cause: { kind: 'inactive' } as never, state: ladder }]))[0]!);
    }
    const notice = (projectId: number, levelIndex: number) => ({
      episode: episodes.get(projectId)!,
      levelIndex,
      level: 'holder',
      round: 0,
      recipient: 'user-ou_told',
      day: '2026-11-26',
    });
    await repo.recordNotices([notice(elsewhere, 1), notice(elsewhere, 0), notice(ended, 0)], []);
    await repo.close(episodes.get(ended)!, 'ou_other', 'activity');

    const shownTo = async (openId: string, unitId: number | null, all = false) =>
      (await repo.openWithProjects({ all, openId, unitId, recipient: `user-${openId}` })).map(({ project }) => project.id);
    expect(await shownTo('ou_owner', null)).toEqual([own]);
    expect(await shownTo('ou_leader', null)).toEqual([led]);
    expect(await shownTo('ou_member', town.id)).toEqual([led]);
    expect(await shownTo('ou_told', town.id)).toEqual([led, elsewhere]);
    expect(await shownTo('ou_anyone', null, true)).toEqual([own, led, elsewhere]);
    const held = await repo.latestOpenNoticesTo('user-ou_told');
    expect([...held.keys()]).toEqual([episodes.get(elsewhere)!.id]);
    expect(held.get(episodes.get(elsewhere)!.id)?.levelIndex).toBe(1);
  });
});

describe('write transactions', () => {
  const people = () => createPeopleRepository({ store, clock });
  const historyOf = (projectId: number) =>
    insertMany(store, store.tables.projectHistory, [{ projectId, at: new Date(now), actorOpenId: null, action: 'test', changes: {} }]);

  it('commit the writes they sent without waiting for them', async () => {
    await store.transaction(async () => {
      store.writeUnawaited(people().recordSeen({ openId: 'ou_later', name: '钱干事' }));
    });
    expect(await people().get('ou_later')).toMatchObject({ name: '钱干事' });
  });

  it('give a connection its next statement while one runs only as the driver supports it', async () => {
    // node-postgres warns (once a process) when a client is given a query while one runs: deprecated, gone in pg 9.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      await store.transaction(async () => {
        store.writeUnawaited(people().recordSeen({ openId: 'ou_one', name: '周干事' }));
        store.writeUnawaited(people().recordSeen({ openId: 'ou_two', name: '吴干事' }));
        await people().recordSeen({ openId: 'ou_three', name: '郑干事' });
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
    expect(await people().many(['ou_one', 'ou_two', 'ou_three'])).toHaveLength(3);
  });

  it('roll back whole when such a write fails, and report that write rather than what failed after it', async () => {
    const failure = await rejection(() =>
      store.transaction(async () => {
        await people().recordSeen({ openId: 'ou_before', name: '孙干事' });
        store.writeUnawaited(historyOf(999_999));
        await people().recordSeen({ openId: 'ou_after', name: '李干事' });
      }),
    );
    expect(failure).toMatch(/foreign key/i);
    expect(await people().get('ou_before')).toBeUndefined();
    expect(await people().get('ou_after')).toBeUndefined();
  });

  it('take such a write only inside a transaction', () => {
    expect(() => store.writeUnawaited(Promise.resolve())).toThrow();
  });

  // SQLite's own write lock does this between processes (two connections in one process would wait
  // on each other synchronously); on PostgreSQL it is the store's advisory lock, and the standings
  // rely on it: history ids commit in the order they are taken.
  it.skipIf(testDialect === 'sqlite')('run one at a time across processes sharing the database', async () => {
    const other = await open();
    try {
      const steps: string[] = [];
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let begun = () => {};
      const inside = new Promise<void>((resolve) => (begun = resolve));
      const first = store.transaction(async () => {
        await people().recordSeen({ openId: 'ou_first', name: '赵干事' });
        steps.push('first writes');
        begun();
        await released;
        steps.push('first commits');
      });
      await inside;
      const second = other.transaction(async () => {
        steps.push('second writes');
        await createPeopleRepository({ store: other, clock }).recordSeen({ openId: 'ou_second', name: '钱干事' });
      });
      // Long enough for the second to have begun, were nothing holding it back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      steps.push('first released');
      release();
      await Promise.all([first, second]);
      expect(steps).toEqual(['first writes', 'first released', 'first commits', 'second writes']);
    } finally {
      await other.close();
    }
  });
});

describe('recorded sends', () => {
  const job = (uuid: string) => ({ uuid, job: { kind: 'send', uuid } });
  const pagesOf = async (pages: AsyncIterable<{ uuid: string }[]>) => {
    const uuids: string[][] = [];
    for await (const page of pages) uuids.push(page.map((s) => s.uuid));
    return uuids;
  };
  const unsettledUuids = async (sends: ReturnType<typeof createRecordedSendsRepository>, source?: string) => (await pagesOf(sends.unsettled(source))).flat();

  it('records the sends with their decision, or neither when the decision fails', async () => {
    const sends = createRecordedSendsRepository({ store, clock });
    await sends.recordWith('digest-a', async () => [job('u1'), job('u2')]);
    await expect(async () =>
      sends.recordWith('digest-b', async () => {
        await sends.recordWith('digest-b-inner', async () => [job('u3')]);
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow();
    expect(await unsettledUuids(sends)).toEqual(['u1', 'u2']);
    expect(await unsettledUuids(sends, 'digest-a')).toHaveLength(2);
  });

  it('gives a recorded card back as it was recorded, whatever its text holds', async () => {
    const sends = createRecordedSendsRepository({ store, clock });
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: '【预警】项目"县城东区物流园"已 30 天无进展' } },
      body: {
        elements: [
          { tag: 'markdown', content: '负责人：<at id=ou_1></at>\n原因：\\ 用地手续未批 😟\t“待办”' },
          { tag: 'button', text: { tag: 'plain_text', content: '已阅' }, value: { action: 'ack', episode: 7, round: 0, note: null } },
        ],
      },
    };
    const recorded = { uuid: 'card-1', job: { kind: 'send', uuid: 'card-1', msgType: 'interactive', content: card, buzz: true } };
    await sends.recordWith('escalation-2026-11-25-0', async () => [recorded]);
    const given: RecordedSend[] = [];
    for await (const page of sends.unsettled('escalation-2026-11-25-0')) given.push(...page);
    expect(given).toEqual([recorded]);
  });

  it('gives the unsettled sends oldest first, a page at a time, leaving out one settled meanwhile', async () => {
    const sends = createRecordedSendsRepository({ store, clock });
    await sends.recordWith('paged', async () => [job('p3'), job('p1')]);
    now += 1_000;
    await sends.recordWith('paged', async () => [job('p0'), job('p2')]);
    const pages = sends.unsettled('paged', { pageSize: 2 });
    const { value: first } = await pages.next();
    await sends.markSettled('p2');
    const rest = await pagesOf(pages);
    expect([(first as RecordedSend[]).map((s) => s.uuid), ...rest]).toEqual([['p1', 'p3'], ['p0']]);
  });

  it('keeps a settled send until it is a week old, and an unsettled one however old', async () => {
    const sends = createRecordedSendsRepository({ store, clock });
    await sends.recordWith('bulletin', async () => [job('old'), job('pending')]);
    await sends.markSettled('old');
    expect(await sends.isSettled('old')).toBe(true);
    now += 8 * 86_400_000;
    expect(await sends.pruneSettled(now - 7 * 86_400_000)).toBe(1);
    expect(await unsettledUuids(sends)).toEqual(['pending']);
  });
});
