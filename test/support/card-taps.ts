import type { SentMessage } from '../../sandbox/lark-sandbox';
import type { Harness } from './bot-harness';

/** Taps on the bot's cards as Lark delivers them: buttons by their action, forms opened and submitted. */
export function cardTaps(h: Harness) {
  const buttonValue = (message: SentMessage | undefined, action: string) => {
    const found = new RegExp(`"value":(\\{"action":"${action.replaceAll('.', '\\.')}"[^}]*\\})`).exec(JSON.stringify(message?.latestContent));
    if (!found) throw new Error(`no ${action} button`);
    return JSON.parse(found[1]!) as Record<string, string>;
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
