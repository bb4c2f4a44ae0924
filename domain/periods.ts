/**
 * Assessment periods (考核时段) as officials ask for them in `/排名 [时段]`: a quarter by default
 * (一季度一督查一通报), or a month, a year or a range of dates, read against the county's today.
 */
import { addDays, compareDates, dateFromParts, dateParts, daysBetween, type IsoDate, instantAt } from './calendar-date';
import { matchKey } from './text';

/** What a period is: a calendar quarter, month or year, or any range of days. */
export type PeriodKind = 'quarter' | 'month' | 'year' | 'range';

/** A period of whole days. */
export interface Period {
  kind: PeriodKind;
  from: IsoDate;
  /** The last day, included. */
  to: IsoDate;
  /** As officials read it: `2026年第3季度`, `2026年10月`, `2026年`, `2026-07-01 至 2026-09-30`. */
  label: string;
}

/** A period, or what is wrong with the text and how to write it. */
export type PeriodResult = { ok: true; period: Period } | { ok: false; problem: string; hint: string };

/** The ways of writing a period that {@link parsePeriod} reads, for hints. */
export const PERIOD_FORMS =
  '本季度、上季度、2026Q3、2026年第3季度、三季度、本月、上月、2026年10月、10月、今年、去年、2026年、2026-07-01至2026-09-30、2026-07-01至今';

const HINT = `时段可写成 ${PERIOD_FORMS}；不写则为本季度`;

/** A year as typed: four digits, so that every period built from it has real dates. */
const YEAR = '([1-9]\\d{3})';
/** 2026Q3, 2026-q3, 2026年第3季度, 2026年三季度, 三季度, q3; 季 is required so that 2026年3 is not read as a quarter. */
const QUARTER = new RegExp(`^(?:${YEAR}年?)?(?:-?q([1-4])|第?([1-4一二三四])季度?)$`, 'u');
/** Quarter n is at index n - 1 and n + 3. */
const QUARTER_DIGITS = '1234一二三四';
/** 2026-10, 2026/10, 2026.10. */
const MONTH_NUMERIC = new RegExp(`^${YEAR}[-/.](\\d{1,2})$`, 'u');
/** 2026年10月, 10月, 10月份. */
const MONTH_ZH = new RegExp(`^(?:${YEAR}年)?(\\d{1,2})月份?$`, 'u');
/** 2026, 2026年, 2026年度. */
const YEAR_ONLY = new RegExp(`^${YEAR}(?:年度?)?$`, 'u');
/** 本季度, 这个季度, 上季度, 上一季度, 本月, 上个月, 今年, 去年, 上年度… */
const RELATIVE = /^(本|这|当|今|上|去)[个一]?(季度?|月份?|年度?)$/u;
/**
 * 2026-07-01~2026-09-30, 2026-07-01至2026-09-30, 2026-07-01到今天; spaces are gone by then. Only
 * text starting with a digit, so that stray words are not answered as malformed dates.
 */
const RANGE = /^(\d.*?)(?:~|至|到)(.+)$/u;
/** A full date with its year: 2026-07-01, 2026/7/1, 2026年7月1日. */
const FULL_DATE = new RegExp(`^${YEAR}[-/.年](\\d{1,2})[-/.月](\\d{1,2})[日号]?$`, 'u');
const TODAY_WORDS = new Set(['今', '今天', '今日']);

type CalendarKind = Exclude<PeriodKind, 'range'>;

const RELATIVE_KIND: Readonly<Record<string, CalendarKind>> = { 季: 'quarter', 季度: 'quarter', 月: 'month', 月份: 'month', 年: 'year', 年度: 'year' };

/**
 * Reads a period as typed after `/排名`, relative to `today`. Empty text is the current quarter;
 * a quarter or month without a year is the latest one that has begun (三季度 typed in January is
 * last year's). A period that has not begun yet is refused: it has nothing to rank.
 */
export function parsePeriod(text: string, today: IsoDate): PeriodResult {
  const input = matchKey(text);
  const read = input === '' ? ok(quarterOf(today)) : (readPeriod(input, today) ?? refuse(`看不懂「${text.trim()}」这个时段`));
  if (!read.ok) return read;
  return compareDates(read.period.from, today) > 0 ? refuse(`${read.period.label}还没有开始`) : read;
}

/** The period `input` (a {@link matchKey}) names, a problem with it, or null when it names none. */
function readPeriod(input: string, today: IsoDate): PeriodResult | null {
  const quarter = QUARTER.exec(input);
  if (quarter) {
    const q = (QUARTER_DIGITS.indexOf(quarter[2] ?? quarter[3] ?? '') % 4) + 1;
    return ok(inYear(quarter[1], today, (year) => quarterPeriod(year, q)));
  }
  const month = MONTH_NUMERIC.exec(input) ?? MONTH_ZH.exec(input);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) return refuse(`没有${m}月`);
    return ok(inYear(month[1], today, (year) => monthPeriod(year, m)));
  }
  const year = YEAR_ONLY.exec(input);
  if (year) return ok(yearPeriod(Number(year[1])));
  const relative = RELATIVE.exec(input);
  const kind = relative?.[2] ? RELATIVE_KIND[relative[2]] : undefined;
  if (relative && kind) {
    const current = periodContaining(kind, today);
    return ok(relative[1] === '上' || relative[1] === '去' ? previousPeriod(current) : current);
  }
  const range = RANGE.exec(input);
  return range?.[1] && range[2] ? readRange(range[1], range[2], today) : null;
}

