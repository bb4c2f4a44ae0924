import { describe, expect, it } from 'vitest';
import {
  isPeriodOver,
  lastQuarterEndedBy,
  PERIOD_FORMS,
  type Period,
  type PeriodResult,
  parsePeriod,
  periodAsOf,
  previousPeriod,
  quarterOf,
} from '../../domain/periods';

const WEDNESDAY = '2026-10-14';

const Q3_2026: Period = { kind: 'quarter', from: '2026-07-01', to: '2026-09-30', label: '2026年第3季度' };
const Q4_2026: Period = { kind: 'quarter', from: '2026-10-01', to: '2026-12-31', label: '2026年第4季度' };
const Q4_2025: Period = { kind: 'quarter', from: '2025-10-01', to: '2025-12-31', label: '2025年第4季度' };
const OCTOBER_2026: Period = { kind: 'month', from: '2026-10-01', to: '2026-10-31', label: '2026年10月' };
const YEAR_2026: Period = { kind: 'year', from: '2026-01-01', to: '2026-12-31', label: '2026年' };
const YEAR_2025: Period = { kind: 'year', from: '2025-01-01', to: '2025-12-31', label: '2025年' };
const JULY_TO_SEPTEMBER: Period = { kind: 'range', from: '2026-07-01', to: '2026-09-30', label: '2026-07-01 至 2026-09-30' };

function periodOf(result: PeriodResult): Period {
  if (!result.ok) throw new Error(`expected a period, got ${result.problem}`);
  return result.period;
}

