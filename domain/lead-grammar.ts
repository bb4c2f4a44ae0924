/**
 * The arguments of `/lead` (`/线索`, `/登记`):
 * `富硒茶深加工 投资方:某茶业有限公司 金额:1.2亿 行业:富硒茶叶 来源:以商招商 负责人:@_user_2`.
 * The free text first is the project name; then `key:value` pairs, where a value runs until the
 * next key and may be quoted.
 */
import type { Catalog } from './catalog';
import { isMentionPlaceholder, type MentionedPerson, readKeyedValues, replaceMentions } from './key-values';
import {
  exampleFor,
  fieldHint,
  type InputProblem,
  isPersonField,
  LEAD_FIELD_NAMES,
  LEAD_FIELDS,
  type LeadField,
  type LeadInput,
  type LeadResult,
  type PersonField,
  type PersonRef,
  validateLead,
} from './lead-draft';

export type { MentionedPerson } from './key-values';
export type { InputProblem, LeadDraft, LeadResult, PersonRef } from './lead-draft';

/** A correct, complete `/lead` line, for help and hints. */
export const LEAD_EXAMPLE = [
  exampleFor('name', 'command'),
  ...(['amount', 'industry', 'channel', 'owner', 'leader', 'note'] as const).map((f) => exampleFor(f, 'command')),
].join(' ');

/** The `/lead` keys and how to write each value, as multi-line Chinese text for /help. */
export const LEAD_KEY_REFERENCE = [
  '/lead 项目名称 项:内容 项:内容 …（项和内容之间用冒号、全角冒号或等号都可以）',
  ...LEAD_FIELD_NAMES.map((field) => {
    const { label, keys, required, about } = LEAD_FIELDS[field];
    return `• ${label}${required ? '（必填）' : ''}：${keys.join(' / ')}。${about}。例：${exampleFor(field, 'command')}`;
  }),
  '项目名称写在最前面，也可以写 名称:…。内容里可以有空格；内容里有“某某:”这样的字样时，请给内容加引号，如 备注:"联系人:王经理"',
  `完整示例：${LEAD_EXAMPLE}`,
].join('\n');

/** People in one owner/leader value are separated by these. */
const PERSON_SEPARATORS = /[\s,，;；、]+/u;

/**
 * Parses the text after `/lead` into a draft, or reports every problem at once: unknown or
 * repeated keys, empty values, unresolved mentions, several people for one role, and whatever
 * {@link validateLead} finds. `mentions` maps Lark placeholders (`@_user_2`) to people.
 */
export function parseLeadArgs(text: string, mentions: ReadonlyMap<string, MentionedPerson>, catalog: Catalog): LeadResult {
  const { head, values, problems } = readKeyedValues(text, LEAD_FIELDS, (field) => fieldHint(field, 'command'));
  const input: LeadInput = {};
  // The free text first is the name; naming it again with a key is a repeat.
  if (head && values.name !== undefined) {
    problems.push({
      field: 'name',
      message: `${LEAD_FIELDS.name.label}写了不止一次`,
      hint: `项目名称写在最前面，或写 ${LEAD_FIELDS.name.keys[0]}:${LEAD_FIELDS.name.example}，只写一次`,
    });
  }
  const written: Partial<Record<LeadField, string>> = head ? { ...values, name: head } : values;
  for (const field of LEAD_FIELD_NAMES) {
    const value = written[field];
    if (value === undefined) continue;
    if (isPersonField(field)) {
      const ref = readPerson(field, value, mentions);
      if ('kind' in ref) input[field] = ref;
      else problems.push(ref);
    } else {
      input[field] = replaceMentions(value, mentions);
    }
  }
  return validateLead(input, catalog, 'command', problems);
}

/** One person from an owner/leader value: a resolved mention or a plain name, else a problem. */
function readPerson(field: PersonField, value: string, mentions: ReadonlyMap<string, MentionedPerson>): PersonRef | InputProblem {
  const { label } = LEAD_FIELDS[field];
  const people = value.split(PERSON_SEPARATORS).filter(Boolean);
  const [person] = people;
  if (people.length !== 1 || person === undefined) {
    return { field, message: `${label}只能填一人，这里写了 ${people.length} 人`, hint: fieldHint(field, 'command') };
  }
  if (!isMentionPlaceholder(person)) return { kind: 'name', name: person.replace(/^[@＠]/u, '') };
  const mentioned = mentions.get(person);
  if (mentioned) return { kind: 'mention', openId: mentioned.openId, name: mentioned.name };
  return {
    field,
    message: `${label}的 @ 没能识别`,
    hint: `请在飞书里重新 @ 对方（从弹出的名单里选），或直接写姓名。例：${LEAD_FIELDS[field].keys[0]}:张三`,
  };
}
