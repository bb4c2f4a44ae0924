import type { LarkEventJob } from '../jobs/queues';
import type { CardCallbackResponse } from './cards/card-kit';

// biome-ignore lint/suspicious/noConfusingVoidType: a message handler answers nothing; a card action's handler answers the callback.
export type EventHandler = (eventId: string, payload: Record<string, unknown>) => Promise<CardCallbackResponse | void>;

/** The one table that maps Lark event types to handlers: read it to follow any event inward. */
export function eventHandlers(handlers: {
  onMessage: (eventId: string, payload: Record<string, unknown>) => Promise<void>;
  onCardAction: (eventId: string, payload: Record<string, unknown>) => Promise<CardCallbackResponse>;
}): Record<LarkEventJob['eventType'], EventHandler> {
  return {
    'im.message.receive_v1': handlers.onMessage,
    'card.action.trigger': handlers.onCardAction,
  };
}
