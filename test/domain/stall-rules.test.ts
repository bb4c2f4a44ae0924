import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar-date';
import {
  ACTIVE_STAGES,
  causeKey,
  detectStalls,
  type OpenMilestone,
  type StallCause,
  type StallRules,
  stallDescription,
  stallRulesSchema,
  stallThresholds,
} from '../../domain/stall-rules';
import type { ProjectStage } from '../../domain/vocabulary';
import { chinaCalendar as cal } from './china-calendar';

const rules: StallRules = stallRulesSchema.parse({});

const stalls = (
  stage: ProjectStage,
  lastActivityDay: string,
  today: string,
  milestones: OpenMilestone[] = [],
  reviewDate: string | null = null,
  r: StallRules = rules,
) => detectStalls({ stage, lastActivityDay, reviewDate }, milestones, today, r, cal);

describe('stallRulesSchema', () => {
  it('has the county defaults', () => {
    expect(rules).toEqual({
      inactiveWorkingDays: { lead: 10, negotiating: 20, signed: 30, started: 30, producing: 60 },
      overdueWorkingDays: 5,
    });
  });

  it('fills a partial object with the defaults', () => {
    expect(stallRulesSchema.parse({ inactiveWorkingDays: { lead: 5 } })).toEqual({
      inactiveWorkingDays: { lead: 5, negotiating: 20, signed: 30, started: 30, producing: 60 },
      overdueWorkingDays: 5,
    });
    expect(stallRulesSchema.parse({ overdueWorkingDays: 0 }).inactiveWorkingDays.producing).toBe(60);
  });

  it('ignores notes for the admin', () => {
    expect(stallRulesSchema.parse({ $comment: 'working days', inactiveWorkingDays: { $comment: 'by stage' } })).toEqual(rules);
  });

  it.each([
    ['a zero stage limit', { inactiveWorkingDays: { lead: 0 } }],
    ['a negative stage limit', { inactiveWorkingDays: { signed: -3 } }],
    ['a fractional stage limit', { inactiveWorkingDays: { started: 2.5 } }],
    ['a negative overdue limit', { overdueWorkingDays: -1 }],
    ['a limit written as text', { overdueWorkingDays: '5' }],
  ])('refuses %s', (_, input) => {
    expect(stallRulesSchema.safeParse(input).success).toBe(false);
  });
});

describe('causeKey', () => {
  it.each([
    [{ kind: 'inactive', lastActivityDay: '2026-09-01', workingDays: 12 }, 'inactive'],
    [{ kind: 'milestone_overdue', milestoneId: 42, name: '开工', dueDate: '2026-09-01', workingDays: 7 }, 'milestone-42'],
    [{ kind: 'review_due', reviewDate: '2026-09-01', workingDays: 1 }, 'review'],
  ] satisfies [StallCause, string][])('%j → %s', (cause, key) => {
    expect(causeKey(cause)).toBe(key);
  });

  it('tells two overdue milestones of one project apart, and not the same one on two days', () => {
    const a = { kind: 'milestone_overdue', milestoneId: 1, name: '开工', dueDate: '2026-09-01', workingDays: 7 } as const;
    expect(causeKey(a)).not.toBe(causeKey({ ...a, milestoneId: 2 }));
    expect(causeKey(a)).toBe(causeKey({ ...a, workingDays: 8 }));
  });
});

describe('detectStalls across 国庆 2026 (Sep 25–27 and Oct 1–7 off; Sep 20 and Oct 10 worked)', () => {
  // From Tue Sep 22: Sep 23, 24, 28, 29, 30, Oct 8, 9, 10 (Sat, worked), 12, 13 are working days 1–10.
  it('counts working days, not calendar days, of inactivity', () => {
    expect(stalls('lead', '2026-09-22', '2026-10-13')).toEqual([]);
    expect(stalls('lead', '2026-09-22', '2026-10-14')).toEqual([{ kind: 'inactive', lastActivityDay: '2026-09-22', workingDays: 11 }]);
  });

  it('gives each active stage its own limit', () => {
    for (const stage of ACTIVE_STAGES) {
      const limit = rules.inactiveWorkingDays[stage];
      const last = '2026-09-22';
      expect(stalls(stage, last, cal.addWorkingDays(last, limit)), `${stage} at its limit`).toEqual([]);
      expect(stalls(stage, last, cal.addWorkingDays(last, limit + 1)), `${stage} past it`).toHaveLength(1);
    }
  });

  it('stalls on a milestone overdue by more than the allowed working days', () => {
    const kaigong = { id: 9, name: '开工', dueDate: '2026-09-30' };
    expect(stalls('signed', '2026-10-12', '2026-10-13', [kaigong])).toEqual([]);
    expect(stalls('signed', '2026-10-12', '2026-10-14', [kaigong])).toEqual([
      { kind: 'milestone_overdue', milestoneId: 9, name: '开工', dueDate: '2026-09-30', workingDays: 6 },
    ]);
  });

  it('lists every cause, the most overdue milestone first, and leaves out those not overdue enough', () => {
    const milestones = [
      { id: 3, name: '投产', dueDate: '2026-10-12' },
      { id: 2, name: '环评批复', dueDate: '2026-09-01' },
      { id: 1, name: '开工', dueDate: '2026-09-20' },
      { id: 4, name: '达产', dueDate: '2027-06-30' },
    ];
    const causes = stalls('started', '2026-08-01', '2026-10-14', milestones);
    expect(causes.map(causeKey)).toEqual(['inactive', 'milestone-2', 'milestone-1']);
  });

  it('does not count a day off after the last activity', () => {
    // Sep 30 to Oct 7: seven days of holiday, no working day passed.
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-07')).toBe(0);
    const strict = stallRulesSchema.parse({ inactiveWorkingDays: { lead: 1 }, overdueWorkingDays: 0 });
    const signing = { id: 1, name: '签约', dueDate: '2026-09-30' };
    expect(stalls('lead', '2026-09-30', '2026-10-07', [signing], null, strict)).toEqual([]);
    expect(stalls('lead', '2026-09-30', '2026-10-08', [signing], null, strict).map(causeKey)).toEqual(['milestone-1']);
  });

  it.each(['at_capacity', 'lost'] as const)('never stalls a %s project', (stage) => {
    expect(stalls(stage, '2025-01-01', '2026-10-14', [{ id: 1, name: '达产', dueDate: '2025-06-01' }], '2026-01-01')).toEqual([]);
  });

  it('stalls a paused project only once today is past its review date, and for that alone', () => {
    const old = [{ id: 1, name: '开工', dueDate: '2025-06-01' }];
    expect(stalls('paused', '2025-01-01', '2026-10-08', old, '2026-10-08')).toEqual([]);
    expect(stalls('paused', '2025-01-01', '2026-10-09', old, '2026-10-08')).toEqual([{ kind: 'review_due', reviewDate: '2026-10-08', workingDays: 1 }]);
    // Past the review date on a day off: due, though no working day has passed yet.
    expect(stalls('paused', '2025-01-01', '2026-10-04', old, '2026-10-03')).toEqual([{ kind: 'review_due', reviewDate: '2026-10-03', workingDays: 0 }]);
    expect(stalls('paused', '2025-01-01', '2026-10-14', old, null)).toEqual([]);
  });
});

