/** Splitting a chat message into a slash command and its arguments. */
import { foldWidth } from './text';

/** A command word (ASCII lowercased, e.g. `lead` or `线索`) and the trimmed text after it. */
export interface CommandLine {
  word: string;
  rest: string;
}

/**
 * `/word rest` or `／word rest`, after optional leading whitespace (full-width included), → the
 * word and the rest; anything else → null. The caller has already removed the bot's @-mention.
 * An ASCII word stops at the first character that is not a letter, digit, `_` or `-`, so
 * `/lead富硒茶` still reads as `lead`; a Chinese word stops at whitespace.
 */
export function parseCommandLine(text: string): CommandLine | null {
  const match = /^\s*[/／](\S+)(.*)$/su.exec(text);
  if (!match?.[1]) return null;
  const token = match[1];
  // Full-width letters count as ASCII: a phone keyboard in Chinese mode types ｌｅａｄ.
  const word = /^[A-Za-z0-9_\-Ａ-Ｚａ-ｚ０-９＿－]+/u.exec(token)?.[0] ?? token;
  const rest = token.slice(word.length) + (match[2] ?? '');
  return { word: foldWidth(word).toLowerCase(), rest: rest.trim() };
}
