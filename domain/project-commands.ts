/**
 * The arguments of the commands that follow a project after registering it (the bot has taken off
 * the `/word`): /进展, /阶段, /节点, /完成 and /项目. Each starts with a project code, then
 * positional words, then optional `key:value` pairs as in `/lead`.
 */

import { parseAmountWan } from './amount';
import { compareDates, type IsoDate } from './calendar-date';
import { type KeyedField, type MentionedPerson, readKeyedValues, replaceMentions, takeWord } from './key-values';
import type { InputProblem } from './lead-draft';
import { type MilestoneName, parseMilestoneName } from './milestones';
import { formatProjectCode, parseProjectCode } from './project-code';
import { parseStage, reviewDateProblem, STAGES, stageEntryRequirements, stageMoveExample } from './stages';
import { foldWidth } from './text';
import { type DatePreference, parseUserDate } from './user-date';
import type { ProjectStage } from './vocabulary';

/** Parsed arguments, or every problem found (never just the first). */
export type CommandArgsResult<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** `/进展 ZS-2026-0001 客商来县考察，已看厂址`. */
export interface ProgressArgs {
  /** Canonical project code (`ZS-2026-0001`). */
  code: string;
  note: string;
}

/** `/阶段 ZS-2026-0001 搁置 资金未到位 复核:2027-01-15`. */
export interface StageArgs {
  code: string;
  to: ProjectStage;
  note?: string;
  reason?: string;
  reviewDate?: IsoDate;
}

/** `/节点 ZS-2026-0001 开工 2027-03-01 原因:土地报批延迟`. */
export interface MilestoneArgs {
  code: string;
  milestone: MilestoneName;
  dueDate: IsoDate;
  reason?: string;
}

/** `/完成 ZS-2026-0001 开工 2027-03-05`. */
export interface DoneArgs {
  code: string;
  milestone: MilestoneName;
  doneDate: IsoDate;
}

/** `/项目 ZS-2026-0001`. */
export interface ProjectArgs {
  code: string;
}

/** A correct `/进展` line. */
export const PROGRESS_EXAMPLE = '/进展 ZS-2026-0001 客商来县考察，已看厂址';
/** A correct `/阶段` line. */
export const STAGE_EXAMPLE = '/阶段 ZS-2026-0001 签约';
/** A correct `/节点` line. */
export const MILESTONE_EXAMPLE = '/节点 ZS-2026-0001 开工 2027-03-01 原因:土地报批延迟';
/** A correct `/完成` line (without a date: done today). */
export const DONE_EXAMPLE = '/完成 ZS-2026-0001 开工';
/** A correct `/项目` line. */
export const PROJECT_EXAMPLE = '/项目 ZS-2026-0001';

/** How long a progress note (or a stage move's note) may be, in characters. */
export const MAX_NOTE_LENGTH = 1000;
/** How long a reason (搁置, 流失, moving a milestone, 暂缓) may be, in characters: one sentence. */
export const MAX_REASON_LENGTH = 200;

/** A text over `max` characters, as a problem that says how to fix it. */
export function lengthProblem(field: string, label: string, text: string, max: number): InputProblem | undefined {
  const length = [...text].length;
  return length > max ? { field, message: `${label}太长：${length} 字，最多 ${max} 字`, hint: `请精简到 ${max} 字以内` } : undefined;
}

const NO_MENTIONS: ReadonlyMap<string, MentionedPerson> = new Map();

/** The `key:value` pairs these commands take. */
const KEYED = {
  reason: { label: '原因', keys: ['原因', '理由', 'reason'] },
  reviewDate: { label: '复核日期', keys: ['复核', '复核日期', '复核时间', 'review'] },
  note: { label: '备注', keys: ['备注', '说明', 'note'] },
} as const satisfies Record<string, KeyedField>;

type KeyedName = keyof typeof KEYED;

const MILESTONE_KEYS = { reason: KEYED.reason };

