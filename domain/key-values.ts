/**
 * The grammar shared by chat commands: free words first, then `key:value` pairs where a value runs
 * until the next key and may be quoted; Lark @-mention placeholders inside text.
 */
import type { InputProblem } from './lead-draft';
import { closestChoices, matchKey } from './text';

/** A person Lark resolved for a mention placeholder such as `@_user_2`. */
export interface MentionedPerson {
  openId: string;
  name: string;
}

/** One `key:value` pair, the key as written. */
export interface KeyValue {
  key: string;
  value: string;
}

/** A field that `key:value` pairs can fill: its Chinese name and the keys that name it. */
export interface KeyedField {
  label: string;
  /** Accepted keys; the first is the one shown in hints. */
  keys: readonly string[];
}

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

const MENTION_PLACEHOLDER = /@_user_\d+/gu;

interface KeyToken {
  key: string;
  start: number;
  valueStart: number;
}

/** Whether `word` is exactly one Lark mention placeholder (`@_user_2`). */
export function isMentionPlaceholder(word: string): boolean {
  return /^@_user_\d+$/u.test(word);
}

/** `text` with each resolved mention placeholder written as `@name`; unknown ones stay as they are. */
export function replaceMentions(text: string, mentions: ReadonlyMap<string, MentionedPerson>): string {
  return text.replace(MENTION_PLACEHOLDER, (p) => {
    const person = mentions.get(p);
    return person ? `@${person.name}` : p;
  });
}

/**
 * Splits `text` into the free text before the first key (`head`) and the `key:value` pairs after
 * it, in order. Values (and the head) lose surrounding quotes and trailing list punctuation.
 */
export function splitKeyValues(text: string): { head: string; pairs: KeyValue[] } {
  let { value: head, next } = readValue(text, 0);
  const pairs: KeyValue[] = [];
  while (next) {
    const key = next.key;
    let value: string;
    ({ value, next } = readValue(text, next.valueStart));
    pairs.push({ key, value });
  }
  return { head, pairs };
}

/**
 * Reads `text` against `fields`: the head, each field's value, and a problem for every unknown key,
 * repeated key or empty value. `hintFor` says how to write a field, with an example.
 */
export function readKeyedValues<F extends string>(
  text: string,
  fields: Readonly<Record<F, KeyedField>>,
  hintFor: (field: F) => string,
): { head: string; values: Partial<Record<F, string>>; problems: InputProblem[] } {
  const names = Object.keys(fields) as F[];
  const fieldByKey = new Map(names.flatMap((field) => fields[field].keys.map((key) => [matchKey(key), field] as const)));
  const { head, pairs } = splitKeyValues(text);
  const values: Partial<Record<F, string>> = {};
  const seen = new Set<F>();
  const problems: InputProblem[] = [];
  for (const { key, value } of pairs) {
    const field = fieldByKey.get(matchKey(key));
    if (field === undefined) {
      problems.push(
        unknownKeyProblem(
          key,
          [...fieldByKey.keys()],
          names.map((f) => fields[f].keys[0] ?? f),
        ),
      );
    } else if (seen.has(field)) {
      problems.push({ field, message: `${fields[field].label}写了不止一次`, hint: `每项只写一次。${hintFor(field)}` });
    } else {
      seen.add(field);
      if (value) values[field] = value;
      else problems.push({ field, message: `「${key}」后面没有内容`, hint: hintFor(field) });
    }
  }
  return { head, values, problems };
}

/**
 * The first word of `text` and the text after it (trimmed). A word that opens with a quote runs to
 * its closing quote, spaces included; otherwise it stops at whitespace.
 */
export function takeWord(text: string): { word: string; rest: string } {
  const trimmed = text.trim();
  const quoted = quotedAt(trimmed, 0);
  if (quoted) return { word: quoted.inner, rest: trimmed.slice(quoted.end).trim() };
  const end = /\s/u.exec(trimmed)?.index ?? trimmed.length;
  return { word: trimmed.slice(0, end), rest: trimmed.slice(end).trim() };
}

/** The quoted text opening at `from` and the index after its closing quote; undefined if unquoted or unclosed. */
function quotedAt(text: string, from: number): { inner: string; end: number } | undefined {
  const closing = QUOTES[text.charAt(from)];
  const closeAt = closing ? text.indexOf(closing, from + 1) : -1;
  return closeAt > from ? { inner: text.slice(from + 1, closeAt), end: closeAt + 1 } : undefined;
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
  const quoted = quotedAt(text, from);
  const next = findKey(text, quoted?.end ?? from);
  const end = next?.start ?? text.length;
  const raw = quoted ? quoted.inner + text.slice(quoted.end, end) : text.slice(from, end);
  return { value: raw.replace(TRAILING_SEPARATORS, '').trim(), next };
}

function unknownKeyProblem(key: string, acceptedKeys: readonly string[], primaryKeys: readonly string[]): InputProblem {
  const suggestions = closestChoices(
    key,
    acceptedKeys.map((k) => ({ label: k, choice: k })),
  );
  const guess = suggestions.length > 0 ? `是不是「${suggestions.join('」「')}」？` : '';
  return {
    field: 'key',
    message: `不认识「${key}」这一项`,
    hint: `${guess}可用的项：${primaryKeys.join('、')}。内容里有“${key}:”这样的字样时，请给整段内容加引号，如 "${key}:…"`,
    suggestions,
  };
}
