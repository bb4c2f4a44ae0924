import { z } from 'zod';
import type { InputProblem } from '../../domain/lead-draft';
import { cardMessage, type Card, type CardCallbackResponse } from '../cards/card-kit';
import { idempotencyKey, type Outbox } from '../outbox';

export const cardActionEvent = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).catch({}),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).default({}),
});
export type CardAction = z.infer<typeof cardActionEvent>;

export type CardActionHandler = (action: CardAction) => Promise<CardCallbackResponse>;
/** Button and form actions by the name in their callback value (`lead.submit`, `milestone.done`…). */
export type CardActionTable = Record<string, CardActionHandler>;

export const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardCallbackResponse => ({ toast: { type, content } });

/** A toast is one short line: the problems, each with how to fix it. */
export const problemsToast = (problems: InputProblem[]) => toast('error', problems.map((p) => `${p.message}：${p.hint}`).join('；'));

/**
 * A button that needs more input sends a form as a new message in the same chat, so the card it
 * sits on (a digest, a notice) keeps its other buttons. The form id makes a double tap one form.
 */
export async function sendFormToChat(outbox: Outbox, a: CardAction, formCard: (formId: string) => Card): Promise<CardCallbackResponse> {
  const chatId = a.context.open_chat_id;
  if (!chatId) return toast('error', '无法确定所在会话');
  const formId = idempotencyKey('form', a.context.open_message_id ?? '', JSON.stringify(a.action.value), a.operator.open_id).slice(0, 24);
  await outbox.send('chat_id', chatId, cardMessage(formCard(formId)), idempotencyKey('form-message', formId));
  return toast('info', '已发送表单');
}
