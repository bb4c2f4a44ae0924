import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_LENGTH, MAX_OUTCOME_LENGTH } from '../../domain/blockers';
import { addDays, formatDateZh } from '../../domain/calendar-date';
import { parseCommandLine } from '../../domain/command-line';
import {
  COMMITMENT_EXAMPLE,
  deliveryProblem,
  FULFIL_EXAMPLE,
  isKept,
  keptOn,
  MAX_COMMITMENT_DAYS,
  type Promised,
  parseCommitmentArgs,
  parseFulfilArgs,
} from '../../domain/commitments';
import type { InputProblem } from '../../domain/lead-draft';
import { MAX_REASON_LENGTH } from '../../domain/project-commands';
import { fields, mentions, problemsOf, today, valueIn } from './command-args';

const problemOn = (problems: InputProblem[], field: string) => problems.find((p) => p.field === field);

/** The rest of a command line after its command word, as the dispatcher hands it on. */
const argsOf = (line: string) => parseCommandLine(line)?.rest ?? '';

const P = 'ZS-2026-0001';
/** A `/承诺` line with all it needs, the parts given replacing the defaults. */
const commitmentLine = (parts: { promise?: string; basis?: string; unit?: string; due?: string; amount?: string } = {}) =>
  [
    P,
    parts.promise ?? '厂房租金前三年全免',
    parts.basis === undefined ? '' : `依据:${parts.basis}`,
    `单位:${parts.unit ?? '县工信局'}`,
    `时限:${parts.due ?? '2027-06-30'}`,
    parts.amount === undefined ? '' : `金额:${parts.amount}`,
  ]
    .filter(Boolean)
    .join(' ');

