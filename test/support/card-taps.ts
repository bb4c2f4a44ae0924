import type { SentMessage } from '../../sandbox/lark-sandbox';
import type { Harness } from './bot-harness';

/** Taps on the bot's cards as Lark delivers them: buttons by their action, forms opened and submitted. */
export function cardTaps(h: Harness) {
  const buttonValue = (message: SentMessage | undefined, action: string) => {
    const found = valueWithAction(message?.latestContent, action);
    if (!found) throw new Error(`no ${action} button`);
    return found;
  };
  const tap = (operator: string, message: SentMessage, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
    h.sandbox.deliverEvent(h.webhookUrl, h.sandbox.cardActionEvent({ operatorOpenId: operator, messageId: message.messageId, value, formValue }));
  const toastOf = (answer: { body: unknown }) => (answer.body as { toast?: { type: string; content: string } }).toast;

  /**
   * Taps a card's button that opens a form, then submits the form it sends (the latest in that chat
   * for the same thing: opening it twice sends it once); a refused tap is the answer.
   */
  async function submitForm(operator: string, card: SentMessage, opener: string, submitAction: string, formValue: Record<string, unknown>) {
    const { action: _, ...target } = buttonValue(card, opener);
    const isForm = (m: SentMessage) => {
      if (m.chatId !== card.chatId || !JSON.stringify(m.latestContent).includes(`"${submitAction}"`)) return false;
      const submit = buttonValue(m, submitAction);
      return Object.entries(target).every(([key, value]) => submit[key] === value);
    };
    const opened = await tap(operator, card, buttonValue(card, opener));
    if (toastOf(opened)?.type !== 'info') return opened;
    await h.sandbox.waitForMessages(isForm);
    const form = h.sandbox.messages().findLast(isForm)!;
    return tap(operator, form, buttonValue(form, submitAction), formValue);
  }

  return { buttonValue, tap, toastOf, submitForm };
}

/**
 * The first `value` in a card whose action is `action`, wherever it sits: a card that went through
 * PostgreSQL's jsonb (a recorded send) comes back with its keys in another order.
 */
function valueWithAction(node: unknown, action: string): Record<string, string> | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  const value = n.value as Record<string, string> | undefined;
  if (value && typeof value === 'object' && value.action === action) return value;
  for (const child of Object.values(n)) {
    const found = valueWithAction(child, action);
    if (found) return found;
  }
  return undefined;
}