const KEY_HINTS: Readonly<Record<KeyedName, string>> = {
  reason: '写明原因。例：原因:土地报批延迟',
  reviewDate: '写明哪天再看这个项目。例：复核:2027-01-15',
  note: '写其他需要说明的情况。例：备注:已报县政府常务会',
};

/**
 * The problems found so far and the parts read: each reader adds its problems and gives back
 * a value only when it read one.
 */
export class Reading {
  readonly problems: InputProblem[] = [];

  constructor(
    private readonly today: IsoDate,
    private readonly example: string,
  ) {}

  problem(field: string, message: string, hint: string): undefined {
    this.problems.push({ field, message, hint });
    return undefined;
  }

  /** The canonical project code in the first word, and the text after it. */
  code(text: string): { code: string | undefined; rest: string } {
    const { word, rest } = takeWord(text);
    const hint = `项目编号形如 ZS-2026-0001，写在命令后面。例：${this.example}`;
    if (word === '') return { code: this.problem('code', '缺少项目编号', hint), rest };
    const parts = parseProjectCode(word);
    if (!parts) return { code: this.problem('code', `「${word}」不是项目编号`, hint), rest };
    return { code: formatProjectCode(parts.year, parts.seq), rest };
  }

  date(field: string, label: string, text: string, prefer: DatePreference = 'future'): IsoDate | undefined {
    const result = parseUserDate(text, this.today, prefer);
    return result.ok ? result.date : this.problem(field, `${label}：${result.problem}`, result.hint);
  }

  /** A day something happened: today when not written, and never later than today. */
  pastDate(field: string, label: string, word: string): IsoDate | undefined {
    const day = word ? this.date(field, label, word, 'past') : this.today;
    if (day && compareDates(day, this.today) > 0) {
      return this.problem(field, `${label} ${day} 还没到`, `${label}不能晚于今天；不写日期即为今天。例：${this.example}`);
    }
    return day;
  }

  milestone(word: string): MilestoneName | undefined {
    if (word === '') return this.problem('milestone', '缺少节点名称', `例：${this.example}`);
    const result = parseMilestoneName(word);
    return result.ok ? result.milestone : this.problem('milestone', result.problem, result.hint);
  }

  /** `text` itself, unless it is longer than `max` characters. */
  limited(field: string, label: string, text: string | undefined, max: number): string | undefined {
    const problem = text === undefined ? undefined : lengthProblem(field, label, text, max);
    if (problem) this.problems.push(problem);
    return text;
  }

  /** A required part not given, unless a problem about it was reported already (an empty `原因:`). */
  missing(field: string, message: string, hint: string): void {
    if (!this.problems.some((p) => p.field === field)) this.problem(field, message, hint);
  }

  /** Nothing may follow the last positional word of a command that takes no free text. */
  nothingMore(rest: string): void {
    if (rest !== '') this.problem('extra', `多写了「${rest}」`, `例：${this.example}`);
  }

  /** Free text and a keyed value for the same thing: either one, not both. */
  oneOf(field: KeyedName, free: string, keyed: string | undefined): string | undefined {
    if (free && keyed) return this.problem(field, `${KEYED[field].label}写了两次`, `只写一处。${KEY_HINTS[field]}`);
    return keyed ?? (free || undefined);
  }

  result<T>(value: T | undefined): CommandArgsResult<T> {
    return value !== undefined && this.problems.length === 0 ? { ok: true, value } : { ok: false, problems: this.problems };
  }
}

/** Reads the `key:value` pairs a command takes, adding their problems to `reading`. */
function keyed<N extends KeyedName>(reading: Reading, text: string, fields: Readonly<Record<N, KeyedField>>) {
  const { head, values, problems } = readKeyedValues(text, fields, (field) => KEY_HINTS[field]);
  reading.problems.push(...problems);
  return { head, values };
}

