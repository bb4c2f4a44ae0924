import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { redisOptions } from '../../bot/process/app';
import { shutdown } from '../../bot/process/shutdown';
import { createLogger } from '../../jobs/base/logger';
import { LarkSandbox } from '../../sandbox/lark-sandbox';
import { county } from '../support/bot-harness';
import { startBotProcess } from '../support/bot-process';
import { tempDir } from '../support/temp-dir';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = createLogger('silent');

describe('shutdown', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A worker on its own queue whose jobs take `jobMs`, with one job already running. */
  async function workerWithJobInFlight(jobMs: number) {
    const connection = { ...redisOptions(inject('redisUrl')), maxRetriesPerRequest: null };
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const queue = new Queue('slow', { connection, prefix });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = new Worker(
      'slow',
      async () => {
        started();
        await sleep(jobMs);
        return 'done';
      },
      { connection, prefix },
    );
    cleanups.push(() => queue.obliterate({ force: true }).then(() => queue.close()));
    const job = await queue.add('slow', {});
    await running;
    return { queue, worker, job };
  }

  /** An HTTP server whose `/slow` answers after `ms`; resolves when a request for it arrived. */
  async function serverWithSlowRequest(ms: number) {
    const server = createServer((req, res) => void (req.url === '/slow' ? sleep(ms).then(() => res.end('slow done')) : res.end('fast')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
    await sleep(50);
    return { server, port, slow };
  }

  it('lets the job and the request in flight finish, refuses new requests, then closes the rest in order', async () => {
    const { worker, job } = await workerWithJobInFlight(600);
    const { server, port, slow } = await serverWithSlowRequest(300);
    const closed: string[] = [];
    const stopping = shutdown({
      server,
      workers: [worker],
      resources: [
        ['first', () => closed.push('first')],
        ['second', async () => closed.push('second')],
      ],
      timeoutMs: 5_000,
      log,
    });
    await sleep(20);
    await expect(fetch(`http://127.0.0.1:${port}/fast`)).rejects.toThrow();
    expect(await slow).toBe('slow done');
    await stopping;
    expect(await job.getState()).toBe('completed');
    expect(worker.closing).toBeTruthy();
    expect(closed).toEqual(['first', 'second']);
  });

  it('never handles a request that arrives on a kept-alive connection while it drains', async () => {
    const { server, port, slow } = await serverWithSlowRequest(400);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const agentRequest = (path: string) =>
      new Promise<IncomingMessage>((resolve, reject) => request({ host: '127.0.0.1', port, path, agent }, resolve).on('error', reject).end());
    cleanups.push(() => agent.destroy());
    // The agent's one socket is busy with /slow; the next request waits for it, then reuses it.
    const first = agentRequest('/slow');
    await sleep(50);
    const stopping = shutdown({ server, workers: [], resources: [], timeoutMs: 5_000, log });
    const second = agentRequest('/fast');
    expect((await first).statusCode).toBe(200);
    (await first).resume();
    const late = await second.catch(() => undefined);
    // Its connection closed under it, or told to come back (503): never handled.
    if (late) expect(late.statusCode).toBe(503);
    await stopping;
    await slow;
  });

  it('cuts jobs off at the deadline and still closes everything', async () => {
    const { worker, job } = await workerWithJobInFlight(10_000);
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let closedRest = false;
    const started = Date.now();
    await shutdown({ server, workers: [worker], resources: [['rest', () => (closedRest = true)]], timeoutMs: 300, log });
    // Did not wait for the 10-second job (a bound a busy machine cannot break, unlike a tight one).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(closedRest).toBe(true);
    // Not lost: still active in Redis until its lock expires, then the next start runs it again.
    expect(await job.getState()).toBe('active');
  });
});

describe('SIGTERM to a running bot', () => {
  const REPLY_DELAY_MS = 1_500;
  const secrets = {
    appId: `cli_${randomBytes(8).toString('hex')}`,
    appSecret: 'sigterm-secret',
    encryptKey: 'sigterm-encrypt-key',
    verificationToken: 'sigterm-token',
  };
  const dir = tempDir('sigterm');
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => dir.remove()];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('finishes the reply in flight, exits 0, and the reply arrives exactly once', async () => {
    const sandbox = await LarkSandbox.start({ ...secrets, users: [county.official] });
    cleanups.push(() => sandbox.stop());
    const slowLark = await slowReplies(sandbox.url, REPLY_DELAY_MS);
    cleanups.push(() => slowLark.stop());

    const { child: bot, url: botUrl } = await startBotProcess({
      secrets,
      larkDomain: slowLark.url,
      databasePath: join(dir.path, 'zs.db'),
      redisUrl: inject('redisUrl'),
      logLevel: 'debug',
      env: { SHUTDOWN_TIMEOUT_SECONDS: '10' },
      output: 'pipe',
    });
    let output = '';
    bot.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
    cleanups.push(() => bot.exitCode === null && bot.kill('SIGKILL'));

    const event = sandbox.messageEvent({ chatType: 'p2p', senderOpenId: county.official.openId, text: '/help' });
    expect((await sandbox.deliverEvent(`${botUrl}/webhook/event`, event)).status).toBe(200);
    await slowLark.replyInFlight;
    bot.kill('SIGTERM');
    await sleep(200);
    const late = sandbox.messageEvent({ chatType: 'p2p', senderOpenId: county.official.openId, text: '/help' });
    const lateStatus = await sandbox.deliverEvent(`${botUrl}/webhook/event`, late, { timeoutMs: 2_000 }).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(lateStatus).not.toBe(200);

    expect(await exited).toBe(0);
    expect(sandbox.messages().filter((m) => m.replyTo === event.event.message.message_id)).toHaveLength(1);
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'event processed')?.eventId).toBe(event.header.event_id);
    expect(lines.map((l) => l.msg)).toContain('stopped');
    for (const secret of [secrets.appSecret, secrets.encryptKey, secrets.verificationToken]) expect(output).not.toContain(secret);
  }, 15_000);

  it('with its own Redis, stops at once when its whole process group is signalled (Ctrl+C, timeout), and leaves no redis-server behind', async () => {
    const sandbox = await LarkSandbox.start({ ...secrets, users: [county.official] });
    cleanups.push(() => sandbox.stop());
    const { child: bot } = await startBotProcess({
      secrets,
      larkDomain: sandbox.url,
      databasePath: join(dir.path, 'own-redis.db'),
      redisUrl: undefined,
      logLevel: 'info',
      env: { REDIS_DATA_DIR: join(dir.path, 'redis'), SHUTDOWN_TIMEOUT_SECONDS: '10' },
      output: 'pipe',
      ownProcessGroup: true,
    });
    const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
    cleanups.push(() => bot.exitCode === null && process.kill(-bot.pid!, 'SIGKILL'));
    const redisPort = Number(readFileSync(join(dir.path, 'redis', 'redis.port'), 'utf8'));
    // Should the bot die without stopping it, its Redis (a process group of its own) is stopped here.
    cleanups.push(async () => {
      const admin = new Redis({ port: redisPort, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      admin.on('error', () => {});
      await admin
        .connect()
        .then(() => admin.shutdown())
        .catch(() => {});
      admin.disconnect();
    });

    const signalled = Date.now();
    process.kill(-bot.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    // Before, Redis went down with the bot's group and the bot spent its whole deadline reconnecting.
    expect(Date.now() - signalled).toBeLessThan(5_000);
    const probe = new Redis({ port: redisPort, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  }, 30_000);
});

/**
 * A Lark that is slow to answer replies: a proxy in front of the sandbox holding each reply call
 * for `delayMs`. `replyInFlight` resolves when the first one arrives.
 */
async function slowReplies(target: string, delayMs: number) {
  let arrived!: () => void;
  const replyInFlight = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST' && req.url?.endsWith('/reply')) {
      arrived();
      await sleep(delayMs);
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<
      string,
      string
    >;
    const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replyInFlight,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
