/**
 * Small builders for Lark card JSON 2.0, so card files read as layouts rather than JSON plumbing.
 * Cards are sent with `update_multi` so that the bot can later replace them in place.
 */

export type CardTemplate = 'blue' | 'green' | 'orange' | 'red' | 'grey' | 'turquoise';
export type CardElement = Record<string, unknown>;

export interface Card {
  schema: '2.0';
  config: { update_multi: true; summary?: { content: string } };
  header: { title: { tag: 'plain_text'; content: string }; template: CardTemplate };
  body: { elements: CardElement[] };
}

/** What a card callback answers Lark with: a toast, and the card that replaces the clicked one. */
export interface CardCallbackResponse {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Card };
}

export function card(title: string, template: CardTemplate, elements: CardElement[]): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template },
    body: { elements },
  };
}

export const plain = (content: string) => ({ tag: 'plain_text', content });

export const markdown = (content: string): CardElement => ({ tag: 'markdown', content });

export const hr = (): CardElement => ({ tag: 'hr' });

/** A person as Lark renders them: their live name, whatever the roster says. */
export const mention = (openId: string) => `<at id=${openId}></at>`;

/** A callback button. Its value only names the action and an id: the handler re-checks everything. */
export function button(text: string, value: Record<string, string>, type: 'primary' | 'default' | 'danger' = 'default'): CardElement {
  return { tag: 'button', text: plain(text), type, behaviors: [{ type: 'callback', value }] };
}

export function buttonRow(buttons: CardElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** Escapes what Lark markdown would otherwise interpret in user-typed text. */
export function md(text: string): string {
  return text.replace(/[\\*_~`[\]<>#|]/g, (c) => `\\${c}`);
}

export const textMessage = (text: string) => ({ msgType: 'text' as const, content: { text } });
export const cardMessage = (c: Card) => ({ msgType: 'interactive' as const, content: c as unknown as Record<string, unknown> });
export type OutgoingMessage = ReturnType<typeof textMessage> | ReturnType<typeof cardMessage>;
