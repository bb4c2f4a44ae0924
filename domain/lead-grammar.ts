/**
 * The arguments of `/lead` (`/线索`, `/登记`):
 * `富硒茶深加工 投资方:某茶业有限公司 金额:1.2亿 行业:富硒茶叶 来源:以商招商 负责人:@_user_2`.
 * The free text first is the project name; then `key:value` pairs, where a value runs until the
 * next key and may be quoted.
 */
import type { Catalog } from './catalog';
import {
  LEAD_FIELDS,
  LEAD_FIELD_NAMES,
  exampleFor,
  fieldHint,
  isPersonField,
  validateLead,
  type InputProblem,
  type LeadField,
  type LeadInput,
  type LeadResult,
  type PersonField,
  type PersonRef,
} from './lead-draft';
import { closestChoices, matchKey } from './text';

export type { InputProblem, LeadDraft, LeadResult, PersonRef } from './lead-draft';

/** A person Lark resolved for a mention placeholder such as `@_user_2`. */
export interface MentionedPerson {
  openId: string;
  name: string;
}

/** A correct, complete `/lead` line, for help and hints. */
export const LEAD_EXAMPLE = [
  exampleFor('name', 'command'),
  ...(['amount', 'industry', 'channel', 'owner', 'leader', 'note'] as const).map((f) => exampleFor(f, 'command')),
].join(' ');

/** The primary key of every field, as listed in hints. */
const PRIMARY_KEYS = LEAD_FIELD_NAMES.map((field) => LEAD_FIELDS[field].keys[0]);

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

/** Every accepted key, as {@link matchKey} folds it, → its field. */
const FIELD_BY_KEY: ReadonlyMap<string, LeadField> = new Map(
  LEAD_FIELD_NAMES.flatMap((field) => LEAD_FIELDS[field].keys.map((key) => [matchKey(key), field] as const)),
);

/**
 * A key token: 1–10 letters (so `3:00` and whole sentences are not keys), a separator, and any
 * spaces after it. `https://` is a link, not a key.
 */
const KEY_TOKEN = /(\p{L}{1,10})\s*[:：=＝](?!\/\/)\s*/uy;

