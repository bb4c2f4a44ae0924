import { chatRecipient, type EscalationMessenger, type Recipient } from '../../jobs/escalations';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox, type Send } from '../../jobs/send/outbox';
import type { Card } from '../common/card-kit';
import { escalationGroupCard, escalationNoticeCard, escalationResolvedCard } from './escalation-cards';

/** A card to a notice recipient (`user-…` or `chat-…`), as a send. */
function sendTo(recipient: Recipient, card: Card, uuid: string, buzz = false): Send {
  const user = recipient.startsWith('user-');
  return { receiveIdType: user ? 'open_id' : 'chat_id', receiveId: recipient.slice(5), message: cardMessage(card), uuid, buzz: buzz && user };
}

/** Sends a card to a notice recipient; the uuid makes a repeated call send nothing new. */
export function sendToRecipient(outbox: Outbox, recipient: Recipient, card: Card, uuid: string) {
  const send = sendTo(recipient, card, uuid);
  return outbox.send(send.receiveIdType, send.receiveId, send.message, send.uuid);
}

export function createEscalationMessenger(outbox: Outbox): EscalationMessenger {
  return {
    notice: ({ episode, project, level, notice, recipient, buzz, blockers }) =>
      sendTo(
        recipient,
        escalationNoticeCard({ project, episode, level, levelIndex: notice.levelIndex, round: notice.round, blockers }),
        idempotencyKey('escalation', String(episode.id), String(notice.levelIndex), String(notice.round), recipient),
        buzz,
      ),
    groupNotice: ({ episode, project, chatId }) =>
      sendTo(chatRecipient(chatId), escalationGroupCard(project, episode), idempotencyKey('escalation-group', String(episode.id), chatId)),
    resolved: ({ episode, project, recipient, by, reason }) =>
      sendToRecipient(
        outbox,
        recipient,
        escalationResolvedCard(project, episode, by, reason),
        idempotencyKey('escalation-resolved', String(episode.id), recipient),
      ),
  };
}
