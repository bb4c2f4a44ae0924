/**
 * China's working days: Monday to Friday, except public holidays, plus the weekend days worked
 * in exchange (调休). Reminders and overdue counts use working days, as officials do.
 */
import { z } from 'zod';
import { addDays, compareDates, dateParts, dayOfWeek, type IsoDate, isIsoDate } from './calendar-date';

/** One year's exceptions to Monday–Friday. */
export interface CalendarYear {
  /** Days off, weekend days inside a holiday included. */
  holidays: IsoDate[];
  /** 调休: make-up working days that fall on weekends. */
  workdays: IsoDate[];
}

const EPOCH = '1970-01-01';
/** Days from 1970-01-01 to `d`. */
const dayNumber = (d: IsoDate) => {
  const { year, month, day } = dateParts(d);
  return Date.UTC(year, month - 1, day) / 86_400_000;
};
/** The span answered from a prefix-sum table; reminders rebuilt at start ask tens of thousands of questions. */
const TABLE_FROM = dayNumber('2000-01-01');
const TABLE_TO = dayNumber('2100-12-31');

/** Working days by the calendar years it knows; a year it does not know counts Monday–Friday. */
export class WorkingCalendar {
  private readonly years: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<IsoDate>;
  private readonly workdays: ReadonlySet<IsoDate>;
  /** worked[i]: working days in [TABLE_FROM, TABLE_FROM + i), so counts between days are a subtraction. */
  private readonly worked: Int32Array;

  constructor(years: ReadonlyMap<number, CalendarYear>) {
    this.years = new Set(years.keys());
    this.holidays = new Set([...years.values()].flatMap((y) => y.holidays));
    this.workdays = new Set([...years.values()].flatMap((y) => y.workdays));
    this.worked = new Int32Array(TABLE_TO - TABLE_FROM + 2);
    let day = addDays(EPOCH, TABLE_FROM);
    for (let i = 0; i <= TABLE_TO - TABLE_FROM; i++, day = addDays(day, 1)) {
      this.worked[i + 1] = this.worked[i]! + (this.computeIsWorkingDay(day) ? 1 : 0);
    }
  }

  /** Whether the holidays of `year` are known. */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  /** Whether `d` is a working day; in a year not covered, whether it is Monday to Friday. */
  isWorkingDay(d: IsoDate): boolean {
    const i = dayNumber(d) - TABLE_FROM;
    return i >= 0 && i <= TABLE_TO - TABLE_FROM ? this.worked[i + 1]! > this.worked[i]! : this.computeIsWorkingDay(d);
  }

