/**
 * Small text helpers shared by the domain parsers: folding the many ways a phone keyboard can
 * write the same thing, and ranking "did you mean" choices.
 */
import { distance } from 'fastest-levenshtein';

/**
 * Folds full-width letters, digits and punctuation to their half-width forms (NFKC), so that
 * `１．２亿`, `８，０００` and `：` read like `1.2亿`, `8,000` and `:`.
 */
export function foldWidth(text: string): string {
  return text.normalize('NFKC');
}

/**
 * Text from outside without NUL characters: nobody types one, some clients send one, and
 * PostgreSQL's text and jsonb cannot store it (SQLite can), so it would fail a write on one
 * database only.
 */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/** A form of `text` for equality tests: width-folded, lowercase, with no whitespace at all. */
export function matchKey(text: string): string {
  return foldWidth(text).toLowerCase().replace(/\s+/gu, '');
}

/** One way of writing a choice (a name, an alias or a code) and the choice it stands for. */
export interface ChoiceLabel {
  label: string;
  choice: string;
}

/**
 * Up to `limit` distinct choices whose labels look like `input`: first labels that contain the
 * input or are contained in it, then labels a few edits away. Labels with nothing in common are
 * left out, since suggesting them only adds noise to the list of valid choices shown beside them.
 */
export function closestChoices(input: string, labels: readonly ChoiceLabel[], limit = 3): string[] {
  const wanted = matchKey(input);
  if (wanted === '') return [];
  const ranked = labels
    .map(({ label, choice }, order) => {
      const candidate = matchKey(label);
      const contained = candidate.includes(wanted) || wanted.includes(candidate);
      return { choice, order, contained, edits: distance(wanted, candidate), candidate };
    })
    .filter((r) => r.contained || looksAlike(wanted, r.candidate, r.edits))
    .sort((a, b) => Number(b.contained) - Number(a.contained) || a.edits - b.edits || a.order - b.order);
  return [...new Set(ranked.map((r) => r.choice))].slice(0, limit);
}

/** Near enough to be a typo: at most half the characters edited, or most characters shared. */
function looksAlike(a: string, b: string, edits: number): boolean {
  if (edits * 2 <= Math.max(a.length, b.length)) return true;
  const bChars = new Set(b);
  const aChars = [...new Set(a)];
  return aChars.filter((c) => bChars.has(c)).length * 2 > aChars.length;
}
