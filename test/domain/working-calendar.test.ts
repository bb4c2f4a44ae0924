import { describe, expect, it } from 'vitest';
import { calendarOverrideSchema, calendarYearsFromChineseDays, mergeCalendarYears, WorkingCalendar } from '../../domain/working-calendar';
import { chinaCalendar as cal, chinaYears } from './china-calendar';

describe('calendarYearsFromChineseDays', () => {
  it('groups the package data by year, holidays and 调休 days apart', () => {
    const y2026 = chinaYears.get(2026);
    expect(y2026?.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-15', '2026-02-23']));
    expect(y2026?.workdays).toEqual(expect.arrayContaining(['2026-09-20', '2026-10-10', '2026-02-14', '2026-02-28']));
    expect(y2026?.holidays).not.toContain('2026-09-20');
  });

  it('covers the years the package names and no other', () => {
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2004)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
  });

  it('takes the package shape directly', () => {
    const years = calendarYearsFromChineseDays({
      holidays: { '2030-01-01': "New Year's Day,元旦,1" },
      workdays: { '2030-01-05': "New Year's Day,元旦,1" },
    });
    expect([...years]).toEqual([[2030, { holidays: ['2030-01-01'], workdays: ['2030-01-05'] }]]);
  });
});

describe('WorkingCalendar with the real 2026 holidays', () => {
  it.each([
    // 国庆 and 中秋 2026: Sep 25–27 and Oct 1–7 off, Sunday Sep 20 and Saturday Oct 10 worked.
    ['2026-09-19', false, 'an ordinary Saturday'],
    ['2026-09-20', true, 'Sunday worked for 国庆'],
    ['2026-09-25', false, '中秋, a Friday'],
    ['2026-09-30', true, 'the Wednesday before 国庆'],
    ['2026-10-01', false, '国庆'],
    ['2026-10-05', false, '国庆, a Monday'],
    ['2026-10-07', false, '国庆, last day'],
    ['2026-10-08', true, 'first day back'],
    ['2026-10-10', true, 'Saturday worked for 国庆'],
    ['2026-10-11', false, 'an ordinary Sunday'],
    // 春节 2026: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked.
    ['2026-02-14', true, 'Saturday worked before 春节'],
    ['2026-02-16', false, '除夕 week, a Monday'],
    ['2026-02-23', false, '春节, last day (a Monday)'],
    ['2026-02-24', true, 'first day back'],
    ['2026-02-28', true, 'Saturday worked after 春节'],
    ['2026-03-01', false, 'an ordinary Sunday'],
  ])('%s is a working day: %s (%s)', (d, expected) => {
    expect(cal.isWorkingDay(d)).toBe(expected);
  });

  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-08', -1, '2026-09-30'],
    ['2026-09-29', 3, '2026-10-09'],
    ['2026-10-09', 1, '2026-10-10'],
    ['2026-10-10', 1, '2026-10-12'],
    ['2026-09-18', 1, '2026-09-20'],
    ['2026-10-03', 1, '2026-10-08'],
    ['2026-10-03', -1, '2026-09-30'],
    ['2026-10-03', 0, '2026-10-03'],
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-24', -1, '2026-02-14'],
    ['2026-02-24', -2, '2026-02-13'],
    ['2026-02-27', 1, '2026-02-28'],
    ['2026-02-28', 1, '2026-03-02'],
  ])('addWorkingDays(%s, %i) → %s', (d, n, expected) => {
    expect(cal.addWorkingDays(d, n)).toBe(expected);
  });

  it.each([
    ['2026-09-30', '2026-10-08', 1],
    ['2026-10-08', '2026-09-30', -1],
    ['2026-10-03', '2026-10-08', 1],
    ['2026-10-08', '2026-10-03', 0],
    ['2026-09-30', '2026-10-03', 0],
    ['2026-10-03', '2026-09-30', -1],
    ['2026-02-13', '2026-03-02', 7],
    ['2026-10-14', '2026-10-14', 0],
  ])('workingDaysBetween(%s, %s) = %i', (from, to, expected) => {
    expect(cal.workingDaysBetween(from, to)).toBe(expected);
  });

  it('counts back what addWorkingDays stepped, both ways, from working days and days off', () => {
    for (const d of ['2026-09-20', '2026-10-03', '2026-10-08', '2026-02-14', '2026-02-18', '2026-12-30']) {
      for (let n = -12; n <= 12; n++) expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
    }
  });

  it.each([
    ['2026-10-01', true, '2026-10-08'],
    ['2026-10-08', true, '2026-10-08'],
    ['2026-10-08', false, '2026-10-09'],
    ['2026-02-13', false, '2026-02-14'],
  ])('nextWorkingDay(%s, inclusive %s) → %s', (d, inclusive, expected) => {
    expect(cal.nextWorkingDay(d, inclusive)).toBe(expected);
  });

  it.each([
    ['2026-10-07', true, '2026-09-30'],
    ['2026-09-30', true, '2026-09-30'],
    ['2026-09-30', false, '2026-09-29'],
    ['2026-02-23', true, '2026-02-14'],
  ])('previousWorkingDay(%s, inclusive %s) → %s', (d, inclusive, expected) => {
    expect(cal.previousWorkingDay(d, inclusive)).toBe(expected);
  });
});

