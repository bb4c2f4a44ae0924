import type { Logger } from '../../jobs/base/logger';
import type { CardCallbackResponse } from '../../jobs/queues';
import { type CardActionHandler, CardActionRefused, type CardActionTable, cardActionEvent, toast } from '../common/card-action';

/**
 * card.action.trigger: a button's `value` names the action and an id, nothing more trusted than
 * that. Each handler re-reads the state it refers to and checks that the operator may act on it.
 * Whatever a callback carries, it is answered within Lark's 3 s with a toast: a malformed one, an
 * unknown action or a handler's failure change nothing and are not retried (the person taps again).
 */
export function createCardActionHandler(deps: { actions: CardActionTable; log: Logger }) {
  // A Map: a plain object would find `constructor` or `hasOwnProperty` for a forged action name.
  const handlers = new Map<string, CardActionHandler>(Object.entries(deps.actions));
  return async (eventId: string, payload: Record<string, unknown>): Promise<CardCallbackResponse> => {
    const parsed = cardActionEvent.safeParse(payload);
    if (!parsed.success) {
      deps.log.warn({ eventId, issues: parsed.error.issues.slice(0, 5) }, 'malformed card action ignored');
      return toast('error', '无法识别的操作');
    }
    const handler = handlers.get(parsed.data.action.value.action ?? '');
    if (!handler) return toast('error', '这张卡片已过期，请重新发送命令');
    if (parsed.data.action.form_value !== undefined && !parsed.data.action.value.form) return toast('error', '这份表单已失效，请重新打开');
    try {
      return await handler(parsed.data);
    } catch (err) {
      if (err instanceof CardActionRefused) return toast('error', err.message);
      deps.log.error({ eventId, err }, 'card action failed');
      return toast('error', '操作没有成功，请稍后再试');
    }
  };
}
