import { z } from 'zod';
import type { InputProblem } from '../../domain/lead-draft';
import type { CardCallbackResponse } from '../cards/card-kit';

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
