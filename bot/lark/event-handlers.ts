import type { CardCallbackResponse, EventHandler, LarkEventJob } from '../../jobs/queues';

/** The one table that maps Lark event types to handlers: read it to follow any event inward. */
export function eventHandlers(handlers: {
  onMessage: (eventId: string, payload: Record<string, unknown>) => Promise<void>;
  onCardAction: (eventId: string, payload: Record<string, unknown>) => Promise<CardCallbackResponse>;
  onBotRemoved: (eventId: string, payload: Record<string, unknown>) => Promise<void>;
}): Record<LarkEventJob['eventType'], EventHandler> {
  return {
    'im.message.receive_v1': handlers.onMessage,
    'card.action.trigger': handlers.onCardAction,
    'im.chat.member.bot.deleted_v1': handlers.onBotRemoved,
  };
}
