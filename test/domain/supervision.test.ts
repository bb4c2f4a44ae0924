import { describe, expect, it } from 'vitest';
import { type FormResult, parseReassign, parseSummons, parseSupervisionOrder } from '../../domain/supervision';

// A Wednesday.
const today = '2026-10-14';

/** The fields with problems, or the value. */
function outcome<T>(result: FormResult<T>): T | string[] {
  return result.ok ? result.value : result.problems.map((p) => p.field);
}

describe('parseSupervisionOrder', () => {
  it.each([
    ['a picked date', '2026-10-30', '2026-10-30'],
    ['a picked date with the offset', '2026-10-30 +0800', '2026-10-30'],
    ['a typed date', '10月30日', '2026-10-30'],
    ['a typed weekday', '下周五', '2026-10-23'],
    ['tomorrow', '明天', '2026-10-15'],
  ])('reads %s', (_, dueDate, expected) => {
    expect(outcome(parseSupervisionOrder({ task: '  完成土地摘牌 ', dueDate }, today))).toEqual({ task: '完成土地摘牌', dueDate: expected });
  });

  it.each([
    ['no task', { dueDate: '2026-10-30' }, ['task']],
    ['a blank task', { task: '   ', dueDate: '2026-10-30' }, ['task']],
    ['a task too long', { task: '办'.repeat(201), dueDate: '2026-10-30' }, ['task']],
    ['no due date', { task: '完成摘牌' }, ['dueDate']],
    ['a due date today', { task: '完成摘牌', dueDate: today }, ['dueDate']],
    ['a due date past', { task: '完成摘牌', dueDate: '2026-10-01 +0800' }, ['dueDate']],
    ['a date that does not exist', { task: '完成摘牌', dueDate: '2026-02-30' }, ['dueDate']],
    ['text that is no date', { task: '完成摘牌', dueDate: '尽快' }, ['dueDate']],
    ['a value the card never sends', { task: ['完成摘牌'], dueDate: 20261030 }, ['task', 'dueDate']],
    ['both missing', {}, ['task', 'dueDate']],
  ])('refuses %s, naming every field wrong', (_, form, fields) => {
    expect(outcome(parseSupervisionOrder(form, today))).toEqual(fields);
  });

  it('accepts a task of exactly 200 characters', () => {
    expect(parseSupervisionOrder({ task: '办'.repeat(200), dueDate: '2026-10-30' }, today).ok).toBe(true);
  });

  it('says what is wrong and how to write it', () => {
    const result = parseSupervisionOrder({ task: '', dueDate: today }, today);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const p of result.problems) expect(p.message && p.hint).toBeTruthy();
  });
});

describe('parseSummons', () => {
  const form = { when: '2026-10-16 +0800', place: ' 县政府三楼会议室 ', attendees: ['ou_a', 'ou_b'], topic: '开工滞后' };

  it('reads a complete form', () => {
    expect(outcome(parseSummons(form, today))).toEqual({ when: '2026-10-16', place: '县政府三楼会议室', attendees: ['ou_a', 'ou_b'], topic: '开工滞后' });
  });

  it.each([
    ['one person as a string', 'ou_a', ['ou_a']],
    ['the same person twice', ['ou_a', ' ou_a'], ['ou_a']],
  ])('reads %s', (_, attendees, expected) => {
    expect(outcome(parseSummons({ ...form, attendees }, today))).toMatchObject({ attendees: expected });
  });

  it('allows a summons today and leaves the place out when none is given', () => {
    const value = outcome(parseSummons({ ...form, when: today, place: '' }, today));
    expect(value).toEqual({ when: today, attendees: ['ou_a', 'ou_b'], topic: '开工滞后' });
    expect(value).not.toHaveProperty('place');
  });

  it.each([
    ['nobody', { attendees: [] }, ['attendees']],
    ['no attendees field', { attendees: undefined }, ['attendees']],
    ['a picker value that is not an open_id', { attendees: [{ id: 'ou_a' }] }, ['attendees']],
    ['a date past', { when: '2026-10-13' }, ['when']],
    ['no topic', { topic: '' }, ['topic']],
    ['a place too long', { place: '会'.repeat(101) }, ['place']],
    ['everything wrong', { when: '', attendees: [], topic: ' ', place: 3 }, ['when', 'place', 'attendees', 'topic']],
  ])('refuses %s', (_, change, fields) => {
    expect(outcome(parseSummons({ ...form, ...change }, today))).toEqual(fields);
  });
});

describe('parseReassign', () => {
  it.each([
    ['an open_id', 'ou_new'],
    ['an array of one', ['ou_new']],
  ])('reads %s', (_, newOwner) => {
    expect(outcome(parseReassign({ newOwner, reason: ' 原负责人调岗 ' }))).toEqual({ newOwner: 'ou_new', reason: '原负责人调岗' });
  });

  it.each([
    ['two people', { newOwner: ['ou_a', 'ou_b'], reason: '调岗' }, ['newOwner']],
    ['nobody', { newOwner: [], reason: '调岗' }, ['newOwner']],
    ['no reason', { newOwner: 'ou_a' }, ['reason']],
    ['a reason too long', { newOwner: 'ou_a', reason: '因'.repeat(201) }, ['reason']],
    ['nothing', {}, ['newOwner', 'reason']],
  ])('refuses %s', (_, form, fields) => {
    expect(outcome(parseReassign(form))).toEqual(fields);
  });
});
