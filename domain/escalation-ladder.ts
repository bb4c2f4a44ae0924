/**
 * Escalation (升级) of a stall warning, modelled on PagerDuty / Grafana OnCall: the owner hears
 * first, then the unit head, the 包抓领导 and the 督查组, each after some working days without an
 * acknowledgement, until someone acts. The ladder is copied onto the episode when it opens, so
 * later edits to the county's rules do not change an episode under way.
 */
import { z } from 'zod';
import { addDays, compareDates, daysBetween, formatDateZh, type IsoDate } from './calendar-date';
import { type Actor, mayChangeProject, type ProjectParties } from './permissions';
import { lengthProblem, MAX_REASON_LENGTH } from './project-commands';
import type { PersonRole } from './vocabulary';
import type { WorkingCalendar } from './working-calendar';

/** The rungs of a stall's ladder, lowest first. */
export const ESCALATION_LEVELS = ['owner', 'unit_head', 'leader', 'supervisors'] as const;

/**
 * The rungs of an overdue blocker's (or decision's) ladder: the responsible unit's head (or the
 * person handling it), then the unit's 分管领导 with the project's 包抓领导, then the 督查组.
 */
export const BLOCKER_LEVELS = ['holder', 'leaders', 'supervisors'] as const;

/** Who hears of a stall (负责人, 单位负责人, 包抓领导, 督查组) or of an overdue blocker. */
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number] | (typeof BLOCKER_LEVELS)[number];

const LEVEL_NAMES: Readonly<Record<EscalationLevel, string>> = {
  owner: '负责人',
  unit_head: '单位负责人',
  leader: '包抓领导',
  supervisors: '督查组',
  holder: '责任单位',
  leaders: '分管领导和包抓领导',
};

/** The Chinese name of a level: `leader` → 包抓领导. */
export function levelName(level: EscalationLevel): string {
  return LEVEL_NAMES[level];
}

/** One rung: who is told, and after how many working days without acknowledgement at the rung below. */
export interface LadderStep {
  level: EscalationLevel;
  /** Working days the previous level has to acknowledge before this one is told; 0 for the first. */
  afterWorkingDays: number;
}

/** The ladder's schema for one set of levels, defaulting to `ladder`; it starts at the first level. */
function ladderSchemaOf<const L extends readonly [EscalationLevel, ...EscalationLevel[]]>(levels: L, ladder: { level: L[number]; afterWorkingDays: number }[]) {
  const [firstLevel] = levels;
  return (
    z
      .array(z.object({ level: z.enum(levels), afterWorkingDays: z.number().int().min(0) }))
      // prefault, not default: each parse gets its own copy, so an edit to one never leaks into another.
      .prefault(ladder)
      .superRefine((steps, ctx) => {
        const [first] = steps;
        if (first?.level !== firstLevel) ctx.addIssue({ code: 'custom', message: `the ladder starts with ${firstLevel}` });
        else if (first.afterWorkingDays !== 0) ctx.addIssue({ code: 'custom', path: [0, 'afterWorkingDays'], message: `${firstLevel} is told at once: 0` });
        steps.forEach((step, i) => {
          const below = steps[i - 1];
          if (below === undefined) return;
          // Strictly upward also rules out repeats.
          if (levels.indexOf(step.level) <= levels.indexOf(below.level)) {
            ctx.addIssue({ code: 'custom', path: [i, 'level'], message: `levels go ${levels.join(' → ')}, each at most once` });
          }
          // A wait of 0 would tell two levels on one day, and a second scan that day would send again.
          if (step.afterWorkingDays < 1) ctx.addIssue({ code: 'custom', path: [i, 'afterWorkingDays'], message: 'wait at least 1 working day' });
        });
      })
  );
}

/** The rest of a ladder's rules: repeats at the top, snoozes and 加急. */
function rulesSchemaOf<const L extends readonly [EscalationLevel, ...EscalationLevel[]]>(
  levels: L,
  ladder: { level: L[number]; afterWorkingDays: number }[],
  buzz: L[number][],
) {
  return z.object({
    /** Who is told, in order; starts with the first level, each level at most once. */
    ladder: ladderSchemaOf(levels, ladder),
    /** At the top level, tell again every N working days… */
    repeatEveryWorkingDays: z.number().int().positive().default(5),
    /** …at most this many more times. */
    repeatLimit: z.number().int().min(0).default(2),
    /** 暂缓 lasts at most this many calendar days. */
    maxSnoozeDays: z.number().int().positive().default(14),
    /** Levels whose notices are sent urgent (加急). */
    buzzLevels: z.array(z.enum(levels)).prefault(buzz),
  });
}