/** `/进展 <编号> <进展>`: the note is everything after the code, as written. */
export function parseProgressArgs(args: string, today: IsoDate, mentions: ReadonlyMap<string, MentionedPerson> = NO_MENTIONS): CommandArgsResult<ProgressArgs> {
  const reading = new Reading(today, PROGRESS_EXAMPLE);
  const { code, rest } = reading.code(args);
  const note = replaceMentions(rest, mentions);
  if (note === '') reading.problem('note', '缺少进展内容', `在项目编号后写明进展。例：${PROGRESS_EXAMPLE}`);
  else reading.limited('note', '进展', note, MAX_NOTE_LENGTH);
  return reading.result(code ? { code, note } : undefined);
}

/**
 * `/阶段 <编号> <阶段> [说明]`. For 搁置 and 流失 the text after the stage is the reason (or
 * 原因:…), and 搁置 needs 复核:<日期>; for other stages it is a note (or 备注:…).
 */
export function parseStageArgs(args: string, today: IsoDate, mentions: ReadonlyMap<string, MentionedPerson> = NO_MENTIONS): CommandArgsResult<StageArgs> {
  const reading = new Reading(today, STAGE_EXAMPLE);
  const { head, values } = keyed(reading, replaceMentions(args, mentions), KEYED);
  const { code, rest } = reading.code(head);
  const { word, rest: free } = takeWord(rest);
  const to = readStage(reading, word);
  // An unknown stage has no requirements to check, but the rest is still read for its problems.
  const needs = to && stageEntryRequirements(to);
  const example = `例：${to ? stageMoveExample(to, today) : STAGE_EXAMPLE}`;
  const reason = reading.limited('reason', '原因', needs?.reason ? reading.oneOf('reason', free, values.reason) : values.reason, MAX_REASON_LENGTH);
  const note = reading.limited('note', '备注', needs?.reason ? values.note : reading.oneOf('note', free, values.note), MAX_NOTE_LENGTH);
  if (needs?.reason && !free && !values.reason) reading.missing('reason', `改为「${word}」需要写明原因`, example);

  const reviewDate = values.reviewDate && reading.date('reviewDate', '复核日期', values.reviewDate);
  if (reviewDate && needs && !needs.reviewDate) reading.problem('reviewDate', '只有搁置项目需要复核日期', example);
  if (!values.reviewDate && needs?.reviewDate) reading.missing('reviewDate', '搁置项目需要写明复核日期', example);
  const early = reviewDate && needs?.reviewDate && reviewDateProblem(reviewDate, today);
  if (early) reading.problem('reviewDate', early, example);

  return reading.result(code && to ? { code, to, note, reason, reviewDate } : undefined);
}

function readStage(reading: Reading, word: string): ProjectStage | undefined {
  const choices = `可选：${STAGES.map((s) => s.name).join('、')}。例：${STAGE_EXAMPLE}`;
  if (word === '') return reading.problem('stage', '缺少要改为的阶段', choices);
  const match = parseStage(word);
  if (match.ok) return match.stage;
  const guess = match.suggestions.length > 0 ? `是不是「${match.suggestions.join('」「')}」？` : '';
  reading.problems.push({ field: 'stage', message: `没有「${word}」这个阶段`, hint: `${guess}${choices}`, suggestions: match.suggestions });
  return undefined;
}

/** `/节点 <编号> <节点> <日期> [原因]`: a custom name may be quoted; text after the date is the reason. */
export function parseMilestoneArgs(
  args: string,
  today: IsoDate,
  mentions: ReadonlyMap<string, MentionedPerson> = NO_MENTIONS,
): CommandArgsResult<MilestoneArgs> {
  const reading = new Reading(today, MILESTONE_EXAMPLE);
  const { head, values } = keyed(reading, replaceMentions(args, mentions), MILESTONE_KEYS);
  const { code, rest } = reading.code(head);
  const { word: name, rest: afterName } = takeWord(rest);
  const milestone = reading.milestone(name);
  const { word: dateWord, rest: free } = takeWord(afterName);
  const dueDate = dateWord
    ? reading.date('dueDate', '计划日期', dateWord)
    : reading.problem('dueDate', '缺少计划日期', `在节点名称后写日期。例：${MILESTONE_EXAMPLE}`);
  const reason = reading.limited('reason', '改期原因', reading.oneOf('reason', free, values.reason), MAX_REASON_LENGTH);
  return reading.result(code && milestone && dueDate ? { code, milestone, dueDate, reason } : undefined);
}

