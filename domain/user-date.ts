/**
 * Dates as officials type them in chat: 2027-03-01, 2027/3/1, 2027年3月1日, 3月1日, 3/1, 明天,
 * 下周五, 下个月15号… read against the county's today.
 */
import * as chrono from 'chrono-node';
import { addDays, compareDates, dateFromParts, dateParts, dayOfWeek, type IsoDate } from './calendar-date';
import { foldWidth } from './text';

/** A date, or what is wrong with the text and how to write it. */
export type UserDateResult = { ok: true; date: IsoDate } | { ok: false; problem: string; hint: string };

/**
 * Which way a date without a year or week goes: `future` for plans and due dates (3月1日 is the
 * next 1 March, today included), `past` for things already done (the last 1 March, today included).
 */
export type DatePreference = 'future' | 'past';

/** The ways of writing a date that {@link parseUserDate} reads, for hints. */
export const DATE_FORMS = '2027-03-01、2027/3/1、2027年3月1日、3月1日、3/1、今天、明天、后天、周五、下周五、下个月15号';

const HINT = `日期可写成 ${DATE_FORMS}`;

/** Year (optional), month and day in digits: to spot impossible dates and chrono's day/month swaps. */
const EXPLICIT = /^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/u;

/**
 * 上周五 / 下周五 / 这周五: chrono counts weeks from Sunday, so on a Sunday its 下周五 is twelve
 * days away; Chinese weeks start on Monday.
 */
const WEEK_DAY = /^(上|下|这|本)个?(?:周|星期|礼拜)([一二三四五六日天])$/u;
const WEEK_OFFSET: Readonly<Record<string, number>> = { 上: -7, 下: 7, 这: 0, 本: 0 };
const MONDAY_BASED_DAY = '一二三四五六日';

/** 下个月15号: chrono's Chinese parser does not read it. */
const NEXT_MONTH_DAY = /^下个?月\s*(\d{1,2})\s*[日号]$/u;

/**
 * Reads a date as typed in chat, relative to `today` (county time). The whole text must be a
 * date and name a day: `3月` alone or `3月1日 下午开会` are refused, as are days that do not exist.
 */
export function parseUserDate(text: string, today: IsoDate, prefer: DatePreference = 'future'): UserDateResult {
  const input = foldWidth(text).trim();
  if (input === '') return refuse('没有填写日期');
  return ruleDate(input, today) ?? chronoDate(input, today, prefer);
}

/** The forms chrono gets wrong or does not know. */
function ruleDate(input: string, today: IsoDate): UserDateResult | undefined {
  const week = WEEK_DAY.exec(input);
  if (week?.[1] && week[2]) {
    const monday = addDays(today, -((dayOfWeek(today) + 6) % 7));
    const day = week[2] === '天' ? 6 : MONDAY_BASED_DAY.indexOf(week[2]);
    return { ok: true, date: addDays(monday, (WEEK_OFFSET[week[1]] ?? 0) + day) };
  }
  const nextMonth = NEXT_MONTH_DAY.exec(input);
  if (nextMonth) {
    const { year, month } = dateParts(today);
    const date = dateFromParts(month === 12 ? year + 1 : year, (month % 12) + 1, Number(nextMonth[1]));
    return date ? { ok: true, date } : refuse(`下个月没有${nextMonth[1]}日`);
  }
  return undefined;
}

function chronoDate(input: string, today: IsoDate, prefer: DatePreference): UserDateResult {
  const { year, month, day } = dateParts(today);
  // chrono works in the process's local time: local noon of today, read back as y/m/d numbers,
  // keeps the result the same whatever the server's time zone.
  const reference = new Date(year, month - 1, day, 12);
  const explicit = EXPLICIT.exec(input);
  const found =
    wholeMatch(chrono.zh.hans.parse(input, reference, { forwardDate: true }), input) ??
    (explicit ? wholeMatch(chrono.parse(input, reference, { forwardDate: true }), input) : undefined);
  const start = found?.start;
  if (!start || (explicit && !sameNumbers(start, explicit))) {
    return refuse(explicit ? `没有「${input}」这一天` : `看不懂「${input}」这个日期`);
  }
  if (!start.isCertain('day') && !start.isCertain('weekday')) return refuse(`「${input}」没有写明是哪一天`);

  const date = dateFromParts(start.get('year') ?? 0, start.get('month') ?? 0, start.get('day') ?? 0);
  if (date === null) return refuse(`没有「${input}」这一天`);
  if (prefer === 'future' || compareDates(date, today) <= 0) return { ok: true, date };
  // chrono looked forward; a done date without a year or week is the last such day instead.
  if (!start.isCertain('year') && start.isCertain('month')) return lastYear(input, date);
  if (!start.isCertain('day')) return { ok: true, date: addDays(date, -7) };
  return { ok: true, date };
}

/** The only result, and only when it spans the whole input: a partial match misreads the text. */
function wholeMatch(results: chrono.ParsedResult[], input: string): chrono.ParsedResult | undefined {
  const [only, ...more] = results;
  return only && more.length === 0 && only.index === 0 && only.text.length === input.length ? only : undefined;
}

/** chrono reads 13/1 as 13 January; the numbers must stay where they were written. */
function sameNumbers(start: chrono.ParsedComponents, explicit: RegExpExecArray): boolean {
  const [, year, month, day] = explicit;
  return start.get('month') === Number(month) && start.get('day') === Number(day) && (year === undefined || start.get('year') === Number(year));
}

function lastYear(input: string, date: IsoDate): UserDateResult {
  const { year, month, day } = dateParts(date);
  const earlier = dateFromParts(year - 1, month, day);
  return earlier ? { ok: true, date: earlier } : refuse(`去年没有「${input}」这一天`);
}

function refuse(problem: string): UserDateResult {
  return { ok: false, problem, hint: HINT };
}