describe('/承诺', () => {
  it('the example parses after its command word', () => {
    expect(valueIn(parseCommitmentArgs(argsOf(COMMITMENT_EXAMPLE), today))).toEqual({
      code: P,
      promise: '厂房租金前三年全免',
      basis: '奖励办法第五条',
      unitName: '县工信局',
      dueDate: '2027-06-30',
      amountWan: 120,
    });
  });

  it.each([
    ['without basis or amount', `${P} 厂房租金前三年全免 单位:县工信局 时限:2027-06-30`, { basis: undefined, amountWan: undefined }],
    [
      'other keys, full-width colons',
      `zs-2026-1 厂房租金前三年全免 政策依据：会议纪要 责任单位：县工信局 兑现时限：2027/6/30 兑现金额：1.2亿`,
      { basis: '会议纪要', amountWan: 12_000 },
    ],
    ['the keys in another order', `${P} 厂房租金前三年全免 金额:120 时限:2027年6月30日 单位:县工信局`, { basis: undefined, amountWan: 120 }],
    ['an amount in 元', `${P} 厂房租金前三年全免 单位:县工信局 期限:2027-06-30 金额:500000元`, { basis: undefined, amountWan: 50 }],
  ])('reads one %s', (_, args, expected) => {
    expect(valueIn(parseCommitmentArgs(args, today))).toEqual({
      code: P,
      promise: '厂房租金前三年全免',
      unitName: '县工信局',
      dueDate: '2027-06-30',
      ...expected,
    });
  });

  it('keeps the whole promise, spaces and mentions written as names', () => {
    const value = valueIn(parseCommitmentArgs(`${P} 标准厂房 两栋 由 @_user_2 协调交付 单位:县工信局 时限:下周五`, today, mentions));
    expect(value).toMatchObject({ promise: '标准厂房 两栋 由 @张三 协调交付', dueDate: '2026-10-23' });
  });

  it(`takes a promise of ${MAX_DESCRIPTION_LENGTH} characters, a basis of ${MAX_REASON_LENGTH} and a 时限 ${MAX_COMMITMENT_DAYS} days on`, () => {
    const promise = '𠮷'.repeat(MAX_DESCRIPTION_LENGTH);
    const basis = '𠮷'.repeat(MAX_REASON_LENGTH);
    const due = addDays(today, MAX_COMMITMENT_DAYS);
    expect(valueIn(parseCommitmentArgs(commitmentLine({ promise, basis, due }), today))).toMatchObject({ promise, basis, dueDate: due });
  });

  it('reports a missing promise, unit and 时限 together, each with how to write it', () => {
    const problems = problemsOf(parseCommitmentArgs(P, today));
    expect(fields(problems)).toEqual(['promise', 'unit', 'dueDate']);
    expect(problemOn(problems, 'promise')?.hint).toContain(COMMITMENT_EXAMPLE);
    expect(problemOn(problems, 'unit')?.hint).toContain('单位:县工信局');
    expect(problemOn(problems, 'dueDate')?.hint).toContain('时限:2027-06-30');
  });

  it.each([
    ['no code', '', ['code', 'unit', 'dueDate']],
    ['a name for a code', '富硒茶 厂房租金前三年全免 单位:县工信局 时限:2027-06-30', ['code']],
    ['no promise', `${P} 单位:县工信局 时限:2027-06-30`, ['promise']],
    ['no unit', `${P} 厂房租金前三年全免 时限:2027-06-30`, ['unit']],
    ['an empty unit', commitmentLine({ unit: '' }), ['unit']],
    ['no 时限', `${P} 厂房租金前三年全免 单位:县工信局`, ['dueDate']],
    ['an unreadable 时限', commitmentLine({ due: '尽快' }), ['dueDate']],
    ['a day that does not exist', commitmentLine({ due: '2027-02-30' }), ['dueDate']],
    ['a 时限 today', commitmentLine({ due: today }), ['dueDate']],
    ['a past 时限', commitmentLine({ due: '2026-10-01' }), ['dueDate']],
    ['a 时限 more than five years away', commitmentLine({ due: addDays(today, MAX_COMMITMENT_DAYS + 1) }), ['dueDate']],
    ['an amount that is no amount', commitmentLine({ amount: '很多' }), ['amount']],
    ['a zero amount', commitmentLine({ amount: '0' }), ['amount']],
    ['a negative amount', commitmentLine({ amount: '-5万' }), ['amount']],
    ['an amount past 1 万亿元', commitmentLine({ amount: '2万亿' }), ['amount']],
    ['a basis too long', commitmentLine({ basis: '长'.repeat(MAX_REASON_LENGTH + 1) }), ['basis']],
    ['a promise too long', commitmentLine({ promise: '长'.repeat(MAX_DESCRIPTION_LENGTH + 1) }), ['promise']],
    ['an unknown key', `${commitmentLine()} 颜色:红`, ['key']],
    ['the unit twice', `${commitmentLine()} 单位:县财政局`, ['unit']],
    ['everything wrong at once', '富硒茶 单位:县工信局 时限:2026-10-01 金额:很多 颜色:红', ['key', 'code', 'dueDate', 'amount']],
  ])('refuses %s', (_, args, expected) => {
    expect(fields(problemsOf(parseCommitmentArgs(args, today)))).toEqual(expected);
  });

  it('names the date of a past 时限 and of one too far, and shows how to write it', () => {
    const [past] = problemsOf(parseCommitmentArgs(commitmentLine({ due: '2026-10-01' }), today));
    expect(past?.message).toContain(formatDateZh('2026-10-01'));
    expect(past?.message).toContain('兑现时限');
    expect(past?.hint).toContain('时限:');
    const far = addDays(today, MAX_COMMITMENT_DAYS + 1);
    const [tooFar] = problemsOf(parseCommitmentArgs(commitmentLine({ due: far }), today));
    expect(tooFar?.message).toContain(formatDateZh(far));
    expect(tooFar?.message).toContain('兑现时限');
    expect(tooFar?.hint).toContain('时限:');
  });

  it('names the amount it cannot read, and shows how to write one', () => {
    const [problem] = problemsOf(parseCommitmentArgs(commitmentLine({ amount: '很多' }), today));
    expect(problem?.message).toContain('很多');
    expect(problem?.hint).toContain('金额:120万');
  });

  it('names the length allowed for a long basis', () => {
    const [problem] = problemsOf(parseCommitmentArgs(commitmentLine({ basis: '长'.repeat(MAX_REASON_LENGTH + 1) }), today));
    expect(`${problem?.message}${problem?.hint}`).toContain(String(MAX_REASON_LENGTH));
  });

  it('names the keys it knows for an unknown key', () => {
    const [problem] = problemsOf(parseCommitmentArgs(`${commitmentLine()} 颜色:红`, today));
    expect(problem?.message).toContain('颜色');
    for (const key of ['依据', '单位', '时限', '金额']) expect(problem?.hint).toContain(key);
  });
});

