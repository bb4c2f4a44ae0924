import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The bot's Prometheus counters, served at GET /metrics (bot/process/metrics.ts). They are process-wide (one
 * bot per process in production), so the code paths that count, in the workers and the webhook alike,
 * need no wiring.
 */
export const processRegistry = new Registry();
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
