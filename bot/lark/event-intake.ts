import { type ConnectionOptions, Job, type Queue, QueueEvents } from 'bullmq';
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
 * The durable half of the webhook: stores the event as a job keyed by its event_id before Lark is
 * answered, so a re-push while the job is kept finds it (Redis alone: the answer to Lark never waits
 * on the database, however busy the workers keep it). The work itself happens in the worker
 * (jobs/event-processor.ts), which skips an event whose effect is already recorded: a re-push after
 * the job was removed is queued again and does nothing.
 */
export function createEventIntake(deps: { queue: Queue; connection: ConnectionOptions; prefix: string; log: Logger }) {
  const { queue, log } = deps;
  const queueEvents = new QueueEvents(queue.name, { connection: deps.connection, prefix: deps.prefix });
  queueEvents.on('error', (err) => log.warn({ err }, 'queue events connection error'));

  /**
   * Adds the event's job. One that failed for good earlier (a bug since fixed, an outage past its
   * retries) still holds the id: pushed again by Lark, it is taken again rather than acknowledged and lost.
   */
  async function store(job: LarkEventJob) {
    const id = jobId.larkEvent(job.eventId);
    // One round trip: the read goes out right behind the add, on the same connection. Read before the
    // add, a first push finds nothing and is the job added; read after, it finds its own data.
    const [added, existing] = await Promise.all([queue.add(job.eventType, job, { jobId: id }), Job.fromId<LarkEventJob>(queue, id)]);
    // An id already queued keeps the first push's job, whose data tells it apart; only that one can have failed.
    const stored = existing ?? added;
    const pushedBefore = stored.data.receivedAt !== job.receivedAt;
    if (pushedBefore && (await stored.isFailed())) {
      log.warn({ eventId: job.eventId, eventType: job.eventType }, 'event that had failed pushed again: retrying it');
      await stored.updateData(job); // Redis kept the data of the first push
      await stored.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return { stored, duplicate: false };
    }
    return { stored, duplicate: pushedBefore };
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
      const job: LarkEventJob = { eventId, eventType, receivedAt: Date.now(), payload };
      let stored: Awaited<ReturnType<typeof store>>['stored'];
      try {
        const result = await withTimeout(store(job), STORE_TIMEOUT_MS);
        stored = result.stored;
        received(result.duplicate ? 'duplicate' : 'stored');
        if (result.duplicate) log.info({ eventId, eventType }, 'duplicate event acknowledged');
      } catch (err) {
        received('unavailable');
        log.error({ err: String(err), eventId }, 'could not store event; Lark will push it again');
        throw new IntakeUnavailableError('event store unavailable');
      }
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
