/**
 * The duplicate check before registering a lead: an investor already registered with a similar
 * project name is shown to the sender, who decides whether to register a second one.
 */
import { distance } from 'fastest-levenshtein';
import { matchKey } from './text';

/** Legal-form endings that do not tell two investors apart, possibly stacked (集团有限公司). */
const COMPANY_SUFFIXES = /(?:股份有限公司|有限责任公司|有限公司|股份公司|集团|公司)+$/u;

/** Two names at least this similar (1 − edits ÷ longer length) count as the same project. */
const SIMILAR_RATIO = 0.75;

/** Width-folded, lowercase, with whitespace, punctuation and symbols removed. */
function bareText(text: string): string {
  return matchKey(text).replace(/[\p{P}\p{S}]+/gu, '');
}

/**
 * A key under which the same investor written differently meets itself: "某茶业有限公司",
 * "某茶业公司 " and "某茶业（集团）有限公司" all give "某茶业". Store it beside the investor.
 */
export function investorKey(investor: string): string {
  const bare = bareText(investor);
  // An investor called just "集团公司" keeps its name rather than an empty key.
  return bare.replace(COMPANY_SUFFIXES, '') || bare;
}

/**
 * Whether two project names likely mean the same project: equal once folded, one containing the
 * other ("富硒茶深加工" / "富硒茶深加工项目"), or only a few characters apart.
 */
export function isSimilarProjectName(a: string, b: string): boolean {
  const [x, y] = [bareText(a), bareText(b)];
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  // One character is contained in too many names to mean anything.
  if (shorter.length >= 2 && longer.includes(shorter)) return true;
  return 1 - distance(x, y) / longer.length >= SIMILAR_RATIO;
}

/** The candidates with the draft's investor (by {@link investorKey}) and a similar project name. */
export function findSimilarProjects<T extends { name: string; investor: string }>(draft: { name: string; investor: string }, candidates: readonly T[]): T[] {
  const key = investorKey(draft.investor);
  if (key === '') return [];
  return candidates.filter((c) => investorKey(c.investor) === key && isSimilarProjectName(draft.name, c.name));
}
