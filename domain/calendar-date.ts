/**
 * Plain calendar dates (`YYYY-MM-DD`, county time) and the few places where they meet instants.
 * Date arithmetic runs on UTC midnights, so it never depends on the server's time zone.
 */
import { TZDate } from '@date-fns/tz';

/** A calendar date written `YYYY-MM-DD`, meant in the county's time zone. */
export type IsoDate = string;

/** The numbers of a date: month and day count from 1. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const WALL_CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/u;
const WEEKDAY_ZH = '日一二三四五六';
const DAY_MS = 86_400_000;

/** The date with these numbers, or null when there is no such day (2027-02-30, month 13). */
export function dateFromParts(year: number, month: number, day: number): IsoDate | null {
  if (![year, month, day].every(Number.isInteger) || year < 1000 || year > 9999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2 月 30 日 over to March; a day that rolled over does not exist.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Whether `text` is a real date written exactly `YYYY-MM-DD`. */
export function isIsoDate(text: string): text is IsoDate {
  const match = ISO_DATE.exec(text);
  return match !== null && dateFromParts(Number(match[1]), Number(match[2]), Number(match[3])) === text;
}

/**
 * The numbers of `d`. Throws a RangeError for a malformed date: that is a bug, not input. Called
 * in every calendar step, so it checks with arithmetic rather than a round trip through Date.
 */
export function dateParts(d: IsoDate): DateParts {
  const match = ISO_DATE.exec(d);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
  return { year, month, day };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

function utcMidnight(d: IsoDate): number {
  const { year, month, day } = dateParts(d);
  return Date.UTC(year, month - 1, day);
}

/** The date `n` calendar days after `d` (before it when `n` is negative). */
export function addDays(d: IsoDate, n: number): IsoDate {
  return new Date(utcMidnight(d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to`: 1 for the next day, negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/** Negative when `a` is before `b`, 0 when equal, positive when after; fits `Array.prototype.sort`. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(utcMidnight(a) - utcMidnight(b));
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return new Date(utcMidnight(d)).getUTCDay();
}

/** The calendar date in `timeZone` at an instant, e.g. the county's today. */
export function dateInZone(epochMs: number, timeZone: string): IsoDate {
  if (!Number.isFinite(epochMs)) throw new RangeError(`no date for ${epochMs} in ${timeZone}`);
  return new Date(epochMs + offsetInZone(epochMs, timeZone)).toISOString().slice(0, 10);
}

const HOUR_MS = 3_600_000;
/** Hours kept per zone: a few years of them, whatever instants a long-running process converts. */
const OFFSET_CACHE_HOURS = 50_000;
const offsetsByHour = new Map<string, Map<number, number | null>>();

/**
 * How far `timeZone`'s wall clock is ahead of UTC at `epochMs`. Asking Intl (through TZDate) for
 * every instant made converting a province's 100,000 last-activity times a sizeable part of the
 * stall scan; an hour whose offset is the same at both ends (no change of offset inside it) is
 * asked once.
 */
function offsetInZone(epochMs: number, timeZone: string): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let zone = offsetsByHour.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetsByHour.set(timeZone, zone);
  }
  let offset = zone.get(hour);
  if (offset === undefined) {
    const [start, end] = [askOffset(hour * HOUR_MS, timeZone), askOffset((hour + 1) * HOUR_MS - 1, timeZone)];
    offset = start === end ? start : null;
    if (zone.size >= OFFSET_CACHE_HOURS) zone.clear();
    zone.set(hour, offset);
  }
  return offset ?? askOffset(epochMs, timeZone);
}

function askOffset(epochMs: number, timeZone: string): number {
  const local = new TZDate(epochMs, timeZone);
  const wallClock = Date.UTC(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
    local.getMilliseconds(),
  );
  return wallClock - epochMs;
}

/**
 * The instant (epoch ms) of wall-clock time `hhmm` (`'09:00'`) on `d` in `timeZone`.
 * Throws a RangeError for a malformed time: callers pass constants.
 */
export function instantAt(d: IsoDate, hhmm: string, timeZone: string): number {
  const match = WALL_CLOCK.exec(hhmm);
  if (!match) throw new RangeError(`not an HH:MM time: ${hhmm}`);
  const { year, month, day } = dateParts(d);
  return new TZDate(year, month - 1, day, Number(match[1]), Number(match[2]), timeZone).getTime();
}

/** A date as officials read it: `2027年3月1日（周一）`. */
export function formatDateZh(d: IsoDate): string {
  const { year, month, day } = dateParts(d);
  return `${year}年${month}月${day}日（周${WEEKDAY_ZH.charAt(dayOfWeek(d))}）`;
}