function readRange(fromText: string, toText: string, today: IsoDate): PeriodResult {
  const from = fullDate(fromText);
  const to = TODAY_WORDS.has(toText) ? today : fullDate(toText);
  if (typeof from !== 'string') return from;
  if (typeof to !== 'string') return to;
  if (compareDates(from, to) > 0) return refuse(`开始日期 ${from} 晚于结束日期 ${to}`);
  return ok(rangePeriod(from, to));
}

/** A date with its year, or why not: a range without years would be ambiguous across New Year. */
function fullDate(input: string): IsoDate | PeriodResult {
  const match = FULL_DATE.exec(input);
  if (!match) return refuse(`「${input}」不是带年份的日期，如 2026-07-01`);
  return dateFromParts(Number(match[1]), Number(match[2]), Number(match[3])) ?? refuse(`没有「${input}」这一天`);
}

/** The period in the typed year, or without one the latest that has begun by `today`. */
function inYear(typed: string | undefined, today: IsoDate, build: (year: number) => Period): Period {
  if (typed) return build(Number(typed));
  const thisYear = build(dateParts(today).year);
  return compareDates(thisYear.from, today) > 0 ? build(dateParts(today).year - 1) : thisYear;
}

/** The quarter, month or year that contains `date`. */
function periodContaining(kind: CalendarKind, date: IsoDate): Period {
  const { year, month } = dateParts(date);
  if (kind === 'year') return yearPeriod(year);
  if (kind === 'month') return monthPeriod(year, month);
  return quarterPeriod(year, Math.ceil(month / 3));
}

/** The calendar quarter that contains `date`. */
export function quarterOf(date: IsoDate): Period {
  return periodContaining('quarter', date);
}

/**
 * The period just before `p` for comparison: the quarter, month or year before it, or for a
 * range, the range of as many days that ends the day before it starts.
 */
export function previousPeriod(p: Period): Period {
  const dayBefore = addDays(p.from, -1);
  if (p.kind !== 'range') return periodContaining(p.kind, dayBefore);
  return rangePeriod(addDays(dayBefore, -daysBetween(p.from, p.to)), dayBefore);
}

/** Whether every day of `p` has passed: `today` is after its last day. */
export function isPeriodOver(p: Period, today: IsoDate): boolean {
  return compareDates(today, p.to) > 0;
}

/**
 * The day a period's standing facts are taken on, such as which milestones are overdue: its last
 * day once it is over, today while it runs.
 */
export function periodAsOf(p: Period, today: IsoDate): IsoDate {
  return isPeriodOver(p, today) ? p.to : today;
}

/**
 * The instants a period spans in `timeZone`: from midnight starting its first day to midnight
 * after its last, for timestamps compared with `>= fromMs` and `< toMs`.
 */
export function periodInstants(p: Period, timeZone: string): { fromMs: number; toMs: number } {
  return { fromMs: instantAt(p.from, '00:00', timeZone), toMs: instantAt(addDays(p.to, 1), '00:00', timeZone) };
}

/** The quarter for the bulletin (通报): the most recent one that ended before `today`. */
export function lastQuarterEndedBy(today: IsoDate): Period {
  return previousPeriod(quarterOf(today));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `months` whole months from the first of `firstMonth`; Date.UTC's day 0 is the last day of the month before. */
function monthsFrom(year: number, firstMonth: number, months: number): Pick<Period, 'from' | 'to'> {
  const to = new Date(Date.UTC(year, firstMonth - 1 + months, 0)).toISOString().slice(0, 10);
  return { from: `${year}-${pad(firstMonth)}-01`, to };
}

function quarterPeriod(year: number, quarter: number): Period {
  return { kind: 'quarter', ...monthsFrom(year, 3 * quarter - 2, 3), label: `${year}年第${quarter}季度` };
}

function monthPeriod(year: number, month: number): Period {
  return { kind: 'month', ...monthsFrom(year, month, 1), label: `${year}年${month}月` };
}

function yearPeriod(year: number): Period {
  return { kind: 'year', ...monthsFrom(year, 1, 12), label: `${year}年` };
}

function rangePeriod(from: IsoDate, to: IsoDate): Period {
  return { kind: 'range', from, to, label: `${from} 至 ${to}` };
}

function ok(period: Period): PeriodResult {
  return { ok: true, period };
}

function refuse(problem: string): { ok: false; problem: string; hint: string } {
  return { ok: false, problem, hint: HINT };
}
