import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import { metrics, processRegistry } from '../../jobs/base/metrics';
import { larkEventJob } from '../../jobs/queues';

/** GET /metrics and the webhook's timing; the counters themselves are in jobs/base/metrics.ts. */

/** The event types a label may name; the type is read before the signature is checked, so any other is `other`. */
const LABELLED_TYPES = new Set<unknown>([...larkEventJob.shape.eventType.options, 'url_verification', 'invalid']);

/** Express middleware for the webhook route: times the answer, labelled with `res.locals.eventType`. */
export const timeWebhookAck: RequestHandler = (_req, res, next) => {
  const end = metrics.webhookAck.startTimer();
  res.once('finish', () => end({ event_type: LABELLED_TYPES.has(res.locals.eventType) ? String(res.locals.eventType) : 'other', status: res.statusCode }));
  next();
};

/**
 * GET /metrics for one app: the process-wide metrics plus `zs_queue_jobs{queue,state}`, read from
 * BullMQ on each scrape (the counts live in Redis, shared by every process on the queues).
 */
export function metricsEndpoint(queues: Queue[]): RequestHandler {
  const appRegistry = new Registry();
  new Gauge({
    name: 'zs_queue_jobs',
    help: 'Jobs per queue and state, read from BullMQ at scrape time',
    labelNames: ['queue', 'state'],
    registers: [appRegistry],
    async collect() {
      this.reset();
      // Redis unreachable: no queue series this scrape, but the process metrics are still served.
      const counts = await Promise.all(queues.map(async (queue) => [queue.name, await queue.getJobCounts()] as const)).catch(() => []);
      for (const [queue, byState] of counts) for (const [state, n] of Object.entries(byState)) this.set({ queue, state }, n);
    },
  });
  const registry = Registry.merge([processRegistry, appRegistry]);
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}
