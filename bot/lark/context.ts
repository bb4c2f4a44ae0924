import type { Person } from '../../db/people-repository';
import type { MentionedPerson } from '../../domain/lead-grammar';
import type { Logger } from '../../jobs/base/logger';
import type { OutgoingMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';

/** Everything a command handler needs about the message it answers; built once per event. */
export interface MessageContext {
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'group' | 'p2p';
  sender: Person;
  /** `@_user_N` placeholders of the people mentioned, the bot itself left out. */
  mentions: ReadonlyMap<string, MentionedPerson>;
  log: Logger;
  /**
   * Replies in the message's thread. `purpose` tells apart several replies to one message; the
   * same event and purpose always give the same Lark uuid, so a retried handler replies once.
   */
  reply(message: OutgoingMessage, purpose?: string): Promise<void>;
}

export function createMessageContext(fields: Omit<MessageContext, 'reply'>, outbox: Outbox): MessageContext {
  return {
    ...fields,
    reply: (message, purpose = 'reply') =>
      outbox.reply(
        { messageId: fields.messageId, chatId: fields.chatId, p2pOpenId: fields.chatType === 'p2p' ? fields.sender.openId : undefined },
        message,
        idempotencyKey(fields.eventId, purpose),
      ),
  };
}
