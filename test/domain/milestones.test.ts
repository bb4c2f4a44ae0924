import { describe, expect, it } from 'vitest';
import { defaultDueDates, parseMilestoneName, signedDefaultsSchema } from '../../domain/milestones';

describe('parseMilestoneName', () => {
  it.each([
    ['签约', 'signed', '签约'],
    ['开工', 'started', '开工'],
    ['落地', 'started', '开工'],
    ['投产', 'producing', '投产'],
    ['达产', 'at_capacity', '达产'],
    ['达产达效', 'at_capacity', '达产'],
    [' 开工 ', 'started', '开工'],
    ['started', 'started', '开工'],
    ['环评批复', 'custom', '环评批复'],
    ['土地 摘牌', 'custom', '土地 摘牌'],
    ['Phase 2', 'custom', 'Phase 2'],
    ['一'.repeat(20), 'custom', '一'.repeat(20)],
  ])('%j → %s named %j', (text, kind, name) => {
    expect(parseMilestoneName(text)).toEqual({ ok: true, milestone: { kind, name } });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['一'.repeat(21), 'longer than 20 characters'],
  ])('refuses %j (%s), listing the standard names', (text) => {
    const result = parseMilestoneName(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(/\p{Script=Han}/u);
      expect(result.hint).toContain('开工');
    }
  });
});

describe('signedDefaultsSchema and defaultDueDates', () => {
  it('defaults to 90, 365 and 730 days after signing', () => {
    const defaults = signedDefaultsSchema.parse({});
    expect(defaultDueDates('2026-10-14', defaults)).toEqual({
      started: '2027-01-12',
      producing: '2027-10-14',
      at_capacity: '2028-10-13',
    });
  });

  it("takes the county's own periods and ignores comments", () => {
    const defaults = signedDefaultsSchema.parse({ $comment: '…', startedAfterDays: 30, producingAfterDays: 180 });
    expect(defaultDueDates('2026-01-01', defaults)).toEqual({
      started: '2026-01-31',
      producing: '2026-06-30',
      at_capacity: '2028-01-01',
    });
  });

  it.each([
    ['a period out of order', { startedAfterDays: 400 }],
    ['a zero period', { startedAfterDays: 0 }],
    ['a fractional period', { producingAfterDays: 365.5 }],
    ['a period as text', { atCapacityAfterDays: '730' }],
  ])('refuses %s', (_, input) => {
    expect(signedDefaultsSchema.safeParse(input).success).toBe(false);
  });
});