/** Schema for the county's escalation rules (county.json `escalation`). */
export const escalationRulesSchema = rulesSchemaOf(
  ESCALATION_LEVELS,
  [
    { level: 'owner', afterWorkingDays: 0 },
    { level: 'unit_head', afterWorkingDays: 3 },
    { level: 'leader', afterWorkingDays: 3 },
    { level: 'supervisors', afterWorkingDays: 5 },
  ],
  ['leader'],
);

/** Schema for an overdue blocker's ladder (county.json `blockers.escalation`). */
export const blockerEscalationRulesSchema = rulesSchemaOf(
  BLOCKER_LEVELS,
  [
    { level: 'holder', afterWorkingDays: 0 },
    { level: 'leaders', afterWorkingDays: 3 },
    { level: 'supervisors', afterWorkingDays: 5 },
  ],
  ['leaders'],
);

/** The county's escalation rules. */
export interface EscalationRules {
  ladder: LadderStep[];
  repeatEveryWorkingDays: number;
  repeatLimit: number;
  maxSnoozeDays: number;
  buzzLevels: EscalationLevel[];
}

/** An episode's place on the ladder, as stored (JSON-friendly). */
export interface LadderState {
  /** Copied from the rules when the episode opened. */
  ladder: LadderStep[];
  /** Copied with the ladder: repeats at the top level. */
  repeatEveryWorkingDays: number;
  repeatLimit: number;
  /** The level last told; -1 before anyone is told. */
  levelIndex: number;
  /** The day the current level was last told. */
  levelSince: IsoDate | null;
  /** 0 for the first notice at this level; repeats at the top level count up. */
  round: number;
  /** Acknowledged or snoozed until this day; the climb goes on from it. */
  pausedUntil: IsoDate | null;
}

/** A notice to send: to the level at `levelIndex`, for the `round`-th time after the first. */
export interface LadderNotice {
  levelIndex: number;
  round: number;
}

/** A new episode's state, nobody told yet. */
export function openLadder(rules: EscalationRules): LadderState {
  return {
    ladder: rules.ladder.map((step) => ({ ...step })),
    repeatEveryWorkingDays: rules.repeatEveryWorkingDays,
    repeatLimit: rules.repeatLimit,
    levelIndex: -1,
    levelSince: null,
    round: 0,
    pausedUntil: null,
  };
}

/**
 * What to send on `today`, or null. Nothing on days off or while paused. The first notice goes to
 * the first level; then the wait at the current level counts in working days from the later of
 * the day it was told and the end of a pause, so the climb resumes where it was. Once the next
 * step's wait has passed, the next level is told; at the top, the notice repeats every
 * `repeatEveryWorkingDays` up to `repeatLimit` times. After {@link afterNotice} records a notice,
 * a second call on the same day gives null.
 */
export function nextNotice(state: LadderState, today: IsoDate, cal: WorkingCalendar): LadderNotice | null {
  const { ladder, levelIndex, levelSince, round, pausedUntil } = state;
  if (!cal.isWorkingDay(today) || (pausedUntil !== null && compareDates(today, pausedUntil) < 0)) return null;
  if (levelIndex < 0 || levelSince === null) return { levelIndex: 0, round: 0 };
  const since = pausedUntil !== null && compareDates(pausedUntil, levelSince) > 0 ? pausedUntil : levelSince;
  const waited = cal.workingDaysBetween(since, today);
  const next = ladder[levelIndex + 1];
  if (next) return waited >= next.afterWorkingDays ? { levelIndex: levelIndex + 1, round: 0 } : null;
  return round < state.repeatLimit && waited >= state.repeatEveryWorkingDays ? { levelIndex, round: round + 1 } : null;
}

/** The state once `notice` has been sent on `today`; a pause that led up to it is over. */
export function afterNotice(state: LadderState, notice: LadderNotice, today: IsoDate): LadderState {
  return { ...state, levelIndex: notice.levelIndex, round: notice.round, levelSince: today, pausedUntil: null };
}

/** A new state, or why the request was refused and how to ask right. */
export type LadderChange = { ok: true; state: LadderState } | { ok: false; problem: string; hint: string };

/** How far ahead an acknowledgement's next-step date may be, in calendar days. */
export const MAX_NEXT_STEP_DAYS = 60;

/**
 * 已阅 / 推进中: the climb pauses until `nextStepDate`, which must be after today and at most
 * {@link MAX_NEXT_STEP_DAYS} days away.
 */
