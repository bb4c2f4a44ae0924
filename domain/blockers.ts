/**
 * 落地服务: a problem holding a project up (问题) goes to the unit that can solve it, with a time
 * limit in working days; the unit accepts it (受理), sends it back as not theirs (退回), asks for
 * more time (申请延期) or reports it done (办结); the person who raised it confirms or reopens it,
 * and silence confirms. A joint meeting's decision (议定事项) follows the same track, and so does an
 * investor's complaint (投诉), which closes only with a written finding (有诉必查、有查必果).
 */
import { z } from 'zod';
import { compareDates, daysBetween, formatDateZh, type IsoDate } from './calendar-date';
import { type KeyedField, type MentionedPerson, readKeyedValues, replaceMentions, takeWord } from './key-values';
import type { InputProblem } from './lead-draft';
import { type CommandArgsResult, MAX_REASON_LENGTH, Reading } from './project-commands';
import { closestChoices, foldWidth, matchKey } from './text';
import type { WorkingCalendar } from './working-calendar';

/**
 * 问题 raised on a project, 议定事项 a joint meeting decided, or 承诺 the county made an investor
 * (kept rigidly: 承诺必须刚性兑现). All are held by a responsible unit, dated, reminded and chased.
 */
export const blockerTypes = ['blocker', 'decision', 'commitment'] as const;
export type BlockerType = (typeof blockerTypes)[number];

/**
 * 待受理 → 办理中 → 待确认 → 已解决; 退回 waits for the coordinators to name another unit; a decision
 * taken again at a later meeting is 已更新 (the new decision carries it on).
 */
export const blockerStatuses = ['open', 'accepted', 'returned', 'resolved', 'closed', 'superseded'] as const;
export type BlockerStatus = (typeof blockerStatuses)[number];

const STATUS_NAMES: Readonly<Record<BlockerStatus, string>> = {
  open: '待受理',
  accepted: '办理中',
  returned: '已退回',
  resolved: '待确认',
  closed: '已解决',
  superseded: '已由新议定事项接续',
};

export const statusName = (status: BlockerStatus) => STATUS_NAMES[status];

/** Not finished: the unit (or, once returned, the coordinators) still owes an answer. */
export const UNFINISHED: readonly BlockerStatus[] = ['open', 'accepted', 'returned', 'resolved'];
/** With the responsible unit: these are chased, reminded and climb the overdue ladder. */
export const WITH_UNIT: readonly BlockerStatus[] = ['open', 'accepted'];

/** A description is a sentence or two; a card shows it whole. */
export const MAX_DESCRIPTION_LENGTH = 300;
/** 办结 (what was done) and 查处结果 (a complaint's finding): a paragraph. */
export const MAX_OUTCOME_LENGTH = 500;
/** A kind's name as the county writes it (施工许可, 政策兑现). */
export const MAX_KIND_NAME = 10;
/** A time limit or a granted extension reaches at most this far, in calendar days. */
export const MAX_LIMIT_DAYS = 366;

const kindSchema = z.object({
  name: z.string().trim().min(1).max(MAX_KIND_NAME),
  /** The default time limit (办理时限), in working days from the day it is raised. */
  workingDays: z.number().int().positive().max(120),
  /** 投诉: supervisors see it at once, it closes only with a finding, only its raiser confirms. */
  complaint: z.boolean().default(false),
});

export type BlockerKind = z.infer<typeof kindSchema>;

const DEFAULT_KINDS: z.input<typeof kindSchema>[] = [
  { name: '用地', workingDays: 15 },
  { name: '规划', workingDays: 10 },
  { name: '环评', workingDays: 15 },
  { name: '施工许可', workingDays: 10 },
  { name: '用水', workingDays: 5 },
  { name: '用电', workingDays: 5 },
  { name: '用气', workingDays: 5 },
  { name: '道路', workingDays: 10 },
  { name: '融资', workingDays: 15 },
  { name: '用工', workingDays: 10 },
  { name: '政策兑现', workingDays: 10 },
  { name: '投诉', workingDays: 3, complaint: true },
  { name: '其他', workingDays: 10 },
];

/** A form offers every kind in one select; Lark counts each option as an element. */
const MAX_KINDS = 30;

