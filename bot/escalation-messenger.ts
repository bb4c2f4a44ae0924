import type { EscalationMessenger, Recipient } from '../jobs/escalations';
import { cardMessage, type Card } from './cards/card-kit';
import { escalationNoticeCard, escalationResolvedCard } from './cards/escalation-cards';
import { idempotencyKey, type Outbox } from './outbox';

/** Sends a card to a notice recipient (`user-…` or `chat-…`); the uuid makes a repeated scan send nothing new. */
export function sendToRecipient(outbox: Outbox, recipient: Recipient, card: Card, uuid: string, options: { buzz?: boolean } = {}) {
  const [kind, id] = [recipient.slice(0, 5), recipient.slice(5)];
  return kind === 'user-'
    ? outbox.send('open_id', id, cardMessage(card), uuid, options)
    : outbox.send('chat_id', id, cardMessage(card), uuid);
}

export function createEscalationMessenger(outbox: Outbox): EscalationMessenger {
  return {
    notice: ({ episode, project, level, notice, recipient, buzz }) =>
      sendToRecipient(
        outbox,
        recipient,
        escalationNoticeCard({ project, episode, level, levelIndex: notice.levelIndex, round: notice.round }),
        idempotencyKey('escalation', String(episode.id), String(notice.levelIndex), String(notice.round), recipient),
        { buzz },
      ),
    resolved: ({ episode, project, recipient, by, reason }) =>
      sendToRecipient(outbox, recipient, escalationResolvedCard(project, by, reason), idempotencyKey('escalation-resolved', String(episode.id), recipient)),
  };
}
