import { type Job, UnrecoverableError } from 'bullmq';
import type { EventsRepository } from '../db/events-repository';
import { type Logger, withEventId } from './base/logger';
import { metrics } from './base/metrics';
import { CARD_ANSWER_WAIT_MS, type CardCallbackResponse, type EventHandler, type LarkEventJob, larkEventJob } from './queues';
import { idempotencyKey, type Outbox } from './send/outbox';

/**
 * Runs one stored Lark event. Handlers are idempotent (their writes are keyed by the message or
 * form, their sends by uuid), so a retry after a crash repeats no effect; the event is marked
 * processed only once everything it caused is written and queued.
 */
export function createEventProcessor(deps: {
  handlers: Record<LarkEventJob['eventType'], EventHandler>;
  events: EventsRepository;
  outbox: Outbox;
  log: Logger;
}) {
  return async (job: Job): Promise<CardCallbackResponse> => {
    const parsed = larkEventJob.safeParse(job.data);
    if (!parsed.success) {
      metrics.eventsProcessed.inc({ event_type: 'unknown', outcome: 'malformed' });
      throw new UnrecoverableError(`malformed event job ${job.id}: ${parsed.error.message}`);
    }
    const { eventId, eventType, payload, receivedAt } = parsed.data;
    const outcome = (name: 'ok' | 'already_processed' | 'error') => metrics.eventsProcessed.inc({ event_type: eventType, outcome: name });
    if (await deps.events.isProcessed(eventId)) {
      outcome('already_processed');
      return {};
    }

    return await withEventId(eventId, async () => {
      try {
        const answer = (await deps.handlers[eventType](eventId, payload)) ?? {};
        await updateCardIfAnswerWasLate(eventId, payload, receivedAt, answer);
        await deps.events.markProcessed(eventId, eventType);
        outcome('ok');
        deps.log.info({ eventType, attempt: job.attemptsMade + 1 }, 'event processed');
        return answer;
      } catch (err) {
        outcome('error');
        throw err;
      }
    });
  };

  /** The webhook stopped waiting for this answer, so the card is updated through the API instead. */
  async function updateCardIfAnswerWasLate(eventId: string, payload: Record<string, unknown>, receivedAt: number, answer: CardCallbackResponse) {
    const messageId = (payload.context as { open_message_id?: string } | undefined)?.open_message_id;
    if (!answer.card || !messageId || Date.now() - receivedAt < CARD_ANSWER_WAIT_MS) return;
    await deps.outbox.updateCard(messageId, answer.card.data, idempotencyKey(eventId, 'late-card'));
  }
}