/** Schema for the county's blocker rules (county.json `blockers`). */
export const blockerRulesSchema = z.object({
  kinds: z
    .array(kindSchema)
    .min(1)
    .max(MAX_KINDS)
    .prefault(DEFAULT_KINDS)
    .refine((kinds) => new Set(kinds.map((k) => matchKey(k.name))).size === kinds.length, 'kind names must be unique (ignoring case and width)'),
  /** The raiser confirms or reopens within this many working days of 办结; silence confirms. */
  confirmWorkingDays: z.number().int().positive().default(3),
  /** A joint meeting's decision is due this many working days after the meeting unless it says otherwise. */
  decisionWorkingDays: z.number().int().positive().default(10),
  /** The agenda takes every unfinished blocker raised more than this many working days before the meeting. */
  agendaAfterWorkingDays: z.number().int().positive().default(20),
});

export type BlockerRules = z.infer<typeof blockerRulesSchema>;

/** The kind named `name` (or written close to it), or what to write instead. */
export function findKind(rules: BlockerRules, name: string): { ok: true; kind: BlockerKind } | { ok: false; problem: string; hint: string } {
  const kind = rules.kinds.find((k) => matchKey(k.name) === matchKey(name));
  if (kind) return { ok: true, kind };
  const guess = closestChoices(
    name,
    rules.kinds.map((k) => ({ label: k.name, choice: k.name })),
  );
  return {
    ok: false,
    problem: `没有「${name}」这类问题`,
    hint: `${guess.length > 0 ? `是不是「${guess.join('」「')}」？` : ''}可选：${rules.kinds.map((k) => k.name).join('、')}`,
  };
}

/** The default time limit of a kind raised on `today`. */
export function defaultDueDate(kind: BlockerKind, today: IsoDate, cal: WorkingCalendar): IsoDate {
  return cal.addWorkingDays(today, kind.workingDays);
}

/** Why a chosen time limit (or an extension's new date) cannot be, if it cannot. */
export function dueDateProblem(dueDate: IsoDate, today: IsoDate, label = '办理时限', maxDays = MAX_LIMIT_DAYS): string | undefined {
  if (compareDates(dueDate, today) <= 0) return `${label} ${formatDateZh(dueDate)} 必须晚于今天`;
  if (daysBetween(today, dueDate) > maxDays) return `${label} ${formatDateZh(dueDate)} 超过 ${Math.round(maxDays / 365)} 年`;
  return undefined;
}

/** A correct `/问题` line. */
export const BLOCKER_EXAMPLE = '/问题 ZS-2026-0001 用电 10kV专线未接入，影响设备调试 单位:县供电公司 时限:2026-12-20';

/** `/问题 <编号> <类型> <描述> 单位:<责任单位> [时限:<日期>]`. */
export interface BlockerArgs {
  code: string;
  kind: BlockerKind;
  description: string;
  unitName: string;
  dueDate?: IsoDate;
}

const BLOCKER_KEYS = {
  unit: { label: '责任单位', keys: ['单位', '责任单位', 'unit'] },
  dueDate: { label: '办理时限', keys: ['时限', '期限', '办理时限', 'due'] },
} as const satisfies Record<string, KeyedField>;

const BLOCKER_KEY_HINTS: Readonly<Record<keyof typeof BLOCKER_KEYS, string>> = {
  unit: '写明能解决问题的单位。例：单位:县供电公司',
  dueDate: '写明办结日期，不写按该类问题的默认时限。例：时限:2026-12-20',
};

/** Reads a `/问题` line: kind and description first, then the responsible unit and an optional time limit. */
export function parseBlockerArgs(
  args: string,
  today: IsoDate,
  rules: BlockerRules,
  mentions: ReadonlyMap<string, MentionedPerson> = new Map(),
): CommandArgsResult<BlockerArgs> {
  const reading = new Reading(today, BLOCKER_EXAMPLE);
  const { head, values, problems } = readKeyedValues(replaceMentions(args, mentions), BLOCKER_KEYS, (f) => BLOCKER_KEY_HINTS[f]);
  reading.problems.push(...problems);
  const { code, rest } = reading.code(head);
  const { word, rest: description } = takeWord(rest);
  const found = word ? findKind(rules, word) : undefined;
  if (!found) reading.problem('kind', '缺少问题类型', `可选：${rules.kinds.map((k) => k.name).join('、')}。例：${BLOCKER_EXAMPLE}`);
  else if (!found.ok) reading.problem('kind', found.problem, found.hint);
  if (found?.ok && description === '') reading.problem('description', '缺少问题描述', `在类型后写明问题。例：${BLOCKER_EXAMPLE}`);
  reading.limited('description', '问题描述', description, MAX_DESCRIPTION_LENGTH);
  if (!values.unit) reading.missing('unit', '缺少责任单位', `${BLOCKER_KEY_HINTS.unit}；完整示例：${BLOCKER_EXAMPLE}`);
  const dueDate = values.dueDate ? reading.date('dueDate', '办理时限', values.dueDate) : undefined;
  const late = dueDate && dueDateProblem(dueDate, today);
  if (late) reading.problem('dueDate', late, `不写时限即按该类问题的默认期限。例：${BLOCKER_EXAMPLE}`);
  const unitName = values.unit ?? '';
  return reading.result(code && found?.ok && unitName ? { code, kind: found.kind, description, unitName, dueDate } : undefined);
}

