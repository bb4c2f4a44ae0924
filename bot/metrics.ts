import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { larkEventJob } from '../jobs/queues';

/**
 * The bot's Prometheus metrics, served at GET /metrics. Counters are process-wide (one bot per
 * process in production) so the code paths that count need no wiring; the queue gauges belong to
 * the app whose queues they read.
 */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });
const registers = [processRegistry];

/** The counters, incremented where each thing happens. Label values are fixed words, never ids. */
export const metrics = {
  /** Webhook: from request to answer, by event type and HTTP status; its `_count` is the events acked. */
  webhookAck: new Histogram({
    name: 'zs_webhook_ack_seconds',
    help: 'Time from a webhook request to its answer, by Lark event type and HTTP status',
    labelNames: ['event_type', 'status'],
    // Lark gives up after 3 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  }),
  /** Intake: verified events, by what became of them (stored, duplicate, unavailable, no_event_id). */
  eventsReceived: new Counter({
    name: 'zs_events_received_total',
    help: 'Verified Lark events that reached the intake, by type and result',
    labelNames: ['event_type', 'result'],
    registers,
  }),
  /** Event worker: runs of a stored event, by outcome (ok, already_processed, error, malformed). */
  eventsProcessed: new Counter({
    name: 'zs_events_processed_total',
    help: 'Stored Lark events run by the worker, by type and outcome',
    labelNames: ['event_type', 'outcome'],
    registers,
  }),
  /** Outbound worker: attempts to send, by result. */
  messages: new Counter({
    name: 'zs_messages_total',
    help: 'Outbound message attempts by result: sent, deferred_target, rate_limited_app, retried, failed_permanent',
    labelNames: ['result'],
    registers,
  }),
  /** Outbound worker: sends put off for a limit, by whose limit (app, chat, user, message) and who enforced it. */
  rateLimitDeferrals: new Counter({
    name: 'zs_rate_limit_deferrals_total',
    help: 'Sends put off for a rate limit, by scope (app, chat, user, message) and source (limiter: ours, lark: a throttle answer)',
    labelNames: ['scope', 'source'],
    registers,
  }),
};

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
