import type { IsoDate } from '../domain/calendar-date';
import type { DigestItem, DigestRecipient } from '../jobs/reminders';
import { cardMessage } from './cards/card-kit';
import { digestCard } from './cards/pipeline-cards';
import { idempotencyKey, type Outbox } from './outbox';

/** Lark cards stop at 30 KB; past this many items the digest points to /我的 instead. */
const MAX_DIGEST_ITEMS = 20;

/** Sends a morning digest: to the owner directly, or to the project's registering group. */
export function createDigestDelivery(outbox: Outbox) {
  return async (recipient: DigestRecipient, day: IsoDate, items: DigestItem[]): Promise<void> => {
    const shown = items.slice(0, MAX_DIGEST_ITEMS);
    const message = cardMessage(digestCard(day, shown, recipient.kind === 'chat', items.length - shown.length));
    if (recipient.kind === 'user') await outbox.send('open_id', recipient.openId, message, idempotencyKey('digest', recipient.openId, day));
    else await outbox.send('chat_id', recipient.chatId, message, idempotencyKey('digest', recipient.chatId, day));
  };
}
