import { type ConnectionOptions, type Queue, QueueEvents } from 'bullmq';
import type { EventsRepository } from '../../db/events-repository';
import type { Logger } from '../../jobs/base/logger';
import { metrics } from '../../jobs/base/metrics';
import { CARD_ANSWER_WAIT_MS, type CardCallbackResponse, jobId, type LarkEventJob } from '../../jobs/queues';

export type IntakeEventType = LarkEventJob['eventType'];

/** The event could not be stored: the webhook must answer non-200 so that Lark pushes it again. */
export class IntakeUnavailableError extends Error {}

/** BullMQ waits for a lost Redis connection to come back; Lark cannot wait that long for an answer. */
const STORE_TIMEOUT_MS = 1_000;

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The durable half of the webhook: dedupes by event_id and stores the event as a job before Lark
 * is answered. The work itself happens in the worker (jobs/event-processor.ts).
 */
export function createEventIntake(deps: { queue: Queue; connection: ConnectionOptions; prefix: string; events: EventsRepository; log: Logger }) {
  const { queue, events, log } = deps;
  const queueEvents = new QueueEvents(queue.name, { connection: deps.connection, prefix: deps.prefix });
  queueEvents.on('error', (err) => log.warn({ err }, 'queue events connection error'));

  /**
   * Adds the event's job. One that failed for good earlier (a bug since fixed, an outage past its
   * retries) still holds the id: pushed again by Lark, it is taken again rather than acknowledged and lost.
   */
  async function store(job: LarkEventJob) {
    const stored = await queue.add(job.eventType, job, { jobId: jobId.larkEvent(job.eventId) });
    if (await stored.isFailed()) {
      log.warn({ eventId: job.eventId, eventType: job.eventType }, 'event that had failed pushed again: retrying it');
      await stored.updateData(job); // Redis kept the data of the first push
      await stored.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
    return stored;
  }

  return {
    async accept(eventType: IntakeEventType, payload: Record<string, unknown>): Promise<CardCallbackResponse> {
      const eventId = typeof payload.event_id === 'string' ? payload.event_id : '';
      const received = (result: 'stored' | 'duplicate' | 'unavailable' | 'no_event_id') => metrics.eventsReceived.inc({ event_type: eventType, result });
      if (!eventId) {
        received('no_event_id');
        log.warn({ eventType }, 'event without event_id ignored');
        return {};
      }
      if (await events.isProcessed(eventId)) {
        received('duplicate');
        log.info({ eventId, eventType }, 'duplicate event acknowledged');
        return {};
      }
      const job: LarkEventJob = { eventId, eventType, receivedAt: Date.now(), payload };
      let stored: Awaited<ReturnType<typeof store>>;
      try {
        stored = await withTimeout(store(job), STORE_TIMEOUT_MS);
      } catch (err) {
        received('unavailable');
        log.error({ err: String(err), eventId }, 'could not store event; Lark will push it again');
        throw new IntakeUnavailableError('event store unavailable');
      }
      received('stored');
      if (eventType !== 'card.action.trigger') return {};
      try {
        return ((await stored.waitUntilFinished(queueEvents, CARD_ANSWER_WAIT_MS)) ?? {}) as CardCallbackResponse;
      } catch (err) {
        log.info({ eventId, err: String(err) }, 'card answer not ready in time; the worker will update the card');
        return { toast: { type: 'info', content: '已收到，正在处理…' } };
      }
    },
    async close(): Promise<void> {
      await queueEvents.close();
    },
  };
}

export type EventIntake = ReturnType<typeof createEventIntake>;
