import { z } from 'zod';
import type { IsoDate } from '../../domain/calendar-date';
import type { InputProblem } from '../../domain/lead-draft';
import { withoutNul } from '../../domain/text';
import { parseUserDate } from '../../domain/user-date';
import type { CardCallbackResponse } from '../../jobs/queues';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import { type Card, card, markdown, md } from './card-kit';

/**
 * A card callback as the bot reads it. The bot's buttons carry only short strings in their value,
 * and its forms only text, dates and person ids: anything else did not come from its cards.
 */
export const cardActionEvent = z.object({
  operator: z.object({ open_id: z.string().min(1).max(100) }),
  action: z.object({
    value: z.record(z.string().max(50), z.string().max(200)).default({}),
    form_value: z.record(z.string().max(50), z.union([z.string().max(10_000).transform(withoutNul), z.array(z.string().max(100)).max(200)])).optional(),
  }),
  context: z.object({ open_message_id: z.string().max(100).optional(), open_chat_id: z.string().max(100).optional() }).default({}),
});
export type CardAction = z.infer<typeof cardActionEvent>;

export type CardActionHandler = (action: CardAction) => Promise<CardCallbackResponse>;
/** Button and form actions by the name in their callback value (`lead.submit`, `milestone.done`…). */
export type CardActionTable = Record<string, CardActionHandler>;

/** A form input's value as text: Lark gives strings, and arrays for pickers (the first is taken). */
export function formText(a: CardAction, key: string): string {
  const v = Object.hasOwn(a.action.form_value ?? {}, key) ? a.action.form_value![key] : undefined;
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/** A card action refused for what it carries; the person is told `message` and nothing changes. */
export class CardActionRefused extends Error {}

/** A form's date: Lark sends `2027-03-01` or `2027-03-01 +0800`; typed text is read like chat. */
export function formDate(a: CardAction, key: string, today: IsoDate): IsoDate | undefined {
  const raw = formText(a, key);
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(raw)?.[0];
  if (iso) return iso;
  const parsed = parseUserDate(raw, today);
  return parsed.ok ? parsed.date : undefined;
}

/**
 * A form's identity (its `form` value): a second submit of the same form is the same request. A
 * submit without one did not come from the bot's form, and would collide with every other such.
 */
export function formSourceKey(a: CardAction, suffix = ''): string {
  const id = a.action.value.form;
  if (!id) throw new CardActionRefused('这份表单已失效，请重新打开');
  return `form-${id}${suffix}`;
}

/**
 * A submitted form's answer: its card turns into the confirmation, so it is not submitted again by
 * mistake. `text` is plain (toast and title); `details` is card markdown, the text itself by default.
 */
export const confirmed = (text: string, details = md(text)): CardCallbackResponse => ({
  ...toast('success', text),
  card: { type: 'raw', data: card(`✅ ${text}`, 'green', [markdown(details)]) },
});

export const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardCallbackResponse => ({ toast: { type, content } });

/** A toast is one short line: the problems, each with how to fix it. */
export const problemsToast = (problems: InputProblem[]) => toast('error', problems.map((p) => `${p.message}：${p.hint}`).join('；'));

/**
 * A button that needs more input sends a form as a new message in the same chat, so the card it
 * sits on (a digest, a notice) keeps its other buttons. The form id makes a double tap one form.
 */
export async function sendFormToChat(outbox: Outbox, a: CardAction, formCard: (formId: string) => Card | Promise<Card>): Promise<CardCallbackResponse> {
  const chatId = a.context.open_chat_id;
  if (!chatId) return toast('error', '无法确定所在会话');
  const formId = idempotencyKey('form', a.context.open_message_id ?? '', JSON.stringify(a.action.value), a.operator.open_id).slice(0, 24);
  await outbox.send('chat_id', chatId, cardMessage(await formCard(formId)), idempotencyKey('form-message', formId));
  return toast('info', '已发送表单');
}
