import { describe, expect, it } from 'vitest';
import { parseUserDate, type UserDateResult } from '../../domain/user-date';
import { SERVER_TIME_ZONES, withProcessTimeZone } from './server-time-zones';

const WEDNESDAY = '2026-10-14';
const SUNDAY = '2026-10-18';

function dateOf(result: UserDateResult): string {
  if (!result.ok) throw new Error(`expected a date, got ${result.problem}`);
  return result.date;
}

describe.each(SERVER_TIME_ZONES)('parseUserDate with the server in %s', (serverZone) => {
  withProcessTimeZone(serverZone);

  it.each([
    ['2027-03-01', WEDNESDAY, '2027-03-01'],
    ['2027-3-1', WEDNESDAY, '2027-03-01'],
    ['2027/3/1', WEDNESDAY, '2027-03-01'],
    ['2027.3.1', WEDNESDAY, '2027-03-01'],
    ['2027年3月1日', WEDNESDAY, '2027-03-01'],
    ['2027年3月1号', WEDNESDAY, '2027-03-01'],
    ['２０２７年３月１日', WEDNESDAY, '2027-03-01'],
    ['  2027-03-01 ', WEDNESDAY, '2027-03-01'],
    ['2026-01-05', WEDNESDAY, '2026-01-05'],
    // Without a year: the next one to come, today counting as to come.
    ['3月1日', WEDNESDAY, '2027-03-01'],
    ['3/1', WEDNESDAY, '2027-03-01'],
    ['10月14日', WEDNESDAY, '2026-10-14'],
    ['10/14', WEDNESDAY, '2026-10-14'],
    ['10月13日', WEDNESDAY, '2027-10-13'],
    ['12月31日', WEDNESDAY, '2026-12-31'],
    ['今天', WEDNESDAY, '2026-10-14'],
    ['明天', WEDNESDAY, '2026-10-15'],
    ['后天', WEDNESDAY, '2026-10-16'],
    ['明天', '2026-12-31', '2027-01-01'],
    // A weekday: the next one to come; 下周 is the week after this Monday-to-Sunday week.
    ['周五', WEDNESDAY, '2026-10-16'],
    ['星期五', WEDNESDAY, '2026-10-16'],
    ['周五', '2026-10-16', '2026-10-16'],
    ['周五', SUNDAY, '2026-10-23'],
    ['下周五', WEDNESDAY, '2026-10-23'],
    ['下周五', SUNDAY, '2026-10-23'],
    ['下星期一', SUNDAY, '2026-10-19'],
    ['下周日', WEDNESDAY, '2026-10-25'],
    ['这周日', WEDNESDAY, '2026-10-18'],
    ['本周五', WEDNESDAY, '2026-10-16'],
    ['下个月15号', WEDNESDAY, '2026-11-15'],
    ['下月1日', '2026-12-20', '2027-01-01'],
  ])('%j on %s → %s', (text, today, expected) => {
    expect(dateOf(parseUserDate(text, today))).toBe(expected);
  });

  it.each([
    ['3月1日', WEDNESDAY, '2026-03-01'],
    ['3/1', WEDNESDAY, '2026-03-01'],
    ['10月14日', WEDNESDAY, '2026-10-14'],
    ['12月31日', WEDNESDAY, '2025-12-31'],
    ['周五', WEDNESDAY, '2026-10-09'],
    ['周三', WEDNESDAY, '2026-10-14'],
    ['2027-03-01', WEDNESDAY, '2027-03-01'],
    ['明天', WEDNESDAY, '2026-10-15'],
  ])('looking back, %j on %s → %s', (text, today, expected) => {
    expect(dateOf(parseUserDate(text, today, 'past'))).toBe(expected);
  });

  it.each([
    ['', 'nothing'],
    ['   ', 'only spaces'],
    ['3月', 'a month without a day'],
    ['2027年3月', 'a year and month without a day'],
    ['2027-02-30', 'a day that does not exist'],
    ['2027年2月30日', 'a day that does not exist, in Chinese'],
    ['2月30日', 'a day that does not exist, without a year'],
    ['2027/13/1', 'month 13'],
    ['13/1', 'day before month'],
    ['下个月31号', 'a day next month does not have'],
    ['3月1日 下午开会', 'a date followed by other words'],
    ['大约3月1日', 'words before a date'],
    ['下周', 'a week without a day'],
    ['尽快', 'no date at all'],
    ['hello', 'English words'],
  ])('refuses %j (%s), saying how to write a date', (text) => {
    const result = parseUserDate(text, WEDNESDAY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatch(/\p{Script=Han}/u);
    expect(result.hint).toContain('2027-03-01');
  });
});
