/**
 * Planned investment (计划投资额) as officials write it: 5000万, 1.2亿, ￥8，000, 5000000元…
 * The code stores it in 万元 (10,000 CNY).
 */
import { foldWidth } from './text';

/** Result of {@link parseAmountWan}: the amount in 万元, or a Chinese sentence saying what is wrong. */
export type AmountResult = { ok: true; wan: number } | { ok: false; problem: string };

/** Above 1 万亿元 (1e8 万元) an amount is a wrong unit or a typo, not a county project. */
const MAX_WAN = 1e8;

/** Power of ten that turns an amount in each unit into 万元; no unit means 万元. */
const UNIT_EXPONENT: Readonly<Record<string, number>> = {
  '': 0,
  万: 0,
  万元: 0,
  十万: 1,
  十万元: 1,
  百万: 2,
  百万元: 2,
  千万: 3,
  千万元: 3,
  亿: 4,
  亿元: 4,
  元: -4,
};

/** A signed decimal with optional 3-digit grouping, then a unit. Grouping must be exact, so `1,2` is refused. */
const AMOUNT_PATTERN = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(.*)$/u;

/**
 * Parses a planned-investment amount into 万元.
 * Accepts `5000万`, `5000万元`, `1.2亿(元)`, `5千万`, `8,000`, `8，000`, `5000` (万元), `500元`,
 * a ¥/￥ prefix, 人民币 before or after, and full-width digits.
 */
export function parseAmountWan(input: string): AmountResult {
  const compact = foldWidth(input)
    .replace(/\s+/gu, '')
    .replace(/^(?:¥|人民币)+/u, '')
    .replace(/人民币$/u, '');
  if (compact === '') return { ok: false, problem: '没有填写金额' };

  const match = AMOUNT_PATTERN.exec(compact);
  const exponent = match ? UNIT_EXPONENT[match[2] ?? ''] : undefined;
  if (!match?.[1] || exponent === undefined) {
    return { ok: false, problem: `「${input.trim()}」不是有效的金额` };
  }
  // Shifting the decimal point in the text avoids float noise such as 0.07 * 10000 = 700.0000000000001.
  const wan = Number(`${match[1].replaceAll(',', '')}e${exponent}`);
  if (!(wan > 0)) return { ok: false, problem: '金额必须大于 0' };
  if (wan > MAX_WAN) {
    return { ok: false, problem: `金额 ${formatWan(wan)} 超过 1 万亿元，请检查单位是否写错` };
  }
  return { ok: true, wan };
}

/** Shows an amount in 万元 the way officials read it: 12000 → "1.2亿元", 5000 → "5000万元". */
export function formatWan(wan: number): string {
  return Math.abs(wan) >= 10000 ? `${trimDecimals(wan / 10000)}亿元` : `${trimDecimals(wan)}万元`;
}

/** At most four decimals (one 元 when counting in 万元), without trailing zeros. */
function trimDecimals(value: number): string {
  return String(Number(value.toFixed(4)));
}
