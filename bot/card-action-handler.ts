import type { CardCallbackResponse } from './cards/card-kit';
import { cardActionEvent, toast, type CardActionTable } from './card-actions/card-action';
import type { Logger } from './logger';

/**
 * card.action.trigger: a button's `value` names the action and an id, nothing more trusted than
 * that. Each handler re-reads the state it refers to and checks that the operator may act on it.
 */
export function createCardActionHandler(deps: { actions: CardActionTable; log: Logger }) {
  return async (eventId: string, payload: Record<string, unknown>): Promise<CardCallbackResponse> => {
    const parsed = cardActionEvent.safeParse(payload);
    if (!parsed.success) {
      deps.log.warn({ eventId, issues: parsed.error.issues }, 'malformed card action ignored');
      return toast('error', '无法识别的操作');
    }
    const handler = deps.actions[String(parsed.data.action.value.action ?? '')];
    if (!handler) return toast('error', '这张卡片已过期，请重新发送命令');
    return handler(parsed.data);
  };
}