/** `/完成 <编号> <节点> [日期]`: without a date, done today; a date without a year is the last one. */
export function parseDoneArgs(args: string, today: IsoDate): CommandArgsResult<DoneArgs> {
  const reading = new Reading(today, DONE_EXAMPLE);
  const { code, rest } = reading.code(args);
  const { word: name, rest: afterName } = takeWord(rest);
  const milestone = reading.milestone(name);
  const { word: dateWord, rest: extra } = takeWord(afterName);
  reading.nothingMore(extra);
  const doneDate = reading.pastDate('doneDate', '完成日期', dateWord);
  return reading.result(code && milestone && doneDate ? { code, milestone, doneDate } : undefined);
}

/** A correct `/到位` line. */
export const FUNDS_EXAMPLE = '/到位 ZS-2026-0001 3000万';
/** A correct `/就业` line. */
export const JOBS_EXAMPLE = '/就业 ZS-2026-0001 120';

/** Jobs from one entry above this are a typo, not a county project. */
const MAX_JOBS_PER_ENTRY = 100_000;

export interface FundsArgs {
  code: string;
  amountWan: number;
  day: IsoDate;
}

export interface JobsArgs {
  code: string;
  jobs: number;
  day: IsoDate;
}

/** `/到位 <编号> <金额> [日期]`: funds in place (到位资金), in 万元 as /线索 writes amounts. */
export function parseFundsArgs(args: string, today: IsoDate): CommandArgsResult<FundsArgs> {
  const reading = new Reading(today, FUNDS_EXAMPLE);
  const { code, rest } = reading.code(args);
  const { word: amountWord, rest: afterAmount } = takeWord(rest);
  const amount = amountWord ? parseAmountWan(amountWord) : undefined;
  if (!amount) reading.problem('amount', '缺少到位金额', `例：${FUNDS_EXAMPLE}`);
  else if (!amount.ok) reading.problem('amount', amount.problem, `金额写作 3000万、1.2亿 或 3000（万元）。例：${FUNDS_EXAMPLE}`);
  const { word: dateWord, rest: extra } = takeWord(afterAmount);
  reading.nothingMore(extra);
  const day = reading.pastDate('day', '到位日期', dateWord);
  return reading.result(code && amount?.ok && day ? { code, amountWan: amount.wan, day } : undefined);
}

/** `/就业 <编号> <人数> [日期]`: jobs the project created (就业岗位). */
export function parseJobsArgs(args: string, today: IsoDate): CommandArgsResult<JobsArgs> {
  const reading = new Reading(today, JOBS_EXAMPLE);
  const { code, rest } = reading.code(args);
  const { word: countWord, rest: afterCount } = takeWord(rest);
  const count = Number(foldWidth(countWord).replace(/[人个]$/u, ''));
  const jobs = countWord && Number.isInteger(count) && count >= 1 && count <= MAX_JOBS_PER_ENTRY ? count : undefined;
  if (!countWord) reading.problem('jobs', '缺少就业人数', `例：${JOBS_EXAMPLE}`);
  else if (jobs === undefined) reading.problem('jobs', `「${countWord}」不是就业人数`, `写一个正整数，如 120。例：${JOBS_EXAMPLE}`);
  const { word: dateWord, rest: extra } = takeWord(afterCount);
  reading.nothingMore(extra);
  const day = reading.pastDate('day', '日期', dateWord);
  return reading.result(code && jobs && day ? { code, jobs, day } : undefined);
}

/** `/项目 <编号>`. */
export function parseProjectArgs(args: string, today: IsoDate): CommandArgsResult<ProjectArgs> {
  const reading = new Reading(today, PROJECT_EXAMPLE);
  const { code, rest } = reading.code(args);
  reading.nothingMore(rest);
  return reading.result(code ? { code } : undefined);
}