describe('/兑现', () => {
  it('the example parses after its command word: the first commitment, 40 万元, today', () => {
    expect(valueIn(parseFulfilArgs(argsOf(FULFIL_EXAMPLE), today))).toEqual({ code: P, number: 1, amountWan: 40, day: today, evidence: '租金减免协议已签订' });
  });

  it.each([
    ['1', 1],
    ['#1', 1],
    ['＃1', 1],
    ['第1项', 1],
    ['第1', 1],
    ['1项', 1],
    ['第１项', 1],
    ['12', 12],
    ['第12项', 12],
  ])('reads the commitment’s number written %j', (word, number) => {
    expect(valueIn(parseFulfilArgs(`${P} ${word} 40万 凭证:协议已签订`, today)).number).toBe(number);
  });

  it.each([
    ['amount, then date', '40万 2026-10-01'],
    ['date, then amount', '2026-10-01 40万'],
    ['a date in words, then an amount without unit', '10月1日 40'],
    ['an amount, then a date with 年', '400000元 2026年10月1日'],
  ])('reads the amount and the day in either order: %s', (_, words) => {
    expect(valueIn(parseFulfilArgs(`${P} 1 ${words} 凭证:协议已签订`, today))).toMatchObject({ amountWan: 40, day: '2026-10-01' });
  });

  it('takes today when no day is written, and no amount when none is', () => {
    expect(valueIn(parseFulfilArgs(`${P} 1 凭证:道路已通车`, today))).toEqual({ code: P, number: 1, amountWan: undefined, day: today, evidence: '道路已通车' });
    expect(valueIn(parseFulfilArgs(`${P} 1 昨天 证明:验收单`, today))).toMatchObject({ day: addDays(today, -1), evidence: '验收单' });
  });

  it(`takes evidence of ${MAX_OUTCOME_LENGTH} characters`, () => {
    const evidence = '𠮷'.repeat(MAX_OUTCOME_LENGTH);
    expect(valueIn(parseFulfilArgs(`${P} 1 凭证:${evidence}`, today)).evidence).toBe(evidence);
  });

  it.each([
    ['no code', '', ['code', 'evidence']],
    ['no number', `${P} 凭证:协议已签订`, ['number']],
    ['a number in words', `${P} 一 凭证:协议已签订`, ['number']],
    ['number 0', `${P} 0 凭证:协议已签订`, ['number']],
    ['part of a number', `${P} 1.5 凭证:协议已签订`, ['number']],
    ['a negative number', `${P} -1 凭证:协议已签订`, ['number']],
    ['a day tomorrow', `${P} 1 40万 明天 凭证:协议已签订`, ['day']],
    ['a day next year', `${P} 1 2027-01-05 凭证:协议已签订`, ['day']],
    ['an unreadable day', `${P} 1 40万 尽快 凭证:协议已签订`, ['day']],
    ['no evidence', `${P} 1 40万`, ['evidence']],
    ['an empty evidence', `${P} 1 40万 凭证:`, ['evidence']],
    ['evidence too long', `${P} 1 凭证:${'长'.repeat(MAX_OUTCOME_LENGTH + 1)}`, ['evidence']],
    ['a word after the amount and day', `${P} 1 40万 2026-10-01 多余 凭证:协议已签订`, ['extra']],
    ['two amounts', `${P} 1 40万 50万 凭证:协议已签订`, ['extra']],
    ['an unknown key', `${P} 1 40万 凭证:协议已签订 颜色:红`, ['key']],
  ])('refuses %s', (_, args, expected) => {
    expect(fields(problemsOf(parseFulfilArgs(args, today)))).toEqual(expected);
  });

  it('says a future day has not come, and that leaving it out means today', () => {
    const [problem] = problemsOf(parseFulfilArgs(`${P} 1 40万 明天 凭证:协议已签订`, today));
    expect(problem?.message).toContain(addDays(today, 1));
    expect(problem?.hint).toContain(FULFIL_EXAMPLE);
  });

  it('shows how to write the number and the evidence', () => {
    const [number] = problemsOf(parseFulfilArgs(`${P} 一 凭证:协议已签订`, today));
    expect(number?.message).toContain('一');
    expect(number?.hint).toContain(FULFIL_EXAMPLE);
    const [evidence] = problemsOf(parseFulfilArgs(`${P} 1 40万`, today));
    expect(evidence?.hint).toContain(FULFIL_EXAMPLE);
  });

  it('names the word too many', () => {
    const [problem] = problemsOf(parseFulfilArgs(`${P} 1 40万 50万 凭证:协议已签订`, today));
    expect(problem?.message).toContain('50万');
    expect(problem?.hint).toContain(FULFIL_EXAMPLE);
  });
});