  /**
   * The `n`-th working day after `d` (`n` > 0) or before it (`n` < 0), not counting `d` itself;
   * `d` when `n` is 0.
   */
  addWorkingDays(d: IsoDate, n: number): IsoDate {
    const start = dayNumber(d) - TABLE_FROM;
    if (n === 0) return d;
    if (start < 0 || start > TABLE_TO - TABLE_FROM) return this.walk(d, n);
    // The answer is the day whose own working-day count is the target: find where the prefix sum reaches it.
    const target = n > 0 ? this.worked[start + 1]! + n : this.worked[start]! + n + 1;
    if (target < 1 || target > this.worked[this.worked.length - 1]!) return this.walk(d, n);
    let [lo, hi] = [0, this.worked.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.worked[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return addDays(EPOCH, TABLE_FROM + lo - 1);
  }

  /**
   * The working days passed walking from `from` to `to`, not counting `from` and counting `to`:
   * those in (from, to], or minus those in [to, from) when `to` is earlier. So
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const [a, b] = [dayNumber(from) - TABLE_FROM, dayNumber(to) - TABLE_FROM];
    const inTable = (i: number) => i >= 0 && i <= TABLE_TO - TABLE_FROM;
    if (!inTable(a) || !inTable(b)) return this.walkBetween(from, to);
    return b >= a ? this.worked[b + 1]! - this.worked[a + 1]! : this.worked[b]! - this.worked[a]!;
  }

  /** The first working day after `d`, or `d` itself when `inclusive` and it is one. */
  nextWorkingDay(d: IsoDate, inclusive: boolean): IsoDate {
    return inclusive && this.isWorkingDay(d) ? d : this.addWorkingDays(d, 1);
  }

  /** The last working day before `d`, or `d` itself when `inclusive` and it is one. */
  previousWorkingDay(d: IsoDate, inclusive: boolean): IsoDate {
    return inclusive && this.isWorkingDay(d) ? d : this.addWorkingDays(d, -1);
  }

  private computeIsWorkingDay(d: IsoDate): boolean {
    if (this.covers(dateParts(d).year)) {
      if (this.workdays.has(d)) return true;
      if (this.holidays.has(d)) return false;
    }
    return !isWeekend(d);
  }

  /** Day by day, for dates outside the table. */
  private walk(d: IsoDate, n: number): IsoDate {
    const step = Math.sign(n);
    let day = d;
    for (let left = Math.abs(n); left > 0; ) {
      day = addDays(day, step);
      if (this.computeIsWorkingDay(day)) left--;
    }
    return day;
  }

  private walkBetween(from: IsoDate, to: IsoDate): number {
    const step = compareDates(to, from);
    let count = 0;
    for (let day = from; day !== to; ) {
      day = addDays(day, step);
      if (this.computeIsWorkingDay(day)) count += step;
    }
    return count;
  }
}

function isWeekend(d: IsoDate): boolean {
  const weekday = dayOfWeek(d);
  return weekday === 0 || weekday === 6;
}

/**
 * The data of the chinese-days package (`chinese-days/dist/chinese-days.json`), as far as it is
 * used here: date → `"National Day,国庆节,3"`.
 */
export interface ChineseDaysData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
}

/** The package's holidays and 调休 days grouped by year; every year it names is covered. */
export function calendarYearsFromChineseDays(data: ChineseDaysData): Map<number, CalendarYear> {
  const years = new Map<number, CalendarYear>();
  const yearOf = (d: IsoDate): CalendarYear => {
    const year = dateParts(d).year;
    const entry = years.get(year) ?? { holidays: [], workdays: [] };
    years.set(year, entry);
    return entry;
  };
  for (const d of Object.keys(data.holidays).sort()) yearOf(d).holidays.push(d);
  for (const d of Object.keys(data.workdays).sort()) yearOf(d).workdays.push(d);
  return years;
}

/** `base` with every year of `override` replacing that whole year (an admin's file wins). */
export function mergeCalendarYears(base: ReadonlyMap<number, CalendarYear>, override: ReadonlyMap<number, CalendarYear>): Map<number, CalendarYear> {
  return new Map([...base, ...override]);
}

/** The file without its `$comment`-style keys. */
function withoutNotes(file: unknown): unknown {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return file;
  return Object.fromEntries(Object.entries(file).filter(([key]) => !key.startsWith('$')));
}

/** A day in the admin's file: a real date, and a weekend day when it is a 调休 working day. */
function calendarDaySchema(list: keyof CalendarYear) {
  return z.string().superRefine((d, ctx) => {
    if (!isIsoDate(d)) ctx.addIssue({ code: 'custom', message: `${d} is not a real date written YYYY-MM-DD` });
    else if (list === 'workdays' && !isWeekend(d)) {
      ctx.addIssue({ code: 'custom', message: `${d} is a weekday; list only weekend days worked (调休)` });
    }
  });
}

/**
 * Schema for the admin's calendar file, for years the package does not know yet:
 * `{ "2027": { "holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …] } }`.
 * Keys starting with `$` (`"$comment"`) are notes for the admin and ignored. Parsing gives the
 * Map that {@link mergeCalendarYears} takes.
 */
export const calendarOverrideSchema = z
  .preprocess(
    withoutNotes,
    z.record(
      z.string().regex(/^\d{4}$/u, 'a year key is four digits'),
      z.object({
        holidays: z.array(calendarDaySchema('holidays')).default([]),
        workdays: z.array(calendarDaySchema('workdays')).default([]),
      }),
    ),
  )
  .superRefine((file, ctx) => {
    // A date under the wrong year or in both lists is a typo that would silently shift reminders.
    for (const [year, { holidays, workdays }] of Object.entries(file)) {
      const off = new Set(holidays);
      for (const [list, dates] of [
        ['holidays', holidays],
        ['workdays', workdays],
      ] as const) {
        dates.forEach((d, i) => {
          const path = [year, list, i];
          if (isIsoDate(d) && !d.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `${d} is not in ${year}` });
          else if (list === 'workdays' && off.has(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is also a holiday` });
        });
      }
    }
  })
  .transform((file) => new Map(Object.entries(file).map(([year, days]) => [Number(year), days] as const)));