export function acknowledge(state: LadderState, nextStepDate: IsoDate, today: IsoDate): LadderChange {
  const hint = `请填写今天之后 ${MAX_NEXT_STEP_DAYS} 天内的日期，如 ${addDays(today, 7)}`;
  if (compareDates(nextStepDate, today) <= 0) return { ok: false, problem: `下一步日期 ${formatDateZh(nextStepDate)} 必须晚于今天`, hint };
  if (daysBetween(today, nextStepDate) > MAX_NEXT_STEP_DAYS) {
    return { ok: false, problem: `下一步日期 ${formatDateZh(nextStepDate)} 太远`, hint: `${hint}；更久的安排请改为搁置项目` };
  }
  return { ok: true, state: { ...state, pausedUntil: nextStepDate } };
}

/** 暂缓: the climb pauses for `days` calendar days (1 to `rules.maxSnoozeDays`), for a stated reason. */
export function snooze(state: LadderState, days: number, reason: string, today: IsoDate, rules: EscalationRules): LadderChange {
  const max = rules.maxSnoozeDays;
  if (reason.trim() === '') return { ok: false, problem: '暂缓需要写明原因', hint: '如：客商本周出国考察，下周回来再谈' };
  const tooLong = lengthProblem('reason', '暂缓原因', reason, MAX_REASON_LENGTH);
  if (tooLong) return { ok: false, problem: tooLong.message, hint: tooLong.hint };
  if (!Number.isInteger(days) || days < 1 || days > max) {
    return { ok: false, problem: `暂缓天数必须是 1 到 ${max} 之间的整数`, hint: `最多暂缓 ${max} 天；更久请改为搁置项目` };
  }
  return { ok: true, state: { ...state, pausedUntil: addDays(today, days) } };
}

/** What a warning card's buttons do: 已阅, 暂缓, 督办, 约谈, 改派. */
export type NoticeAction = 'acknowledge' | 'snooze' | 'supervise' | 'summon' | 'reassign';

const ACTION_NAMES: Readonly<Record<NoticeAction, string>> = {
  acknowledge: '确认已阅',
  snooze: '暂缓',
  supervise: '督办',
  summon: '约谈',
  reassign: '改派负责人',
};

/** The levels whose cards offer each action. */
const ALL_LEVELS: readonly EscalationLevel[] = [...ESCALATION_LEVELS, ...BLOCKER_LEVELS];
const ACTION_LEVELS: Readonly<Record<NoticeAction, readonly EscalationLevel[]>> = {
  acknowledge: ALL_LEVELS,
  snooze: ALL_LEVELS,
  supervise: ['leader'],
  summon: ['leader'],
  reassign: ['leader', 'unit_head'],
};

/** A person acting on a warning; 督查组 members carry the role `supervisor`. */
export type EscalationActor = Omit<Actor, 'role'> & { role: PersonRole | 'supervisor' };

/**
 * Whether `actor` may take `action` on a card sent to `addressedTo` at `addressedLevel`: only the
 * person addressed or an admin, and 督办 and 约谈 only on a 包抓领导's card, 改派 on a 包抓领导's
 * or 单位负责人's.
 */
export function mayActOnNotice(actor: EscalationActor, addressedTo: string, addressedLevel: EscalationLevel, action: NoticeAction): boolean {
  return ACTION_LEVELS[action].includes(addressedLevel) && (actor.openId === addressedTo || actor.role === 'admin');
}

/** A sentence saying who may take `action` on a card sent at `addressedLevel`, for a refusal. */
export function whoMayAct(action: NoticeAction, addressedLevel: EscalationLevel): string {
  const name = ACTION_NAMES[action];
  const levels = ACTION_LEVELS[action];
  if (!levels.includes(addressedLevel)) return `只有${levels.map(levelName).join('或')}收到的预警可以${name}。`;
  return `只有收到这条预警的${levelName(addressedLevel)}或管理员可以${name}。`;
}

/**
 * Whether `actor` may see a project's warnings in `/预警`: its owner, its 包抓领导, its unit's head,
 * and 招商服务中心, 督查组 and admins for every project.
 */
export function mayViewEpisode(actor: EscalationActor, parties: ProjectParties): boolean {
  const { role } = actor;
  // Those answerable for a project are exactly those who may change it; the 督查组 sees all.
  return role === 'supervisor' || mayChangeProject({ ...actor, role }, parties);
}

/** Whether `actor` sees every project's warnings: those of a project they have no part in. */
export function seesEveryEpisode(actor: EscalationActor): boolean {
  return mayViewEpisode(actor, { ownerOpenId: '', leaderOpenId: null, unitId: null, unitHeadOpenId: null });
}
