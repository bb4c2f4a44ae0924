import { spawn } from 'node:child_process';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_PREFIX, redisOptions } from '../../bot/process/app';
import { type LocalRedis, startLocalRedis } from '../../jobs/local-redis';
import { QUEUE } from '../../jobs/queues';
import { tempDir } from '../support/temp-dir';

// The command works on the deployed bot's queue prefix: a redis-server of its own keeps this test
// away from the other files' bots.
const dir = tempDir('retry-events');
let redis: LocalRedis;

/** Runs `npm run events:retry` against the test Redis, as an operator beside a running bot would. */
function retryEvents(): Promise<{ code: number | null; output: string }> {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/retry-events.ts'], {
    env: { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => cli.once('exit', (code) => resolve({ code, output })));
}

describe('npm run events:retry', () => {
  let queue: Queue;
  let connection: ReturnType<typeof redisOptions> & { maxRetriesPerRequest: null };
  beforeAll(async () => {
    redis = await startLocalRedis({ dir: dir.path });
    connection = { ...redisOptions(redis.url), maxRetriesPerRequest: null };
    queue = new Queue(QUEUE.larkEvents, { connection, prefix: DEFAULT_QUEUE_PREFIX });
  });
  afterAll(async () => {
    await queue?.close();
    await redis?.stop();
    dir.remove();
  });

  it('runs every event that failed for good again', async () => {
    let fixed = false;
    const handled: string[] = [];
    const worker = new Worker(
      QUEUE.larkEvents,
      async (job) => {
        if (!fixed) throw new UnrecoverableError('a bug');
        handled.push(job.data.eventId);
      },
      { connection, prefix: DEFAULT_QUEUE_PREFIX },
    );
    const failedAll = new Promise<void>((resolve) => worker.on('failed', async () => (await queue.getFailedCount()) === 2 && resolve()));
    await queue.add('im.message.receive_v1', { eventId: 'e1' }, { jobId: 'evt-e1' });
    await queue.add('card.action.trigger', { eventId: 'e2' }, { jobId: 'evt-e2' });
    await failedAll;
    fixed = true;
    const doneAll = new Promise<void>((resolve) => worker.on('completed', () => handled.length === 2 && resolve()));
    const { code, output } = await retryEvents();
    expect(code, output).toBe(0);
    expect(output).toMatch(/2 个失败的事件/);
    await doneAll;
    expect(handled.sort()).toEqual(['e1', 'e2']);
    await worker.close();
  });
});
