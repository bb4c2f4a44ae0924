import { randomBytes } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { redisOptions } from '../../bot/process/app';
import { EVENT_WORKER_OPTIONS } from '../../jobs/queues';

/** Short locks, so that a dead worker's job is found stalled in a second rather than a minute. */
const FAST_STALL = { lockDuration: 600, stalledInterval: 300 };

describe('an event whose worker dies as it starts, again and again', () => {
  const connection = { ...redisOptions(inject('redisUrl')), maxRetriesPerRequest: null };
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const queue = new Queue('lark-events', { connection, prefix });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  /** A worker that takes the job and dies with it (closes without finishing or releasing it). */
  async function crashOnce(): Promise<void> {
    let took!: () => void;
    const taken = new Promise<void>((resolve) => (took = resolve));
    const worker = new Worker(
      'lark-events',
      () => {
        took();
        return new Promise(() => {});
      },
      { connection, prefix, ...EVENT_WORKER_OPTIONS, ...FAST_STALL },
    );
    await taken;
    await worker.close(true);
  }

  it('is taken again after three crashes and handled once', async () => {
    const job = await queue.add('im.message.receive_v1', { eventId: 'evt-crash-loop' }, { jobId: 'evt-crash-loop', attempts: 12 });
    for (let i = 0; i < 3; i++) await crashOnce();
    const handled: string[] = [];
    const done = new Promise<Job>((resolve) => {
      const worker = new Worker('lark-events', async (j) => void handled.push(j.data.eventId), { connection, prefix, ...EVENT_WORKER_OPTIONS, ...FAST_STALL });
      worker.on('completed', (j) => void worker.close().then(() => resolve(j)));
    });
    expect((await done).id).toBe(job.id);
    expect(handled).toEqual(['evt-crash-loop']);
  }, 30_000);
});
