import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  dateFromParts,
  dateInZone,
  dateParts,
  dayOfWeek,
  daysBetween,
  formatDateZh,
  instantAt,
  isIsoDate,
} from '../../domain/calendar-date';
import { SERVER_TIME_ZONES, withProcessTimeZone } from './server-time-zones';

describe.each(SERVER_TIME_ZONES)('plain dates with the server in %s', (serverZone) => {
  withProcessTimeZone(serverZone);

  it('really runs in that zone', () => {
    expect(new Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(serverZone);
  });

  it.each([
    ['2027-03-01', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['2027-13-01', false],
    ['2027-3-1', false],
    ['2027-03-01T00:00', false],
    [' 2027-03-01', false],
    ['', false],
  ])('isIsoDate(%j) is %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  it.each([
    [2027, 3, 1, '2027-03-01'],
    [2028, 2, 29, '2028-02-29'],
    [2027, 2, 29, null],
    [2027, 4, 31, null],
    [2027, 0, 1, null],
    [2027, 1, 0, null],
    [999, 1, 1, null],
    [2027, 1.5, 1, null],
  ])('dateFromParts(%i, %s, %s) → %s', (y, m, d, expected) => {
    expect(dateFromParts(y, m, d)).toBe(expected);
  });

  it('reads the numbers of a date and refuses malformed ones', () => {
    expect(dateParts('2027-03-01')).toEqual({ year: 2027, month: 3, day: 1 });
    expect(() => dateParts('2027-02-30')).toThrow(RangeError);
  });

  it.each([
    ['2026-10-14', 1, '2026-10-15'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-08', 1, '2026-03-09'], // a US daylight-saving change
    ['2026-11-01', 1, '2026-11-02'],
    ['2026-10-14', 0, '2026-10-14'],
    ['2026-10-14', 730, '2028-10-13'],
  ])('addDays(%s, %i) → %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
    expect(daysBetween(d, expected)).toBe(n);
  });

  it.each([
    ['2026-10-14', '2026-10-15', -1],
    ['2026-10-15', '2026-10-14', 1],
    ['2026-10-14', '2026-10-14', 0],
    ['2026-12-31', '2027-01-01', -1],
  ])('compareDates(%s, %s) has the sign of %i', (a, b, sign) => {
    expect(Math.sign(compareDates(a, b))).toBe(sign);
  });

  it.each([
    ['2026-10-18', 0],
    ['2026-10-19', 1],
    ['2026-10-24', 6],
    ['2027-03-01', 1],
  ])('dayOfWeek(%s) = %i', (d, expected) => {
    expect(dayOfWeek(d)).toBe(expected);
  });

  it.each([
    ['2027-03-01', '2027年3月1日（周一）'],
    ['2026-10-18', '2026年10月18日（周日）'],
    ['2026-10-10', '2026年10月10日（周六）'],
  ])('formatDateZh(%s) → %s', (d, expected) => {
    expect(formatDateZh(d)).toBe(expected);
  });
});

describe.each(SERVER_TIME_ZONES)('instants with the server in %s', (serverZone) => {
  withProcessTimeZone(serverZone);

  it.each([
    [Date.UTC(2026, 9, 1, 16, 30), 'Asia/Shanghai', '2026-10-02'],
    [Date.UTC(2026, 9, 1, 15, 59), 'Asia/Shanghai', '2026-10-01'],
    [Date.UTC(2026, 9, 1, 16, 30), 'America/New_York', '2026-10-01'],
    [Date.UTC(2026, 11, 31, 16, 0), 'Asia/Shanghai', '2027-01-01'],
  ])('dateInZone(%i, %s) → %s', (epochMs, zone, expected) => {
    expect(dateInZone(epochMs, zone)).toBe(expected);
  });

  it.each([
    // New York and London change by an hour, Lord Howe by half an hour; Santiago changed at midnight.
    ['America/New_York', Date.UTC(2026, 2, 8, 5)],
    ['America/New_York', Date.UTC(2026, 10, 1, 4)],
    ['Europe/London', Date.UTC(2026, 9, 25, 0)],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14)],
    ['America/Santiago', Date.UTC(2018, 4, 13, 2)],
    ['Asia/Shanghai', Date.UTC(2026, 9, 1, 15)],
  ])('dateInZone agrees with Intl minute by minute around a change of offset in %s', (zone, around) => {
    const intlDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let at = around - 3 * 3_600_000; at <= around + 3 * 3_600_000; at += 60_000 + 1) {
      expect([at, dateInZone(at, zone)]).toEqual([at, intlDate.format(at)]);
    }
  });

  it.each([
    ['2026-10-02', '09:00', 'Asia/Shanghai', Date.UTC(2026, 9, 2, 1, 0)],
    ['2026-10-02', '00:00', 'Asia/Shanghai', Date.UTC(2026, 9, 1, 16, 0)],
    ['2026-07-01', '09:00', 'America/New_York', Date.UTC(2026, 6, 1, 13, 0)],
    ['2026-12-01', '09:00', 'America/New_York', Date.UTC(2026, 11, 1, 14, 0)],
    ['2026-10-02', '23:59', 'UTC', Date.UTC(2026, 9, 2, 23, 59)],
  ])('instantAt(%s, %s, %s) is the wall-clock time there', (d, hhmm, zone, expected) => {
    expect(instantAt(d, hhmm, zone)).toBe(expected);
    expect(dateInZone(instantAt(d, hhmm, zone), zone)).toBe(d);
  });

  it.each(['9:00', '24:00', '09:60', 'noon'])('instantAt refuses the time %j', (hhmm) => {
    expect(() => instantAt('2026-10-02', hhmm, 'Asia/Shanghai')).toThrow(RangeError);
  });
});