/** What a blocker's rules need of it. */
export interface BlockerFacts {
  type: BlockerType;
  status: BlockerStatus;
  complaint: boolean;
  dueDate: IsoDate;
  raisedBy: string;
  unitId: number;
  handlerOpenId: string | null;
  /** The day 办结 was reported, while it waits for confirmation. */
  resolvedDay: IsoDate | null;
  /** A pending 申请延期. */
  extension: { dueDate: IsoDate; reason: string; requestedBy: string } | null;
}

/** The person asking, as the blocker rules see them. */
export interface BlockerActor {
  openId: string;
  role: string;
  unitId: number | null;
}

/** The people around a blocker's project. */
export interface BlockerParties {
  /** The responsible unit's head, as the roster names them. */
  unitHeadOpenId: string | null;
  /** The project's owner and 包抓领导. */
  ownerOpenId: string;
  leaderOpenId: string | null;
}

/** What someone does to a blocker. */
export type BlockerAction = 'accept' | 'return' | 'extend' | 'grant' | 'resolve' | 'confirm' | 'reopen' | 'reassign' | 'flag' | 'deliver';

const ACTION_NAMES: Readonly<Record<BlockerAction, string>> = {
  accept: '受理',
  return: '退回',
  extend: '申请延期',
  grant: '审批延期',
  resolve: '办结',
  confirm: '确认解决',
  reopen: '重新打开',
  reassign: '改派责任单位',
  flag: '提交联席会议',
  deliver: '兑现',
};

/** The states each action starts from. */
const ACTION_FROM: Readonly<Record<BlockerAction, readonly BlockerStatus[]>> = {
  accept: ['open'],
  return: ['open', 'accepted'],
  extend: ['open', 'accepted'],
  grant: ['open', 'accepted'],
  resolve: ['open', 'accepted'],
  confirm: ['resolved'],
  reopen: ['resolved'],
  reassign: ['returned'],
  flag: ['open', 'accepted', 'returned'],
  deliver: ['open'],
};

/**
 * A commitment is the county's word, not a request a unit may take or leave: it is delivered (兑现),
 * never accepted, sent back, extended or reported done; a blocker or decision is never 兑现.
 */
const typeTakes = (type: BlockerType, action: BlockerAction) => (type === 'commitment' ? ['deliver', 'flag'].includes(action) : action !== 'deliver');

const isAdmin = (a: BlockerActor) => a.role === 'admin';
const isCoordinator = (a: BlockerActor) => a.role === 'coordinator' || isAdmin(a);

/** The responsible unit's head, as the roster names them, or anyone with that role in the unit. */
const headsUnit = (a: BlockerActor, b: BlockerFacts, p: BlockerParties) => a.openId === p.unitHeadOpenId || (a.role === 'unit_head' && a.unitId === b.unitId);

/**
 * An admin; or, for a unit the roster names no head for, the coordinators, who get its cards
 * (the blocker would otherwise wait for a head nobody can be).
 */
const standsIn = (a: BlockerActor, p: BlockerParties) => isAdmin(a) || (p.unitHeadOpenId === null && isCoordinator(a));

/** The responsible unit's head, or the person it handed the blocker to. */
const holds = (a: BlockerActor, b: BlockerFacts, p: BlockerParties) =>
  a.openId === p.unitHeadOpenId || (b.handlerOpenId !== null && a.openId === b.handlerOpenId) || (a.role === 'unit_head' && a.unitId === b.unitId);

/** Who may take each action, as a rule and in words. */
const ACTION_RULES: Readonly<
  Record<BlockerAction, { may: (a: BlockerActor, b: BlockerFacts, p: BlockerParties) => boolean; who: (b: BlockerFacts) => string }>
