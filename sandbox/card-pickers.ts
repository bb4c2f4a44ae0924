/**
 * What a card's inputs let a user choose, so the sandbox builds only submissions a person could
 * make in Lark. The person pickers' rule: "当 options 数组为空，或 value 的值全部无效时，候选项展示为卡片
 * 所在会话中所有成员选项" (single- and multi-select user picker pages, card JSON 2.0): without valid
 * options, a picker offers the members of the chat the card is in; in a direct chat with the bot
 * that is the user alone.
 */

export interface PickerContext {
  /** The people in the chat the card is in (the user alone in a direct chat). */
  chatMembers: readonly string[];
  isUser(openId: string): boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The input named `name` in a card, wherever it sits. */
function findInput(card: unknown, name: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const item of card) {
      const found = findInput(item, name);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(card)) return undefined;
  if (card.name === name && typeof card.tag === 'string' && card.tag !== 'form') return card;
  for (const value of Object.values(card)) {
    const found = findInput(value, name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The values the input named `name` offers: option values for selects, open_ids for person
 * pickers; undefined for inputs that take free text or a date. An empty list when the card has
 * no such input: nothing can be submitted under that name.
 */
export function offeredChoices(card: unknown, name: string, context: PickerContext): string[] | undefined {
  const input = findInput(card, name);
  if (input === undefined) return [];
  const options = Array.isArray(input.options) ? input.options.filter(isRecord).map((o) => String(o.value)) : [];
  switch (input.tag) {
    case 'select_static':
    case 'multi_select_static':
      return options;
    case 'select_person':
    case 'multi_select_person': {
      const valid = options.filter((openId) => context.isUser(openId));
      return valid.length > 0 ? valid : [...context.chatMembers];
    }
    default:
      return undefined;
  }
}
