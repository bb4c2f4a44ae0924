import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar-date';
import {
  acknowledge,
  afterNotice,
  type EscalationActor,
  type EscalationLevel,
  type EscalationRules,
  escalationRulesSchema,
  type LadderChange,
  type LadderState,
  levelName,
  MAX_NEXT_STEP_DAYS,
  mayActOnNotice,
  mayViewEpisode,
  type NoticeAction,
  nextNotice,
  openLadder,
  seesEveryEpisode,
  snooze,
  whoMayAct,
} from '../../domain/escalation-ladder';
import type { ProjectParties } from '../../domain/permissions';
import { chinaCalendar as cal } from './china-calendar';

const rules: EscalationRules = escalationRulesSchema.parse({});

/** Something done to the episode on a day, before that day's scan. */
type Act = (state: LadderState, day: string) => LadderChange;

/**
 * The daily scan from `from` to `to`: each day, acts first, then what nextNotice sends, recorded as
 * `day → level round`. Every day it also checks that a second scan sends nothing.
 */
function scan(from: string, to: string, acts: Record<string, Act> = {}, state: LadderState = openLadder(rules)) {
  const sent: Record<string, string> = {};
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const act = acts[day];
    if (act) {
      const change = act(state, day);
      if (!change.ok) throw new Error(`${day}: ${change.problem}`);
      state = change.state;
    }
    const notice = nextNotice(state, day, cal);
    if (notice) {
      state = afterNotice(state, notice, day);
      sent[day] = `${state.ladder[notice.levelIndex]?.level} ${notice.round}`;
      expect(nextNotice(state, day, cal), `second scan on ${day}`).toBeNull();
    }
  }
  return { sent, state };
}

describe('escalationRulesSchema', () => {
  it('has the county defaults', () => {
    expect(rules).toEqual({
      ladder: [
        { level: 'owner', afterWorkingDays: 0 },
        { level: 'unit_head', afterWorkingDays: 3 },
        { level: 'leader', afterWorkingDays: 3 },
        { level: 'supervisors', afterWorkingDays: 5 },
      ],
      repeatEveryWorkingDays: 5,
      repeatLimit: 2,
      maxSnoozeDays: 14,
      buzzLevels: ['leader'],
    });
  });

  it('accepts a ladder that skips levels', () => {
    const ladder = [
      { level: 'owner', afterWorkingDays: 0 },
      { level: 'leader', afterWorkingDays: 2 },
    ];
    expect(escalationRulesSchema.parse({ ladder, repeatLimit: 0 })).toMatchObject({ ladder, repeatLimit: 0, repeatEveryWorkingDays: 5 });
  });

  it.each([
    ['an empty ladder', { ladder: [] }],
    ['a ladder not starting with the owner', { ladder: [{ level: 'unit_head', afterWorkingDays: 0 }] }],
    [
      'levels out of order',
      {
        ladder: [
          { level: 'owner', afterWorkingDays: 0 },
          { level: 'leader', afterWorkingDays: 3 },
          { level: 'unit_head', afterWorkingDays: 3 },
        ],
      },
    ],
    [
      'a level twice',
      {
        ladder: [
          { level: 'owner', afterWorkingDays: 0 },
          { level: 'leader', afterWorkingDays: 3 },
          { level: 'leader', afterWorkingDays: 3 },
        ],
      },
    ],
    ['a wait before the owner', { ladder: [{ level: 'owner', afterWorkingDays: 2 }] }],
    [
      'a later level told the same day',
      {
        ladder: [
          { level: 'owner', afterWorkingDays: 0 },
          { level: 'unit_head', afterWorkingDays: 0 },
        ],
      },
    ],
    [
      'an unknown level',
      {
        ladder: [
          { level: 'owner', afterWorkingDays: 0 },
          { level: 'mayor', afterWorkingDays: 3 },
        ],
      },
    ],
    ['a zero repeat cadence', { repeatEveryWorkingDays: 0 }],
    ['a negative repeat limit', { repeatLimit: -1 }],
    ['a zero snooze limit', { maxSnoozeDays: 0 }],
    ['an unknown buzz level', { buzzLevels: ['mayor'] }],
  ])('refuses %s', (_, input) => {
    expect(escalationRulesSchema.safeParse(input).success).toBe(false);
  });
});

describe('levelName', () => {
  it.each([
    ['owner', '负责人'],
    ['unit_head', '单位负责人'],
    ['leader', '包抓领导'],
    ['supervisors', '督查组'],
  ] as const)('%s → %s', (level, name) => {
    expect(levelName(level)).toBe(name);
  });
});

