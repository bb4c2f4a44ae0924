import type { PickerPeople } from '../../domain/pickers';

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

/**
 * Lark's escapes for literal characters in card markdown: HTML entities, as the 2.0 markdown
 * component's 特殊字符转义说明 lists them
 * (https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text).
 * Lark documents no backslash escapes. `&` and `|` are not in that table; by its rule (`&#实体编号;`)
 * they get their numeric entities, so typed text such as `&copy;` or a table row stays literal.
 */
const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = {
  '<': '&#60;',
  '>': '&#62;',
  '~': '&sim;',
  '-': '&#45;',
  '!': '&#33;',
  '*': '&#42;',
  '/': '&#47;',
  '\\': '&#92;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  ':': '&#58;',
  '+': '&#43;',
  '"': '&#34;',
  "'": '&#39;',
  '`': '&#96;',
  $: '&#36;',
  _: '&#95;',
  '&': '&#38;',
  '|': '&#124;',
};
const MARKDOWN_SPECIAL = new RegExp(
  `[${Object.keys(MARKDOWN_ENTITIES)
    .map((c) => `\\${c}`)
    .join('')}]`,
  'g',
);

/**
 * User-typed text as literal card markdown: every special character as its entity, and no indent at
 * the start of a line (four spaces would open a code block).
 */
export function md(text: string): string {
  return text.replace(/^[ \t]+/gm, '').replace(MARKDOWN_SPECIAL, (c) => MARKDOWN_ENTITIES[c]!);
}

/** User text cut to `max` characters for a summary line, the cut marked; the full text is elsewhere. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Lark refuses a card over 30 KB (230025). Lines of varying length (notes, names, lists) fill at
 * most this much of a card, which leaves the header, buttons and fixed text their room.
 */
export const LINES_BUDGET_BYTES = 24 * 1024;

/** What a line of markdown adds to a card's JSON (escapes included, and its newline). */
const lineBytes = (line: string) => Buffer.byteLength(JSON.stringify(line), 'utf8');

/** The first lines that fit in `budgetBytes`, and how many did not. */
export function fitLines(lines: readonly string[], budgetBytes = LINES_BUDGET_BYTES): { shown: string[]; left: number } {
  let used = 0;
  const shown: string[] = [];
  for (const line of lines) {
    used += lineBytes(line);
    if (used > budgetBytes) break;
    shown.push(line);
  }
  return { shown, left: lines.length - shown.length };
}

/** Lines in pages of at most `budgetBytes` each, in order; a line is never split (it always fits one page). */
export function pagesOf(lines: readonly string[], budgetBytes = LINES_BUDGET_BYTES): string[][] {
  const pages: string[][] = [];
  let rest = lines;
  while (rest.length > 0) {
    const { shown } = fitLines(rest, budgetBytes);
    const page = shown.length > 0 ? shown : rest.slice(0, 1);
    pages.push(page);
    rest = rest.slice(page.length);
  }
  return pages;
}

/** A list with the count of what it leaves out. */
export function withMore(lines: string[], left: number, what: string): string[] {
  return left > 0 ? [...lines, `…另有 ${left} ${what}`] : lines;
}

/** Form inputs. Lark submits a form's values keyed by each input's `name`. */
export const formInput = (name: string, label: string, placeholder: string, required = false): CardElement => ({
  tag: 'input',
  name,
  required,
  label: plain(label),
  label_position: 'left',
  placeholder: plain(placeholder),
});

export const formSelect = (name: string, placeholder: string, options: { text: string; value: string }[], initial?: string): CardElement => ({
  tag: 'select_static',
  name,
  placeholder: plain(placeholder),
  ...(initial ? { initial_option: initial } : {}),
  options: options.map((o) => ({ text: plain(o.text), value: o.value })),
});

/**
 * A person picker offering `people` (Lark would otherwise offer the chat's members: in a direct
 * chat, the reader alone). `multiple` picks several; Lark allows that only inside a form.
 */
export const formPerson = (name: string, placeholder: string, people: PickerPeople, multiple = false): CardElement => ({
  tag: multiple ? 'multi_select_person' : 'select_person',
  name,
  placeholder: plain(placeholder),
  ...(people.openIds.length > 0 ? { options: people.openIds.map((value) => ({ value })) } : {}),
});

/** Said under a picker that could not list everyone. */
export const pickerLeftNote = (people: PickerPeople, whom: string): CardElement[] =>
  people.left > 0 ? [markdown(`<font color="grey">名单较长，只列出最相关的 ${people.openIds.length} 人；另有 ${people.left} 位${whom}未列出。</font>`)] : [];

/** A date picker; Lark submits its value as `YYYY-MM-DD` (sometimes with an offset after it). */
export const formDate = (name: string, placeholder: string, initial?: string): CardElement => ({
  tag: 'date_picker',
  name,
  placeholder: plain(placeholder),
  ...(initial ? { initial_date: initial } : {}),
});

/** The form around inputs, ending with a submit button whose callback value names the action. */
export function form(name: string, elements: CardElement[], submitText: string, value: Record<string, string>): CardElement {
  return {
    tag: 'form',
    name,
    elements: [
      ...elements,
      { tag: 'button', name: 'submit', text: plain(submitText), type: 'primary', form_action_type: 'submit', behaviors: [{ type: 'callback', value }] },
    ],
  };
}
