import type { IsoDate } from '../../domain/calendar-date';
import type { DigestItem, DigestRecipient } from '../../jobs/reminders';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type RecordedSender, type Send } from '../../jobs/send/outbox';
import { DIGEST_ITEMS_PER_CARD, digestCard } from './pipeline-cards';

/**
 * A morning brings one person or group at most this many digest cards (each a full card of items
 * with buttons); past them the last card counts the rest and says where to see them.
 */
const MAX_DIGEST_CARDS = 3;
/** The most items one morning's digest names; the rest are counted. */
export const DIGEST_ITEMS_SHOWN = MAX_DIGEST_CARDS * DIGEST_ITEMS_PER_CARD;

/**
 * Sends a morning digest, to the owner directly or to the project's registering group, in parts
 * when long: recorded with `decide` (the digest marked delivered) before anything is queued.
 */
export function createDigestDelivery(sender: RecordedSender) {
  return async (recipient: DigestRecipient, day: IsoDate, items: DigestItem[], unlisted: number, source: string, decide: () => void): Promise<void> => {
    const parts: DigestItem[][] = [];
    for (let i = 0; i < items.length && parts.length < MAX_DIGEST_CARDS; i += DIGEST_ITEMS_PER_CARD) parts.push(items.slice(i, i + DIGEST_ITEMS_PER_CARD));
    const notShown = items.length - parts.flat().length + unlisted;
    const [receiveIdType, receiveId] = recipient.kind === 'user' ? (['open_id', recipient.openId] as const) : (['chat_id', recipient.chatId] as const);
    const sends = parts.map(
      (part, index): Send => ({
        receiveIdType,
        receiveId,
        message: cardMessage(
          digestCard(day, part, recipient.kind === 'chat', { index, count: parts.length, notShown: index === parts.length - 1 ? notShown : 0 }),
        ),
        // The first part keeps the uuid a one-card digest always had.
        uuid: index === 0 ? idempotencyKey('digest', receiveId, day) : idempotencyKey('digest', receiveId, day, String(index)),
      }),
    );
    await sender.send(source, sends, decide);
  };
}
