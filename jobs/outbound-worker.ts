import { type ConnectionOptions, type Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliveryFailuresRepository } from '../db/delivery-failures-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { RecordedSendsRepository } from '../db/recorded-sends-repository';
import type { Clock } from '../domain/clock';
import type { Logger } from './base/logger';
import { createFailureReporter } from './outbound-failures';
import { createOutboundProcessor } from './outbound-processor';
import { QUEUE } from './queues';
import type { LarkApi } from './send/lark-api';
import type { Outbox } from './send/outbox';
import { createSendLimiter } from './send-limiter';

/**
 * The worker that talks to Lark for every message the bot sends. Its send limiter keeps its own
 * Redis connection (on the same Redis and prefix as the queue, so every process shares the
 * windows), closed with the worker.
 */
export function createOutboundWorker(deps: {
  connection: ConnectionOptions;
  redisUrl: string;
  prefix: string;
  queue: Queue;
  lark: LarkApi;
  outbox: Outbox;
  failures: DeliveryFailuresRepository;
  recorded: RecordedSendsRepository;
  people: PeopleRepository;
  clock: Clock;
  log: Logger;
}): Worker {
  const redis = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err) => deps.log.warn({ err: err.message }, 'send limiter redis error'));
  const processor = createOutboundProcessor({
    lark: deps.lark,
    limiter: createSendLimiter({ redis, prefix: deps.prefix, clock: deps.clock }),
    pauseSending: (ms) => deps.queue.rateLimit(ms),
    reportFailure: createFailureReporter({ failures: deps.failures, people: deps.people, outbox: deps.outbox, log: deps.log }),
    recorded: deps.recorded,
    log: deps.log,
  });
  const worker = new Worker(QUEUE.outbound, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    // Enough calls in flight for 50/s at Lark's real latency (100–300 ms a call).
    concurrency: 16,
    // The send limiter does the limiting. BullMQ honours queue.rateLimit() only on a worker that has
    // a limiter, so this one never binds; its window is 1 ms because a worker that throws
    // RateLimitError sleeps for whatever is left of it.
    limiter: { max: 1_000_000, duration: 1 },
  });
  worker.once('closed', () => redis.disconnect());
  return worker;
}