const withAmount: Promised = { amountWan: 120, deliveredWan: 40, dueDate: '2026-12-31' };
const withoutAmount: Promised = { amountWan: null, deliveredWan: 0, dueDate: '2026-12-31' };

describe('deliveryProblem', () => {
  it.each([
    ['an amount delivered on an amount commitment, today', withAmount, { amountWan: 40, day: today }],
    ['a delivery dated in the past', withAmount, { amountWan: 40, day: '2026-09-01' }],
    ['a delivery after the due date (late, but delivered)', { ...withAmount, dueDate: '2026-10-01' }, { amountWan: 80, day: today }],
    ['more than what is left', withAmount, { amountWan: 500, day: today }],
    ['a commitment without an amount, delivered without one', withoutAmount, { day: today }],
    ['a commitment without an amount, delivered with one', withoutAmount, { amountWan: 10, day: today }],
  ])('accepts %s', (_, promised, delivery) => {
    expect(deliveryProblem(promised, delivery, today)).toBeUndefined();
  });

  it('asks for the amount delivered on a commitment with an amount, naming the promise', () => {
    const problem = deliveryProblem(withAmount, { day: today }, today);
    expect(problem).toMatch(/\p{Script=Han}/u);
    expect(problem).toContain('金额');
    expect(problem).toContain('120');
  });

  it('refuses a day that has not come, naming it, whatever the commitment', () => {
    const tomorrow = addDays(today, 1);
    for (const promised of [withAmount, withoutAmount]) expect(deliveryProblem(promised, { amountWan: 40, day: tomorrow }, today)).toContain(tomorrow);
  });
});

describe('isKept', () => {
  const sum = (amounts: number[]) => amounts.reduce((total, a) => total + a, 0);

  it.each([
    ['40 of 120', 40, false],
    ['119.99 of 120', 119.99, false],
    ['one 元 short of 120 万元', 119.9999, false],
    ['120 of 120', 120, true],
    ['more than promised', 130, true],
  ])('an amount commitment with %s delivered: %s', (_, delivered, kept) => {
    expect(isKept(withAmount, delivered)).toBe(kept);
  });

  it('is kept when partial deliveries add up to the promise despite float noise', () => {
    // 0.1 + 64.1 + 55.8 is 119.99999999999999 in floats, 0.7 + 0.1 is 0.7999999999999999.
    expect(sum([0.1, 64.1, 55.8])).toBeLessThan(120);
    expect(isKept(withAmount, sum([0.1, 64.1, 55.8]))).toBe(true);
    expect(sum([0.7, 0.1])).toBeLessThan(0.8);
    expect(isKept({ ...withAmount, amountWan: 0.8 }, sum([0.7, 0.1]))).toBe(true);
    expect(isKept(withAmount, sum([40, 80]))).toBe(true);
  });

  it('keeps a commitment without an amount by its first delivery, with or without an amount', () => {
    expect(isKept(withoutAmount, 0)).toBe(true);
    expect(isKept(withoutAmount, 10)).toBe(true);
  });
});

describe('keptOn', () => {
  it('is the day the deliveries, in date order, first reach the amount, a backdated one counting on its own day', () => {
    const deliveries = [
      { day: '2026-10-20', amountWan: 30 },
      { day: '2026-10-15', amountWan: 30 },
      { day: '2026-10-01', amountWan: 100 },
    ];
    expect(keptOn(120, deliveries)).toBe('2026-10-15');
    expect(keptOn(200, deliveries)).toBeNull();
  });

  it('is the first delivery’s day for a promise without an amount', () => {
    expect(keptOn(null, [{ day: '2026-11-03', amountWan: null }])).toBe('2026-11-03');
    expect(keptOn(null, [])).toBeNull();
  });
});
