import { describe, expect, it } from 'vitest';
import { formatProjectCode, parseProjectCode } from '../../domain/project-code';

describe('formatProjectCode', () => {
  it.each([
    [2026, 1, 'ZS-2026-0001'],
    [2026, 42, 'ZS-2026-0042'],
    [2026, 9999, 'ZS-2026-9999'],
    [2026, 10000, 'ZS-2026-10000'],
  ])('%d #%d → %s', (year, seq, code) => {
    expect(formatProjectCode(year, seq)).toBe(code);
  });

  it.each([
    [2026, 0],
    [2026, 1.5],
    [26, 1],
  ])('refuses year %d with sequence %d', (year, seq) => {
    expect(() => formatProjectCode(year, seq)).toThrow(RangeError);
  });
});

describe('parseProjectCode', () => {
  it.each([
    ['ZS-2026-0001', { year: 2026, seq: 1 }],
    ['zs-2026-1', { year: 2026, seq: 1 }],
    [' Zs-2026-10000 ', { year: 2026, seq: 10000 }],
    ['ＺＳ－２０２６－００４２', { year: 2026, seq: 42 }],
    ['ZS 2026 0042', { year: 2026, seq: 42 }],
    ['ZS_2026_0042', { year: 2026, seq: 42 }],
  ])('%j → %j', (text, parts) => {
    expect(parseProjectCode(text)).toEqual(parts);
  });

  it.each(['', 'ZS-2026', 'ZS-26-1', 'ZS-2026-0000', 'AB-2026-0001', 'ZS-2026-0001x', '项目 ZS-2026-0001'])('%j is not a project code', (text) => {
    expect(parseProjectCode(text)).toBeNull();
  });

  it('reads back what it formats', () => {
    for (const seq of [1, 9999, 10000, 123456]) {
      expect(parseProjectCode(formatProjectCode(2026, seq))).toEqual({ year: 2026, seq });
    }
  });
});