> = {
  accept: { may: (a, b, p) => headsUnit(a, b, p) || standsIn(a, p), who: () => '责任单位负责人' },
  return: { may: (a, b, p) => headsUnit(a, b, p) || standsIn(a, p), who: () => '责任单位负责人' },
  extend: { may: (a, b, p) => holds(a, b, p) || standsIn(a, p), who: () => '责任单位负责人或承办人' },
  resolve: { may: (a, b, p) => holds(a, b, p) || standsIn(a, p), who: () => '责任单位负责人或承办人' },
  grant: { may: (a, _b, p) => isCoordinator(a) || a.openId === p.leaderOpenId, who: () => '招商服务中心或项目的包抓领导' },
  confirm: {
    may: (a, b, p) => a.openId === b.raisedBy || (!b.complaint && (a.openId === p.ownerOpenId || isAdmin(a))),
    who: (b) => (b.complaint ? '提出投诉的人' : '提出问题的人或项目负责人'),
  },
  reopen: {
    may: (a, b, p) => a.openId === b.raisedBy || (!b.complaint && (a.openId === p.ownerOpenId || isAdmin(a))),
    who: (b) => (b.complaint ? '提出投诉的人' : '提出问题的人或项目负责人'),
  },
  reassign: { may: (a) => isCoordinator(a), who: () => '招商服务中心' },
  flag: {
    may: (a, b, p) => holds(a, b, p) || isCoordinator(a) || a.role === 'supervisor' || [b.raisedBy, p.ownerOpenId, p.leaderOpenId].includes(a.openId),
    who: () => '提出人、项目负责人、责任单位、包抓领导、招商服务中心或督查组',
  },
  deliver: { may: (a, b, p) => holds(a, b, p) || isCoordinator(a) || a.openId === p.ownerOpenId, who: () => '责任单位、项目负责人或招商服务中心' },
};

/** Why `actor` may not take `action` now, or undefined when they may. */
export function refusalFor(action: BlockerAction, actor: BlockerActor, blocker: BlockerFacts, parties: BlockerParties): string | undefined {
  if (!typeTakes(blocker.type, action)) return blocker.type === 'commitment' ? `承诺只能兑现，不能${ACTION_NAMES[action]}` : '只有承诺才能兑现';
  if (!ACTION_FROM[action].includes(blocker.status)) return `这件事${statusName(blocker.status)}，不能${ACTION_NAMES[action]}`;
  if (action === 'grant' && !blocker.extension) return '没有待审批的延期申请';
  const rule = ACTION_RULES[action];
  return rule.may(actor, blocker, parties) ? undefined : `只有${rule.who(blocker)}可以${ACTION_NAMES[action]}`;
}

/** The Chinese name of an action, for replies. */
export const actionName = (action: BlockerAction) => ACTION_NAMES[action];

/** Why a 办结 report cannot close it: a complaint needs its finding and who checked it. */
export function resolutionProblems(blocker: Pick<BlockerFacts, 'complaint'>, report: { outcome: string; finding: string; checkedBy: string }): InputProblem[] {
  const problems: InputProblem[] = [];
  const what = blocker.complaint ? '处理情况' : '办理结果';
  if (report.outcome.trim() === '') problems.push({ field: 'outcome', message: `请写明${what}`, hint: '如：已完成10kV专线接入，设备已通电' });
  if ([...report.outcome].length > MAX_OUTCOME_LENGTH) problems.push({ field: 'outcome', message: `${what}太长`, hint: `最多 ${MAX_OUTCOME_LENGTH} 字` });
  if (blocker.complaint) {
    if (report.finding.trim() === '') problems.push({ field: 'finding', message: '投诉须写明查处结果', hint: '有诉必查、有查必果：写明查实的情况和处理结果' });
    if ([...report.finding].length > MAX_OUTCOME_LENGTH) problems.push({ field: 'finding', message: '查处结果太长', hint: `最多 ${MAX_OUTCOME_LENGTH} 字` });
    if (report.checkedBy === '') problems.push({ field: 'checkedBy', message: '投诉须写明核查人', hint: '在人员选择框中选择核查人' });
  }
  return problems;
}

/** Why a 退回, 重新打开 or 延期 reason cannot be used, if it cannot. */
export function reasonProblem(reason: string, label: string): InputProblem | undefined {
  if (reason.trim() === '') return { field: 'reason', message: `请写明${label}`, hint: '一两句话说明即可' };
  if ([...reason].length > MAX_REASON_LENGTH) return { field: 'reason', message: `${label}太长`, hint: `最多 ${MAX_REASON_LENGTH} 字` };
  return undefined;
}

