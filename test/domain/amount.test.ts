import { describe, expect, it } from 'vitest';
import { formatWan, parseAmountWan } from '../../domain/amount';

describe('parseAmountWan', () => {
  it.each([
    ['5000万', 5000],
    ['5000万元', 5000],
    ['1.2亿', 12000],
    ['1.2亿元', 12000],
    ['8,000', 8000],
    ['8，000', 8000],
    ['1,234,567.5', 1234567.5],
    ['5000', 5000],
    ['3000万元人民币', 3000],
    ['人民币3000万元', 3000],
    ['¥5000万', 5000],
    ['￥1.2亿', 12000],
    ['５０００万', 5000],
    ['１．２亿元', 12000],
    ['500元', 0.05],
    ['5000000元', 500],
    ['5千万', 5000],
    ['3百万元', 300],
    [' 1.2 亿 ', 12000],
    ['0.07亿', 700],
    ['100000000', 1e8],
  ])('%s → %d 万元', (input, wan) => {
    expect(parseAmountWan(input)).toEqual({ ok: true, wan });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['abc', 'not a number'],
    ['一亿', 'Chinese numerals'],
    ['1,2', 'bad grouping'],
    ['1.2.3亿', 'two points'],
    ['5000美元', 'other currency'],
    ['0', 'zero'],
    ['-5000万', 'negative'],
    ['0元', 'zero 元'],
    ['2万亿', 'unknown unit'],
    ['100000001', 'absurd'],
    ['99999亿', 'absurd in 亿'],
  ])('refuses %j (%s) with a Chinese problem', (input) => {
    const result = parseAmountWan(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(/\p{Script=Han}/u);
  });
});

describe('formatWan', () => {
  it.each([
    [12000, '1.2亿元'],
    [10000, '1亿元'],
    [123456, '12.3456亿元'],
    [5000, '5000万元'],
    [0.05, '0.05万元'],
    [9999.5, '9999.5万元'],
  ])('%d → %s', (wan, text) => {
    expect(formatWan(wan)).toBe(text);
  });

  it('round-trips with parseAmountWan', () => {
    for (const wan of [12000, 5000, 0.05, 123456]) {
      expect(parseAmountWan(formatWan(wan))).toEqual({ ok: true, wan });
    }
  });
});