/** A key only counts after whitespace, list punctuation or a closing quote (投资方：某公司，金额：5000万). */
const BEFORE_KEY = /[\s,，;；、"”'’」』]/u;

/** List punctuation left at the end of a value by "投资方：某公司，金额：…". */
const TRAILING_SEPARATORS = /[\s,，;；、]+$/u;

/** Opening quote → closing quote. */
const QUOTES: Readonly<Record<string, string>> = { '"': '"', '“': '”', "'": "'", '‘': '’', '「': '」', '『': '』' };

/** People in one owner/leader value are separated by these. */
const PERSON_SEPARATORS = /[\s,，;；、]+/u;

const MENTION_PLACEHOLDER = /@_user_\d+/gu;

interface KeyToken {
  key: string;
  start: number;
  valueStart: number;
}

/**
 * Parses the text after `/lead` into a draft, or reports every problem at once: unknown or
 * repeated keys, empty values, unresolved mentions, several people for one role, and whatever
 * {@link validateLead} finds. `mentions` maps Lark placeholders (`@_user_2`) to people.
 */
export function parseLeadArgs(
  text: string,
  mentions: ReadonlyMap<string, MentionedPerson>,
  catalog: Catalog,
): LeadResult {
  const problems: InputProblem[] = [];
  const input: LeadInput = {};
  const given = new Set<LeadField>();

  const take = (field: LeadField, value: string) => {
    if (isPersonField(field)) {
      const ref = readPerson(field, value, mentions);
      if ('kind' in ref) input[field] = ref;
      else problems.push(ref);
    } else {
      input[field] = value.replace(MENTION_PLACEHOLDER, (p) => {
        const person = mentions.get(p);
        return person ? `@${person.name}` : p;
      });
    }
  };

  let { value, next } = readValue(text, 0);
  if (value) {
    given.add('name');
    take('name', value);
  }
  while (next) {
    const key = next.key;
    ({ value, next } = readValue(text, next.valueStart));
    const field = FIELD_BY_KEY.get(matchKey(key));
    if (!field) {
      problems.push(unknownKeyProblem(key));
    } else if (given.has(field)) {
      problems.push(repeatedProblem(field));
    } else {
      given.add(field);
      if (value) take(field, value);
      else problems.push({ field, message: `「${key}」后面没有内容`, hint: fieldHint(field, 'command') });
    }
  }
  return validateLead(input, catalog, 'command', problems);
}

/** The first key token at or after `from`. */
function findKey(text: string, from: number): KeyToken | undefined {
  for (let i = from; i < text.length; i++) {
    if (i > 0 && !BEFORE_KEY.test(text.charAt(i - 1))) continue;
    KEY_TOKEN.lastIndex = i;
    const match = KEY_TOKEN.exec(text);
    if (match?.[1]) return { key: match[1], start: i, valueStart: i + match[0].length };
  }
  return undefined;
}

/**
 * The value starting at `start`, running to the next key. A value that opens with a quote runs
 * to its closing quote whatever it contains; text between that quote and the next key is kept.
 */
function readValue(text: string, start: number): { value: string; next: KeyToken | undefined } {
  const from = start + (/^\s*/u.exec(text.slice(start))?.[0].length ?? 0);
  const closing = QUOTES[text.charAt(from)];
  const closeAt = closing ? text.indexOf(closing, from + 1) : -1;
  const quoted = closeAt > from;
  const next = findKey(text, quoted ? closeAt + 1 : from);
  const end = next?.start ?? text.length;
  const raw = quoted ? text.slice(from + 1, closeAt) + text.slice(closeAt + 1, end) : text.slice(from, end);
  return { value: raw.replace(TRAILING_SEPARATORS, '').trim(), next };
}

/** One person from an owner/leader value: a resolved mention or a plain name, else a problem. */
function readPerson(
  field: PersonField,
  value: string,
  mentions: ReadonlyMap<string, MentionedPerson>,
): PersonRef | InputProblem {
  const { label } = LEAD_FIELDS[field];
  const people = value.split(PERSON_SEPARATORS).filter(Boolean);
  const [person] = people;
  if (people.length !== 1 || person === undefined) {
    return { field, message: `${label}只能填一人，这里写了 ${people.length} 人`, hint: fieldHint(field, 'command') };
  }
  if (!/^@_user_\d+$/u.test(person)) return { kind: 'name', name: person.replace(/^[@＠]/u, '') };
  const mentioned = mentions.get(person);
  if (mentioned) return { kind: 'mention', openId: mentioned.openId, name: mentioned.name };
  return {
    field,
    message: `${label}的 @ 没能识别`,
    hint: `请在飞书里重新 @ 对方（从弹出的名单里选），或直接写姓名。例：${LEAD_FIELDS[field].keys[0]}:张三`,
  };
}

function unknownKeyProblem(key: string): InputProblem {
  const labels = [...FIELD_BY_KEY.keys()].map((k) => ({ label: k, choice: k }));
  const suggestions = closestChoices(key, labels);
  const guess = suggestions.length > 0 ? `是不是「${suggestions.join('」「')}」？` : '';
  return {
    field: 'key',
    message: `不认识「${key}」这一项`,
    hint: `${guess}可用的项：${PRIMARY_KEYS.join('、')}。内容里有“${key}:”这样的字样时，请给内容加引号，如 备注:"${key}:…"`,
    suggestions,
  };
}

function repeatedProblem(field: LeadField): InputProblem {
  return {
    field,
    message: `${LEAD_FIELDS[field].label}写了不止一次`,
    hint: `每项只写一次。例：${exampleFor(field, 'command')}`,
  };
}