/** Overdue on `today`: still with the unit and past its time limit. */
export function isOverdue(b: Pick<BlockerFacts, 'status' | 'dueDate'>, today: IsoDate): boolean {
  return WITH_UNIT.includes(b.status) && compareDates(b.dueDate, today) < 0;
}

/** Whether a 办结 not answered since `resolvedDay` counts as confirmed on `today` (silence confirms). */
export function confirmedBySilence(resolvedDay: IsoDate, today: IsoDate, rules: BlockerRules, cal: WorkingCalendar): boolean {
  return cal.workingDaysBetween(resolvedDay, today) >= rules.confirmWorkingDays;
}

/** What a joint meeting's agenda item needs of a blocker or decision. */
export interface AgendaCandidate {
  id: number;
  type: BlockerType;
  status: BlockerStatus;
  dueDate: IsoDate;
  raisedDay: IsoDate;
  flagged: boolean;
  /** An unfinished decision already answers this blocker: the decision goes on the agenda instead. */
  hasOpenDecision: boolean;
}

/** Why an item is on the agenda, in words. */
export type AgendaReason = 'overdue' | 'old' | 'flagged' | 'decision';

const AGENDA_REASONS: Readonly<Record<AgendaReason, string>> = {
  overdue: '逾期未办结',
  old: '久拖未决',
  flagged: '提请联席会议',
  decision: '前次议定事项未落实',
};

export const agendaReasonName = (reason: AgendaReason) => AGENDA_REASONS[reason];

/**
 * Why an item goes on the agenda of a meeting held on `meetingDay`, or null: every unfinished
 * decision of earlier meetings, and unfinished blockers that are overdue, older than the county's
 * limit, or flagged, unless a decision already answers them.
 */
export function agendaReason(c: AgendaCandidate, meetingDay: IsoDate, rules: BlockerRules, cal: WorkingCalendar): AgendaReason | null {
  if (!UNFINISHED.includes(c.status)) return null;
  if (c.type === 'decision') return 'decision';
  if (c.hasOpenDecision) return null;
  if (c.flagged) return 'flagged';
  if (compareDates(c.dueDate, meetingDay) < 0 && c.status !== 'resolved') return 'overdue';
  if (cal.workingDaysBetween(c.raisedDay, meetingDay) > rules.agendaAfterWorkingDays) return 'old';
  return null;
}

/** A correct `/联席会议` line. */
export const MEETING_EXAMPLE = '/联席会议 2026-12-10 14:30 地点:县政府三楼会议室';
/** A meeting's place: a room and a building. */
export const MAX_PLACE_LENGTH = 50;

export interface MeetingArgs {
  day: IsoDate;
  time: string;
  place: string;
}

const MEETING_KEYS = { place: { label: '地点', keys: ['地点', '会议室', 'place'] } } as const satisfies Record<string, KeyedField>;

/** `/联席会议 <日期> <时间> 地点:<地点>`: a day after today, a time of day, and the place. */
export function parseMeetingArgs(args: string, today: IsoDate): CommandArgsResult<MeetingArgs> {
  const reading = new Reading(today, MEETING_EXAMPLE);
  const { head, values, problems } = readKeyedValues(args, MEETING_KEYS, () => `例：${MEETING_EXAMPLE}`);
  reading.problems.push(...problems);
  const { word: dayWord, rest } = takeWord(head);
  const day = dayWord ? reading.date('day', '会议日期', dayWord) : reading.problem('day', '缺少会议日期', `例：${MEETING_EXAMPLE}`);
  if (day && compareDates(day, today) <= 0)
    reading.problem('day', `会议日期 ${formatDateZh(day)} 必须晚于今天`, `议程在会前一个工作日发出。例：${MEETING_EXAMPLE}`);
  const { word: timeWord, rest: extra } = takeWord(rest);
  const time = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/u.exec(foldWidth(timeWord));
  if (!time) reading.problem('time', timeWord ? `「${timeWord}」不是时间` : '缺少会议时间', `时间写作 14:30。例：${MEETING_EXAMPLE}`);
  reading.nothingMore(extra);
  if (!values.place) reading.missing('place', '缺少会议地点', `例：${MEETING_EXAMPLE}`);
  reading.limited('place', '会议地点', values.place, MAX_PLACE_LENGTH);
  const hhmm = time ? `${time[1]!.padStart(2, '0')}:${time[2]}` : undefined;
  return reading.result(day && hhmm && values.place ? { day, time: hhmm, place: values.place } : undefined);
}