describe('openLadder', () => {
  it('starts with nobody told and copies the ladder, so later rule edits leave the episode alone', () => {
    const edited = escalationRulesSchema.parse({});
    const state = openLadder(edited);
    expect(state).toMatchObject({ levelIndex: -1, levelSince: null, round: 0, pausedUntil: null });
    edited.ladder[1]!.afterWorkingDays = 30;
    edited.ladder.pop();
    expect(state.ladder).toEqual(rules.ladder);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('nextNotice and afterNotice: the daily scan across 国庆 2026', () => {
  it('climbs after 3, 3 and 5 working days, then repeats twice at the top and stops', () => {
    expect(scan('2026-09-22', '2026-12-31').sent).toEqual({
      '2026-09-22': 'owner 0',
      '2026-09-28': 'unit_head 0',
      '2026-10-08': 'leader 0',
      '2026-10-14': 'supervisors 0',
      '2026-10-21': 'supervisors 1',
      '2026-10-28': 'supervisors 2',
    });
  });

  it('sends nothing on days off: an episode opened in the holiday is first told on the day back', () => {
    expect(Object.keys(scan('2026-10-01', '2026-10-13').sent)).toEqual(['2026-10-08', '2026-10-12']);
  });

  it('pauses until the next-step date, then resumes at the same level with a fresh wait', () => {
    const { sent, state } = scan('2026-09-22', '2026-10-20', { '2026-09-29': (s, day) => acknowledge(s, '2026-10-09', day) });
    expect(sent).toEqual({
      '2026-09-22': 'owner 0',
      '2026-09-28': 'unit_head 0',
      // Oct 9 is the next-step date; 3 working days on: Oct 10 (Sat, worked), 12, 13.
      '2026-10-13': 'leader 0',
      '2026-10-20': 'supervisors 0',
    });
    expect(state.pausedUntil).toBeNull();
  });

  it('resumes after a snooze that ends inside the holiday', () => {
    const { sent } = scan('2026-09-22', '2026-10-12', { '2026-09-29': (s, day) => snooze(s, 7, '客商出国考察', day, rules) });
    // Paused until Oct 6; working days after it: Oct 8, 9, 10.
    expect(sent).toEqual({ '2026-09-22': 'owner 0', '2026-09-28': 'unit_head 0', '2026-10-10': 'leader 0' });
  });

  it('counts the wait from the day the level was told when that is later than the pause', () => {
    const told: LadderState = { ...openLadder(rules), levelIndex: 1, levelSince: '2026-09-22', pausedUntil: '2026-09-10' };
    expect(nextNotice(told, '2026-09-24', cal)).toBeNull();
    expect(nextNotice(told, '2026-09-28', cal)).toEqual({ levelIndex: 2, round: 0 });
  });

  it('follows the ladder copied onto the episode', () => {
    const short = escalationRulesSchema.parse({
      ladder: [
        { level: 'owner', afterWorkingDays: 0 },
        { level: 'leader', afterWorkingDays: 1 },
      ],
      repeatEveryWorkingDays: 2,
      repeatLimit: 1,
    });
    expect(scan('2026-02-12', '2026-03-31', {}, openLadder(short)).sent).toEqual({
      '2026-02-12': 'owner 0',
      '2026-02-13': 'leader 0',
      // 春节: Feb 14 (Sat) is worked, Feb 15–23 off.
      '2026-02-24': 'leader 1',
    });
  });

  it('tells the top level once when repeats are off', () => {
    const once = escalationRulesSchema.parse({ repeatLimit: 0 });
    expect(Object.values(scan('2026-09-22', '2026-12-31', {}, openLadder(once)).sent)).toEqual(['owner 0', 'unit_head 0', 'leader 0', 'supervisors 0']);
  });

  it('sends only on working days and never twice a day, whatever the start day and pauses', () => {
    for (let start = '2026-01-05'; start <= '2026-03-31'; start = addDays(start, 3)) {
      const acts = { [addDays(start, 4)]: ((s, day) => acknowledge(s, addDays(day, 5), day)) satisfies Act };
      const { sent } = scan(start, addDays(start, 60), acts);
      expect(Object.keys(sent).every((day) => cal.isWorkingDay(day))).toBe(true);
    }
  });
});

describe('acknowledge', () => {
  const state = openLadder(rules);
  const today = '2026-10-14';

  it.each([
    ['tomorrow', addDays(today, 1)],
    ['a day off', '2026-10-18'],
    [`${MAX_NEXT_STEP_DAYS} days on`, addDays(today, MAX_NEXT_STEP_DAYS)],
  ])('pauses until %s', (_, date) => {
    expect(acknowledge(state, date, today)).toEqual({ ok: true, state: { ...state, pausedUntil: date } });
  });

  it.each([
    ['today', today],
    ['yesterday', addDays(today, -1)],
    ['too far ahead', addDays(today, MAX_NEXT_STEP_DAYS + 1)],
  ])('refuses %s, with a hint', (_, date) => {
    const result = acknowledge(state, date, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.hint).not.toBe('');
  });
});

describe('snooze', () => {
  const state = openLadder(rules);
  const today = '2026-10-14';

  it.each([1, 7, 14])('pauses for %i calendar days', (days) => {
    expect(snooze(state, days, '等待土地报批', today, rules)).toEqual({ ok: true, state: { ...state, pausedUntil: addDays(today, days) } });
  });

  it.each([
    ['no reason', 3, ''],
    ['a blank reason', 3, '  '],
    ['no days', 0, '等待报批'],
    ['more days than allowed', 15, '等待报批'],
    ['part of a day', 1.5, '等待报批'],
    ['negative days', -2, '等待报批'],
    ['a reason longer than 200 characters', 3, '等'.repeat(201)],
  ])('refuses %s, with a hint', (_, days, reason) => {
    const result = snooze(state, days, reason, today, rules);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.hint).not.toBe('');
  });

  it('follows the county limit', () => {
    expect(snooze(state, 20, '等待报批', today, escalationRulesSchema.parse({ maxSnoozeDays: 30 })).ok).toBe(true);
  });
});

const person = (openId: string, role: EscalationActor['role'] = 'official', unitId: number | null = null): EscalationActor => ({ openId, role, unitId });

describe('mayActOnNotice', () => {
  const addressed = 'ou_addressed';
  const all: NoticeAction[] = ['acknowledge', 'snooze', 'supervise', 'summon', 'reassign'];

  const offered: [EscalationLevel, NoticeAction[]][] = [
    ['owner', ['acknowledge', 'snooze']],
    ['unit_head', ['acknowledge', 'snooze', 'reassign']],
    ['leader', ['acknowledge', 'snooze', 'supervise', 'summon', 'reassign']],
    ['supervisors', ['acknowledge', 'snooze']],
  ];

  it.each(offered)('on a %s card the addressee may %j', (level, allowed) => {
    for (const action of all) {
      expect(mayActOnNotice(person(addressed, 'leader'), addressed, level, action), action).toBe(allowed.includes(action));
      expect(mayActOnNotice(person('ou_admin', 'admin'), addressed, level, action), `admin ${action}`).toBe(allowed.includes(action));
    }
  });

  it.each([
    ['another leader', person('ou_other', 'leader')],
    ['a coordinator', person('ou_c', 'coordinator')],
    ['a supervisor', person('ou_s', 'supervisor')],
    ['a unit head', person('ou_h', 'unit_head', 7)],
  ])('refuses %s acting on a card sent to someone else', (_, actor) => {
    for (const action of all) expect(mayActOnNotice(actor, addressed, 'leader', action)).toBe(false);
  });
});

describe('whoMayAct', () => {
  it('names the person the card was sent to', () => {
    expect(whoMayAct('acknowledge', 'unit_head')).toContain('单位负责人');
    expect(whoMayAct('snooze', 'supervisors')).toContain('督查组');
  });

  it('names the levels whose cards offer the action', () => {
    expect(whoMayAct('supervise', 'owner')).toContain('包抓领导');
    const reassign = whoMayAct('reassign', 'owner');
    expect(reassign).toContain('包抓领导');
    expect(reassign).toContain('单位负责人');
  });
});

describe('mayViewEpisode', () => {
  const parties: ProjectParties = { ownerOpenId: 'ou_owner', leaderOpenId: 'ou_leader', unitId: 7, unitHeadOpenId: 'ou_head' };

  it.each([
    ['the owner', person('ou_owner'), true],
    ['the assigned leader', person('ou_leader', 'leader'), true],
    ['another leader', person('ou_leader2', 'leader'), false],
    ['the unit head named for the project', person('ou_head', 'unit_head', 7), true],
    ['a unit head of the same unit', person('ou_head2', 'unit_head', 7), true],
    ['a unit head of another unit', person('ou_head3', 'unit_head', 8), false],
    ['a coordinator', person('ou_c', 'coordinator', 1), true],
    ['an admin', person('ou_a', 'admin'), true],
    ['a supervisor', person('ou_s', 'supervisor'), true],
    ['an official of another unit', person('ou_x', 'official', 8), false],
  ])('%s: %s', (_, actor, expected) => {
    expect(mayViewEpisode(actor, parties)).toBe(expected);
  });

  it.each([
    ['a coordinator', person('ou_c', 'coordinator', 1), true],
    ['an admin', person('ou_a', 'admin'), true],
    ['a supervisor', person('ou_s', 'supervisor'), true],
    ['a leader', person('ou_leader', 'leader'), false],
    ['a unit head', person('ou_head', 'unit_head', 7), false],
    ['an official', person('ou_owner', 'official', 7), false],
  ])('sees every project’s alarms, not only those they have a part in: %s, %s', (_, actor, expected) => {
    expect(seesEveryEpisode(actor)).toBe(expected);
  });
});
