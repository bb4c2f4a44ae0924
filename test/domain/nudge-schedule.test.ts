import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar-date';
import { compareUrgency, type Nudge, type NudgeRules, nextNudgeDay, nudgeOn, nudgeRulesSchema, occasionLabel } from '../../domain/nudge-schedule';
import { chinaCalendar as cal } from './china-calendar';

const rules: NudgeRules = nudgeRulesSchema.parse({});

/** Every day from `from` to `to` with a nudge, as `day → label owner/group`. */
function schedule(due: string, from: string, to: string, r: NudgeRules = rules): Record<string, string> {
  const out: Record<string, string> = {};
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const nudge = nudgeOn(due, day, r, cal);
    if (nudge) out[day] = label(nudge);
  }
  return out;
}

function label(n: Nudge): string {
  return `${occasionLabel(n.occasion)}${n.owner ? ' owner' : ''}${n.group ? ' group' : ''}`;
}

describe('nudgeRulesSchema', () => {
  it('has the county defaults', () => {
    expect(rules).toEqual({ beforeWorkingDays: [7, 3, 1], onDueDate: true, overdueEveryWorkingDays: 3, groupOverdueEveryWorkingDays: 1 });
  });

  it.each([
    ['a negative offset', { beforeWorkingDays: [-1] }],
    ['a zero offset', { beforeWorkingDays: [0] }],
    ['a negative cadence', { overdueEveryWorkingDays: -1 }],
    ['a fractional cadence', { groupOverdueEveryWorkingDays: 1.5 }],
  ])('refuses %s', (_, input) => {
    expect(nudgeRulesSchema.safeParse(input).success).toBe(false);
  });
});

describe('occasionLabel', () => {
  it.each([
    [{ kind: 'before', workingDays: 7 }, 'b7'],
    [{ kind: 'due' }, 'd0'],
    [{ kind: 'overdue', workingDays: 4 }, 'o4'],
    [{ kind: 'overdue', workingDays: 12 }, 'o12'],
  ] as const)('%j → %s, fit for a job id', (occasion, label) => {
    expect(occasionLabel(occasion)).toBe(label);
    expect(label).toMatch(/^[a-z0-9]+$/u);
  });
});

describe('nudgeOn around 国庆 2026 (Sep 25–27 and Oct 1–7 off; Sep 20 and Oct 10 worked)', () => {
  it('reminds before, on and after a due date on Friday Oct 9', () => {
    expect(schedule('2026-10-09', '2026-09-15', '2026-10-16')).toEqual({
      '2026-09-22': 'b7 owner',
      '2026-09-29': 'b3 owner',
      '2026-10-08': 'b1 owner',
      '2026-10-09': 'd0 owner',
      '2026-10-10': 'o1 owner group',
      '2026-10-12': 'o2 group',
      '2026-10-13': 'o3 group',
      '2026-10-14': 'o4 owner group',
      '2026-10-15': 'o5 group',
      '2026-10-16': 'o6 group',
    });
  });

  it('brings the reminder of a due date on a holiday to the last working day before it, once', () => {
    expect(schedule('2026-10-03', '2026-09-15', '2026-10-12')).toEqual({
      '2026-09-21': 'b7 owner',
      '2026-09-28': 'b3 owner',
      '2026-09-30': 'd0 owner',
      '2026-10-08': 'o1 owner group',
      '2026-10-09': 'o2 group',
      '2026-10-10': 'o3 group',
      '2026-10-12': 'o4 owner group',
    });
  });

  it('counts a 调休 Sunday as a working day before the due date', () => {
    expect(nudgeOn('2026-09-30', '2026-09-20', rules, cal)).toEqual({ occasion: { kind: 'before', workingDays: 7 }, owner: true, group: false });
  });

  it('stays quiet on days off, whatever is due', () => {
    for (const day of ['2026-10-01', '2026-10-04', '2026-10-11', '2026-09-26']) {
      expect(nudgeOn('2026-10-01', day, rules, cal)).toBeNull();
    }
  });
});

describe('nudgeOn around 春节 2026 (Feb 15–23 off; Feb 14 and Feb 28 worked)', () => {
  it('reminds on the Saturday worked before the holiday and the one after', () => {
    expect(schedule('2026-02-24', '2026-02-01', '2026-03-03')).toEqual({
      '2026-02-06': 'b7 owner',
      '2026-02-12': 'b3 owner',
      '2026-02-14': 'b1 owner',
      '2026-02-24': 'd0 owner',
      '2026-02-25': 'o1 owner group',
      '2026-02-26': 'o2 group',
      '2026-02-27': 'o3 group',
      '2026-02-28': 'o4 owner group',
      '2026-03-02': 'o5 group',
      '2026-03-03': 'o6 group',
    });
  });

  it('gives a due date inside the holiday its reminder on Feb 14', () => {
    expect(nudgeOn('2026-02-18', '2026-02-14', rules, cal)?.occasion).toEqual({ kind: 'due' });
    expect(nudgeOn('2026-02-18', '2026-02-24', rules, cal)).toEqual({ occasion: { kind: 'overdue', workingDays: 1 }, owner: true, group: true });
  });
});