describe('stallThresholds', () => {
  it('gives the first day that is not yet stalled', () => {
    expect(stallThresholds('2026-10-14', rules, cal)).toEqual({
      inactiveBefore: {
        lead: '2026-09-23',
        negotiating: cal.addWorkingDays('2026-10-15', -21),
        signed: cal.addWorkingDays('2026-10-15', -31),
        started: cal.addWorkingDays('2026-10-15', -31),
        producing: cal.addWorkingDays('2026-10-15', -61),
      },
      overdueBefore: '2026-10-08',
    });
    // The first day back from 春节: Feb 24, 14 (Sat, worked), 13, 12, 11 are the last five.
    expect(stallThresholds('2026-02-24', rules, cal).overdueBefore).toBe('2026-02-10');
  });

  const ruleSets: [string, StallRules][] = [
    ['the defaults', rules],
    ['tight limits', stallRulesSchema.parse({ inactiveWorkingDays: { lead: 1, negotiating: 2, signed: 3, started: 5, producing: 7 }, overdueWorkingDays: 0 })],
  ];
  // Every day around both holidays, working or not, as today.
  const todays = [...Array.from({ length: 70 }, (_, i) => addDays('2026-01-20', i)), ...Array.from({ length: 60 }, (_, i) => addDays('2026-09-10', i))];

  it.each(ruleSets)('selects in SQL exactly the projects detectStalls finds inactive, with %s', (_, r) => {
    for (const today of todays) {
      const { inactiveBefore } = stallThresholds(today, r, cal);
      for (const stage of ACTIVE_STAGES) {
        for (let last = addDays(today, -100); last <= addDays(today, 3); last = addDays(last, 1)) {
          const found = stalls(stage, last, today, [], null, r).some((c) => c.kind === 'inactive');
          // Plain string comparison, as SQL compares the stored YYYY-MM-DD text.
          expect(last < inactiveBefore[stage], `${stage}, last activity ${last}, today ${today}`).toBe(found);
        }
      }
    }
  });

  it.each(ruleSets)('selects in SQL exactly the milestones detectStalls finds overdue, with %s', (_, r) => {
    for (const today of todays) {
      const { overdueBefore } = stallThresholds(today, r, cal);
      for (let due = addDays(today, -30); due <= addDays(today, 3); due = addDays(due, 1)) {
        const found = stalls('signed', today, today, [{ id: 1, name: '开工', dueDate: due }], null, r).length > 0;
        expect(due < overdueBefore, `due ${due}, today ${today}`).toBe(found);
      }
    }
  });
});

describe('stallDescription', () => {
  it('says how long a project has been inactive', () => {
    const text = stallDescription({ kind: 'inactive', lastActivityDay: '2026-09-22', workingDays: 12 });
    expect(text).toContain('12');
    expect(text).toContain('工作日');
  });

  it('names the overdue milestone and by how much', () => {
    const text = stallDescription({ kind: 'milestone_overdue', milestoneId: 1, name: '环评批复', dueDate: '2026-09-30', workingDays: 7 });
    expect(text).toContain('环评批复');
    expect(text).toContain('7');
    expect(text).toContain('逾期');
  });

  it('says the review date has passed', () => {
    const text = stallDescription({ kind: 'review_due', reviewDate: '2026-10-08', workingDays: 1 });
    expect(text).toContain('复核');
    expect(text).toContain('10月8日');
  });
});
