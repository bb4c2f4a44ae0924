import type { ChildProcess } from 'node:child_process';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../db/open-store';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { type LocalRedis, startLocalRedis } from '../../jobs/local-redis';
import { LarkSandbox } from '../../sandbox/lark-sandbox';
import { county, GROUP } from '../support/bot-harness';
import { startBotProcess, threadNiceness } from '../support/bot-process';
import { tempDir } from '../support/temp-dir';
import { testDatabaseEnv } from '../support/test-store';

/**
 * Two web processes and two workers (npm run web, npm run worker) on one Redis and one database
 * (a SQLite file, or a PostgreSQL database):
 * each event has one effect wherever it lands, and stopping any one process loses nothing. (That
 * each daily task runs in one process only is test/jobs/daily-task-claims.test.ts.)
 */
const secrets = { appId: 'cli_0123456789abcdef', appSecret: 'split-secret', encryptKey: 'split-encrypt', verificationToken: 'split-token' };
const dir = tempDir('multi-process');
/** The database every process shares: DATABASE_PATH, and DATABASE_URL on PostgreSQL. */
let databaseEnv: Awaited<ReturnType<typeof testDatabaseEnv>>;
/** The processes' database, opened by the test itself. */
const openShared = () => openStore({ databasePath: databaseEnv.DATABASE_PATH, databaseUrl: databaseEnv.DATABASE_URL });
/** How many projects are registered, as the database has them. */
async function projectCount(): Promise<number> {
  const store = await openShared();
  try {
    return (await store.db.select().from(store.tables.projects)).length;
  } finally {
    await store.close();
  }
}
let redis: LocalRedis;
let sandbox: LarkSandbox;
const processes: { role: string; child: ChildProcess; url: string; output: string[] }[] = [];

async function start(role: 'web' | 'worker') {
  const { child, url } = await startBotProcess({
    secrets,
    larkDomain: sandbox.url,
    databasePath: databaseEnv.DATABASE_PATH,
    redisUrl: redis.url,
    logLevel: 'info',
    env: { BOT_ROLE: role, ...databaseEnv },
    output: 'pipe',
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const started = { role, child, url, output };
  processes.push(started);
  return started;
}

const stop = async (p: { child: ChildProcess }) => {
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
};

/** A `/线索` to the bot in the work group, delivered to each of `webs` in turn (as Lark re-pushes an event). */
async function registerVia(webs: { url: string }[], name: string) {
  const event = sandbox.messageEvent({
    chatId: GROUP,
    chatType: 'group',
    senderOpenId: county.official.openId,
    text: `@_user_1 /线索 ${name} 投资方:${name}公司`,
    mentions: [{ key: '@_user_1', openId: sandbox.botOpenId, name: sandbox.botName }],
  });
  for (const web of webs) expect((await sandbox.deliverEvent(`${web.url}/webhook/event`, event)).status).toBe(200);
  return event.event.message.message_id;
}

beforeAll(async () => {
  databaseEnv = await testDatabaseEnv(dir.path);
  redis = await startLocalRedis({ dir: join(dir.path, 'redis') });
  sandbox = await LarkSandbox.start({
    ...secrets,
    users: Object.values(county),
    chats: [{ chatId: GROUP, name: '招商工作群', memberOpenIds: Object.values(county).map((u) => u.openId) }],
  });
  // The first process creates and migrates the database; the roster goes in before the others start.
  await start('web');
  const store = await openShared();
  const unit = await createUnitsRepository({ store, clock: Date.now }).upsert('城关镇', 'township');
  await createPeopleRepository({ store, clock: Date.now }).upsertFromRoster({ ...county.official, unitId: unit.id, role: 'official' });
  await store.close();
  await Promise.all([start('web'), start('worker'), start('worker')]);
}, 60_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) await stop(p);
  await sandbox?.stop();
  await redis?.stop();
  dir.remove();
});

describe('web and worker processes', () => {
  it('take no events in a worker', async () => {
    const worker = processes.find((p) => p.role === 'worker')!;
    expect((await fetch(`${worker.url}/webhook/event`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
  });

  it('give way to the web processes on a shared machine, in every thread of a worker', () => {
    // A worker's garbage collection runs on threads of its own; at the web process's priority it took the web's CPU.
    for (const { role, child } of processes) {
      const niceness = threadNiceness(child.pid!);
      expect(niceness.length).toBeGreaterThan(1);
      expect(new Set(niceness)).toEqual(new Set([role === 'worker' ? 10 : getPriority()]));
    }
  });

  it('give each event one effect, whichever web process it reaches, however often', async () => {
    const webs = processes.filter((p) => p.role === 'web');
    const messageIds = [];
    for (let i = 0; i < 10; i++) messageIds.push(await registerVia(i % 2 ? webs : [...webs].reverse(), `并发项目${i}`));
    for (const id of messageIds) await sandbox.waitForMessages((m) => m.replyTo === id, { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 500));
    for (const id of messageIds) expect(sandbox.messages().filter((m) => m.replyTo === id)).toHaveLength(1);
    expect(await projectCount()).toBe(10);
  }, 40_000);

  it('lose nothing when a worker and a web process stop', async () => {
    const [web1, web2] = processes.filter((p) => p.role === 'web');
    const [worker1] = processes.filter((p) => p.role === 'worker');
    await stop(worker1!);
    await stop(web1!);
    const messageIds = [];
    for (let i = 0; i < 5; i++) messageIds.push(await registerVia([web2!], `停机后项目${i}`));
    for (const id of messageIds) await sandbox.waitForMessages((m) => m.replyTo === id, { timeoutMs: 20_000 });
    expect(await projectCount()).toBe(15);
  }, 40_000);
});