describe('WorkingCalendar for a year it does not cover', () => {
  it.each([
    ['2027-01-01', true, 'New Year 2027 is a Friday: unknown as a holiday, so worked'],
    ['2027-01-02', false, 'a Saturday'],
    ['2027-02-07', false, 'a Sunday'],
    ['2027-02-08', true, 'a Monday'],
  ])('%s is a working day: %s (%s)', (d, expected) => {
    expect(cal.isWorkingDay(d)).toBe(expected);
  });

  it('counts Monday to Friday across the year boundary', () => {
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(cal.addWorkingDays('2027-01-01', 1)).toBe('2027-01-04');
    expect(cal.workingDaysBetween('2027-01-01', '2027-01-08')).toBe(5);
  });
});

describe('the admin override file', () => {
  const file = {
    $comment: 'for years the package lacks',
    '2027': { holidays: ['2027-01-01', '2027-02-08'], workdays: ['2027-02-07'] },
  };

  it('parses into years that replace or add to the package', () => {
    const override = calendarOverrideSchema.parse(file);
    expect([...override.keys()]).toEqual([2027]);
    const merged = new WorkingCalendar(mergeCalendarYears(chinaYears, override));
    expect(merged.covers(2027)).toBe(true);
    expect(merged.isWorkingDay('2027-01-01')).toBe(false);
    expect(merged.isWorkingDay('2027-02-07')).toBe(true);
    expect(merged.isWorkingDay('2027-02-08')).toBe(false);
    expect(merged.addWorkingDays('2027-02-05', 1)).toBe('2027-02-07');
    expect(merged.isWorkingDay('2026-10-01')).toBe(false);
  });

  it('replaces a whole year the package has', () => {
    const override = calendarOverrideSchema.parse({ '2026': { holidays: ['2026-10-01'] } });
    const merged = new WorkingCalendar(mergeCalendarYears(chinaYears, override));
    expect(merged.isWorkingDay('2026-10-01')).toBe(false);
    expect(merged.isWorkingDay('2026-10-02')).toBe(true);
    expect(merged.isWorkingDay('2026-09-20')).toBe(false);
  });

  it('defaults missing lists to empty', () => {
    expect(calendarOverrideSchema.parse({ '2027': {} }).get(2027)).toEqual({ holidays: [], workdays: [] });
  });

  it.each([
    ['an impossible date', { '2027': { holidays: ['2027-02-30'] } }],
    ['a date written another way', { '2027': { holidays: ['2027/01/01'] } }],
    ['a date under the wrong year', { '2027': { holidays: ['2026-10-01'] } }],
    ['a weekday listed as a 调休 day', { '2027': { workdays: ['2027-02-08'] } }],
    ['a day both off and worked', { '2027': { holidays: ['2027-02-07'], workdays: ['2027-02-07'] } }],
    ['a year key that is not a year', { next: { holidays: [] } }],
    ['a list that is not a list', { '2027': { holidays: '2027-01-01' } }],
  ])('refuses %s', (_, bad) => {
    const result = calendarOverrideSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues.length).toBe(1);
  });
});