describe('parsePeriod', () => {
  it.each([
    ['', WEDNESDAY, Q4_2026],
    ['   ', WEDNESDAY, Q4_2026],
    ['2026Q3', WEDNESDAY, Q3_2026],
    ['2026q3', WEDNESDAY, Q3_2026],
    ['2026-Q3', WEDNESDAY, Q3_2026],
    ['２０２６Ｑ３', WEDNESDAY, Q3_2026],
    ['2026年第3季度', WEDNESDAY, Q3_2026],
    ['2026年 第3季度', WEDNESDAY, Q3_2026],
    ['2026年三季度', WEDNESDAY, Q3_2026],
    ['2026年第三季度', WEDNESDAY, Q3_2026],
    ['2026年3季度', WEDNESDAY, Q3_2026],
    ['2026Q1', WEDNESDAY, { kind: 'quarter', from: '2026-01-01', to: '2026-03-31', label: '2026年第1季度' }],
    ['2024年二季度', WEDNESDAY, { kind: 'quarter', from: '2024-04-01', to: '2024-06-30', label: '2024年第2季度' }],
    // Without a year: the latest such quarter that has begun.
    ['三季度', WEDNESDAY, Q3_2026],
    ['Q3', WEDNESDAY, Q3_2026],
    ['四季度', WEDNESDAY, Q4_2026],
    ['四季度', '2027-01-10', Q4_2026],
    ['本季度', WEDNESDAY, Q4_2026],
    ['这个季度', WEDNESDAY, Q4_2026],
    ['上季度', WEDNESDAY, Q3_2026],
    ['上一季度', WEDNESDAY, Q3_2026],
    ['上季度', '2026-02-01', Q4_2025],
    ['2026-10', WEDNESDAY, OCTOBER_2026],
    ['2026/10', WEDNESDAY, OCTOBER_2026],
    ['2026年10月', WEDNESDAY, OCTOBER_2026],
    ['2026年10月份', WEDNESDAY, OCTOBER_2026],
    ['10月', WEDNESDAY, OCTOBER_2026],
    ['本月', WEDNESDAY, OCTOBER_2026],
    ['这个月', WEDNESDAY, OCTOBER_2026],
    ['11月', WEDNESDAY, { kind: 'month', from: '2025-11-01', to: '2025-11-30', label: '2025年11月' }],
    ['2024-2', WEDNESDAY, { kind: 'month', from: '2024-02-01', to: '2024-02-29', label: '2024年2月' }],
    ['2026年2月', WEDNESDAY, { kind: 'month', from: '2026-02-01', to: '2026-02-28', label: '2026年2月' }],
    ['上月', WEDNESDAY, { kind: 'month', from: '2026-09-01', to: '2026-09-30', label: '2026年9月' }],
    ['上个月', '2026-01-05', { kind: 'month', from: '2025-12-01', to: '2025-12-31', label: '2025年12月' }],
    ['2026', WEDNESDAY, YEAR_2026],
    ['2026年', WEDNESDAY, YEAR_2026],
    ['2026年度', WEDNESDAY, YEAR_2026],
    ['今年', WEDNESDAY, YEAR_2026],
    ['本年度', WEDNESDAY, YEAR_2026],
    ['去年', WEDNESDAY, YEAR_2025],
    ['上一年', WEDNESDAY, YEAR_2025],
    ['2026-07-01~2026-09-30', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026-07-01～2026-09-30', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026-07-01至2026-09-30', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026-07-01 到 2026-09-30', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026年7月1日至2026年9月30日', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026/7/1~2026/9/30', WEDNESDAY, JULY_TO_SEPTEMBER],
    ['2026-07-01至今', WEDNESDAY, { kind: 'range', from: '2026-07-01', to: WEDNESDAY, label: '2026-07-01 至 2026-10-14' }],
    ['2026-10-14~2026-10-14', WEDNESDAY, { kind: 'range', from: WEDNESDAY, to: WEDNESDAY, label: '2026-10-14 至 2026-10-14' }],
    // A period under way may be asked for: it is ranked as it stands.
    ['2026-10-01~2026-12-31', WEDNESDAY, { kind: 'range', from: '2026-10-01', to: '2026-12-31', label: '2026-10-01 至 2026-12-31' }],
  ] satisfies [string, string, Period][])('%j on %s', (text, today, expected) => {
    expect(periodOf(parsePeriod(text, today))).toEqual(expected);
  });

  it.each([
    ['2026Q5', '看不懂「2026Q5」这个时段'],
    ['下季度', '看不懂「下季度」这个时段'],
    ['排名', '看不懂「排名」这个时段'],
    ['2026年3', '看不懂「2026年3」这个时段'],
    ['2027Q1', '2027年第1季度还没有开始'],
    ['2027', '2027年还没有开始'],
    ['2026-11-05~2026-12-31', '2026-11-05 至 2026-12-31还没有开始'],
    ['2026年13月', '没有13月'],
    ['2026-00', '没有0月'],
    ['2026-09-30~2026-07-01', '开始日期 2026-09-30 晚于结束日期 2026-07-01'],
    ['2026-11-01至今', '开始日期 2026-11-01 晚于结束日期 2026-10-14'],
    ['2026-02-30~2026-03-31', '没有「2026-02-30」这一天'],
    ['7月1日~9月30日', '「7月1日」不是带年份的日期，如 2026-07-01'],
  ])('refuses %j: %s', (text, problem) => {
    expect(parsePeriod(text, WEDNESDAY)).toEqual({ ok: false, problem, hint: `时段可写成 ${PERIOD_FORMS}；不写则为本季度` });
  });

  it('reads every form its hint offers', () => {
    for (const form of PERIOD_FORMS.split('、')) expect(parsePeriod(form, WEDNESDAY).ok).toBe(true);
  });
});

describe('previousPeriod', () => {
  it.each([
    [Q3_2026, { kind: 'quarter', from: '2026-04-01', to: '2026-06-30', label: '2026年第2季度' }],
    [{ kind: 'quarter', from: '2026-01-01', to: '2026-03-31', label: '2026年第1季度' }, Q4_2025],
    [
      { kind: 'month', from: '2026-01-01', to: '2026-01-31', label: '2026年1月' },
      { kind: 'month', from: '2025-12-01', to: '2025-12-31', label: '2025年12月' },
    ],
    [
      { kind: 'month', from: '2024-03-01', to: '2024-03-31', label: '2024年3月' },
      { kind: 'month', from: '2024-02-01', to: '2024-02-29', label: '2024年2月' },
    ],
    [YEAR_2026, YEAR_2025],
    // 92 days: 31 March, then April, May and June.
    [JULY_TO_SEPTEMBER, { kind: 'range', from: '2026-03-31', to: '2026-06-30', label: '2026-03-31 至 2026-06-30' }],
    [
      { kind: 'range', from: '2024-03-01', to: '2024-03-10', label: '2024-03-01 至 2024-03-10' },
      { kind: 'range', from: '2024-02-20', to: '2024-02-29', label: '2024-02-20 至 2024-02-29' },
    ],
    [
      { kind: 'range', from: '2026-03-01', to: '2026-03-01', label: '2026-03-01 至 2026-03-01' },
      { kind: 'range', from: '2026-02-28', to: '2026-02-28', label: '2026-02-28 至 2026-02-28' },
    ],
  ] satisfies [Period, Period][])('%j → %j', (period, expected) => {
    expect(previousPeriod(period)).toEqual(expected);
  });
});

describe('quarterOf', () => {
  it.each([
    ['2026-01-01', '2026年第1季度'],
    ['2026-03-31', '2026年第1季度'],
    ['2026-04-01', '2026年第2季度'],
    ['2026-09-30', '2026年第3季度'],
    ['2026-12-31', '2026年第4季度'],
  ])('%s is in %s', (date, label) => {
    expect(quarterOf(date).label).toBe(label);
  });

  it('spans the whole quarter', () => {
    expect(quarterOf('2026-08-15')).toEqual(Q3_2026);
  });
});

describe('isPeriodOver and periodAsOf', () => {
  it.each([
    ['2026-07-01', false, '2026-07-01'],
    ['2026-08-15', false, '2026-08-15'],
    ['2026-09-30', false, '2026-09-30'],
    ['2026-10-01', true, '2026-09-30'],
    [WEDNESDAY, true, '2026-09-30'],
  ])('2026年第3季度 on %s: over %s, facts as of %s', (today, over, asOf) => {
    expect(isPeriodOver(Q3_2026, today)).toBe(over);
    expect(periodAsOf(Q3_2026, today)).toBe(asOf);
  });
});

describe('lastQuarterEndedBy', () => {
  it.each([
    ['2026-10-01', Q3_2026],
    [WEDNESDAY, Q3_2026],
    ['2026-12-31', Q3_2026],
    ['2026-09-30', { kind: 'quarter', from: '2026-04-01', to: '2026-06-30', label: '2026年第2季度' }],
    ['2026-01-01', Q4_2025],
  ] satisfies [string, Period][])('on %s → %j', (today, expected) => {
    expect(lastQuarterEndedBy(today)).toEqual(expected);
  });
});