describe('nudgeOn with other rules', () => {
  it('follows the county cadences', () => {
    const r = nudgeRulesSchema.parse({ beforeWorkingDays: [2], onDueDate: false, overdueEveryWorkingDays: 2, groupOverdueEveryWorkingDays: 3 });
    expect(schedule('2026-11-04', '2026-10-26', '2026-11-13', r)).toEqual({
      '2026-11-02': 'b2 owner',
      '2026-11-05': 'o1 owner group',
      '2026-11-09': 'o3 owner',
      '2026-11-10': 'o4 group',
      '2026-11-11': 'o5 owner',
      '2026-11-13': 'o7 owner group',
    });
  });

  it('never tells the group when its cadence is 0', () => {
    const r = nudgeRulesSchema.parse({ groupOverdueEveryWorkingDays: 0 });
    expect(schedule('2026-11-04', '2026-11-05', '2026-11-13', r)).toEqual({
      '2026-11-05': 'o1 owner',
      '2026-11-10': 'o4 owner',
      '2026-11-13': 'o7 owner',
    });
  });

  it('gives the more urgent occasion when two offsets fall on one day', () => {
    const r = nudgeRulesSchema.parse({ beforeWorkingDays: [1, 2] });
    expect(nudgeOn('2026-10-03', '2026-09-30', r, cal)?.occasion).toEqual({ kind: 'due' });
    expect(nudgeOn('2026-10-03', '2026-09-29', r, cal)?.occasion).toEqual({ kind: 'before', workingDays: 2 });
  });
});

describe('nextNudgeDay', () => {
  it.each([
    ['2026-09-01', '2026-09-22', 'b7'],
    ['2026-09-22', '2026-09-22', 'b7'],
    ['2026-09-23', '2026-09-29', 'b3'],
    ['2026-10-01', '2026-10-08', 'b1'],
    ['2026-10-09', '2026-10-09', 'd0'],
    ['2026-10-10', '2026-10-10', 'o1'],
    ['2026-10-11', '2026-10-12', 'o2'],
    // 2027 is not covered: New Year's Day 2027, a Friday, counts as a working day.
    ['2027-01-04', '2027-01-04', 'o62'],
  ])('for Oct 9, from %s → %s (%s)', (from, day, label) => {
    const next = nextNudgeDay('2026-10-09', from, rules, cal);
    expect(next?.day).toBe(day);
    expect(next && occasionLabel(next.occasion)).toBe(label);
  });

  it('skips the group-only days when the group is never told', () => {
    const r = nudgeRulesSchema.parse({ groupOverdueEveryWorkingDays: 0 });
    expect(nextNudgeDay('2026-10-09', '2026-10-11', r, cal)).toEqual({ day: '2026-10-14', occasion: { kind: 'overdue', workingDays: 4 } });
  });

  it('is null only when nothing more can come', () => {
    const quiet = nudgeRulesSchema.parse({ overdueEveryWorkingDays: 0, groupOverdueEveryWorkingDays: 0 });
    expect(nextNudgeDay('2026-10-09', '2026-10-09', quiet, cal)?.day).toBe('2026-10-09');
    expect(nextNudgeDay('2026-10-09', '2026-10-10', quiet, cal)).toBeNull();
  });

  it('agrees with nudgeOn day by day, across both holidays and with several rule sets', () => {
    const ruleSets = [
      rules,
      nudgeRulesSchema.parse({ beforeWorkingDays: [5, 1], onDueDate: false, overdueEveryWorkingDays: 2, groupOverdueEveryWorkingDays: 0 }),
      nudgeRulesSchema.parse({ beforeWorkingDays: [], overdueEveryWorkingDays: 0, groupOverdueEveryWorkingDays: 4 }),
    ];
    for (const r of ruleSets) {
      for (const due of ['2026-10-03', '2026-10-09', '2026-02-18', '2026-02-24']) {
        for (let from = addDays(due, -20); from <= addDays(due, 15); from = addDays(from, 1)) {
          let day = from;
          while (!nudgeOn(due, day, r, cal)) day = addDays(day, 1);
          const nudge = nudgeOn(due, day, r, cal);
          expect(nextNudgeDay(due, from, r, cal), `${due} from ${from}`).toEqual({ day, occasion: nudge?.occasion });
        }
      }
    }
  });
});

describe('compareUrgency', () => {
  it('puts the most overdue first, then due today, then the soonest due', () => {
    const today = '2026-10-14';
    const dues = ['2026-10-20', '2026-10-14', '2026-10-01', '2026-10-15', '2026-09-30', '2027-01-01'];
    const sorted = dues.map((dueDate) => ({ dueDate, today })).sort(compareUrgency);
    expect(sorted.map((i) => i.dueDate)).toEqual(['2026-09-30', '2026-10-01', '2026-10-14', '2026-10-15', '2026-10-20', '2027-01-01']);
  });

  it('ties items due the same day', () => {
    expect(compareUrgency({ dueDate: '2026-10-14', today: '2026-10-14' }, { dueDate: '2026-10-14', today: '2026-10-14' })).toBe(0);
  });
});