/** The day a meeting's agenda goes out: 09:00 on the working day before it. */
export function agendaDay(meetingDay: IsoDate, cal: WorkingCalendar): IsoDate {
  return cal.previousWorkingDay(meetingDay, false);
}

/** What the listing rule needs of a blocker. */
export interface ListedBlocker {
  unitId: number;
  projectUnitId: number | null;
  raisedBy: string;
  handlerOpenId: string | null;
  leaderOpenId: string | null;
  ownerOpenId: string;
}

/**
 * Whether `reader` sees a blocker in `/问题清单`: coordinators, supervisors and admins see all; a
 * leader their projects' and the units they are in charge of; anyone else what their unit raised
 * (its projects) or was given, and what they raised, hold or own.
 */
export function mayListBlocker(reader: BlockerActor, b: ListedBlocker, ledUnitIds: ReadonlySet<number>): boolean {
  if (['coordinator', 'supervisor', 'admin'].includes(reader.role)) return true;
  if ([b.raisedBy, b.handlerOpenId, b.ownerOpenId, b.leaderOpenId].includes(reader.openId)) return true;
  if (reader.role === 'leader') return ledUnitIds.has(b.unitId);
  return reader.unitId !== null && (b.unitId === reader.unitId || b.projectUnitId === reader.unitId);
}

/** A correct `/问题清单` line. */
export const BLOCKER_LIST_EXAMPLE = '/问题清单 单位:县供电公司 逾期';

/** `/问题清单 [单位:…] [项目:…] [类型:…] [逾期] [全部]`. */
export interface BlockerListArgs {
  unitName?: string;
  code?: string;
  kind?: string;
  /** 类型:承诺 or 类型:议定事项 list those alone. */
  type?: BlockerType;
  overdueOnly: boolean;
  /** Finished ones too. */
  all: boolean;
}

const LIST_KEYS = {
  unit: { label: '单位', keys: ['单位', '责任单位', 'unit'] },
  project: { label: '项目', keys: ['项目', '编号', 'project'] },
  kind: { label: '类型', keys: ['类型', '类别', 'kind'] },
} as const satisfies Record<string, KeyedField>;

const LIST_WORDS = ['逾期', '全部'];

/** `类型:` names a kind of blocker, or one of these. */
const LISTED_TYPES: Readonly<Record<string, BlockerType>> = { 承诺: 'commitment', 议定事项: 'decision', 议定: 'decision' };

/** Reads the filters of `/问题清单`; the words 逾期 and 全部 may stand anywhere, before or after the keys. */
export function parseBlockerListArgs(args: string, today: IsoDate, rules: BlockerRules): CommandArgsResult<BlockerListArgs> {
  const reading = new Reading(today, BLOCKER_LIST_EXAMPLE);
  // A key's value runs to the next key: the standalone words come out first, so `单位:县供电公司 逾期` reads as meant.
  const tokens = args.split(/\s+/u).filter(Boolean);
  const words = tokens.filter((t) => LIST_WORDS.includes(t));
  const keyed = tokens.filter((t) => !LIST_WORDS.includes(t)).join(' ');
  const { head, values, problems } = readKeyedValues(
    keyed,
    LIST_KEYS,
    (f) => `例：${f === 'unit' ? BLOCKER_LIST_EXAMPLE : `/问题清单 ${LIST_KEYS[f].keys[0]}:…`}`,
  );
  reading.problems.push(...problems);
  const unknown = head.split(/\s+/u).filter(Boolean);
  if (unknown.length > 0) reading.problem('extra', `不认识「${unknown.join(' ')}」`, `可写 逾期、全部，或 单位:… 项目:… 类型:…。例：${BLOCKER_LIST_EXAMPLE}`);
  const code = values.project ? reading.code(values.project).code : undefined;
  const type = values.kind ? LISTED_TYPES[matchKey(values.kind)] : undefined;
  const kind = values.kind && !type ? findKind(rules, values.kind) : undefined;
  if (kind && !kind.ok) reading.problem('kind', kind.problem, `${kind.hint}，或 承诺、议定事项`);
  return reading.result({
    unitName: values.unit,
    code,
    kind: kind?.ok ? kind.kind.name : undefined,
    type,
    overdueOnly: words.includes('逾期'),
    all: words.includes('全部'),
  });
}
