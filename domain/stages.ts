/**
 * The pipeline stages (线索 → 洽谈 → 签约 → 开工 → 投产 → 达产, plus 搁置 and 流失) and the county's
 * rules for moving a project between them.
 */

import { addDays, compareDates, formatDateZh, type IsoDate } from './calendar-date';
import type { StandardMilestoneKind } from './milestones';
import { closestChoices, matchKey } from './text';
import type { ProjectStage } from './vocabulary';

/** One stage: its code, the county's name for it and other ways officials say it. */
export interface StageInfo {
  code: ProjectStage;
  name: string;
  aliases: readonly string[];
}

/** Every stage, in pipeline order, then 搁置 and 流失. */
export const STAGES: readonly StageInfo[] = [
  { code: 'lead', name: '线索', aliases: [] },
  { code: 'negotiating', name: '洽谈', aliases: ['意向', '在谈'] },
  { code: 'signed', name: '签约', aliases: ['已签约'] },
  { code: 'started', name: '开工', aliases: ['落地', '动工', '已开工'] },
  { code: 'producing', name: '投产', aliases: ['已投产'] },
  { code: 'at_capacity', name: '达产', aliases: ['达产达效', '达效'] },
  { code: 'paused', name: '搁置', aliases: ['暂缓', '暂停'] },
  { code: 'lost', name: '流失', aliases: ['外流', '外转', '外流外转'] },
];

/** `resume`: back to the stage the project was paused from. */
type MoveTarget = ProjectStage | 'resume';

/**
 * The county's rules: from each stage, where a project may go. An active stage moves one step
 * forward, or is paused or lost; a paused one resumes or is lost; 达产 and 流失 are final.
 */
const MOVES: Readonly<Record<ProjectStage, readonly MoveTarget[]>> = {
  lead: ['negotiating', 'paused', 'lost'],
  negotiating: ['signed', 'paused', 'lost'],
  signed: ['started', 'paused', 'lost'],
  started: ['producing', 'paused', 'lost'],
  producing: ['at_capacity', 'paused', 'lost'],
  at_capacity: [],
  paused: ['resume', 'lost'],
  lost: [],
};

/** What a move into a stage must say: why (for review and 责任倒查), and when to look again. */
export interface StageEntryRequirements {
  reason: boolean;
  reviewDate: boolean;
}

const ENTRY: Partial<Record<ProjectStage, StageEntryRequirements & { exampleReason: string }>> = {
  paused: { reason: true, reviewDate: true, exampleReason: '资金未到位' },
  lost: { reason: true, reviewDate: false, exampleReason: '客商转投邻县' },
};

/** How far ahead the example review date is. */
const EXAMPLE_REVIEW_DAYS = 30;

/** The milestone a move into a stage completes. */
const COMPLETES: Partial<Record<ProjectStage, StandardMilestoneKind>> = {
  signed: 'signed',
  started: 'started',
  producing: 'producing',
  at_capacity: 'at_capacity',
};

const STAGE_BY_CODE = new Map(STAGES.map((s) => [s.code, s]));

/** Every way of writing each stage: name, aliases and code. */
const STAGE_LABELS = STAGES.flatMap((s) => [s.name, ...s.aliases, s.code].map((label) => ({ label, choice: s.name, stage: s.code })));

/** The Chinese name of a stage: `signed` → 签约. */
export function stageName(stage: ProjectStage): string {
  return STAGE_BY_CODE.get(stage)?.name ?? stage;
}

/** A stage read from a name, alias or code, or up to three stage names that look like the text. */
export type StageMatch = { ok: true; stage: ProjectStage } | { ok: false; suggestions: string[] };

/** Reads a stage as officials write it: 签约, 落地, 达产达效, 外流, or the code. */
export function parseStage(text: string): StageMatch {
  const wanted = matchKey(text);
  const found = STAGE_LABELS.find((l) => matchKey(l.label) === wanted);
  return found ? { ok: true, stage: found.stage } : { ok: false, suggestions: closestChoices(text, STAGE_LABELS) };
}

/**
 * Where a project in `from` may move. A paused project resumes to `pausedFrom`; without it, it
 * can only be marked lost.
 */
export function allowedMoves(from: ProjectStage, pausedFrom?: ProjectStage): ProjectStage[] {
  return MOVES[from].flatMap((to) => (to !== 'resume' ? [to] : pausedFrom ? [pausedFrom] : []));
}

/** What a move into `to` must carry besides being allowed. */
export function stageEntryRequirements(to: ProjectStage): StageEntryRequirements {
  const { reason = false, reviewDate = false } = ENTRY[to] ?? {};
  return { reason, reviewDate };
}

/** What is wrong with a paused project's review date, or null: it must come after today. */
export function reviewDateProblem(reviewDate: IsoDate, today: IsoDate): string | null {
  return compareDates(reviewDate, today) > 0 ? null : `复核日期 ${formatDateZh(reviewDate)} 必须晚于今天`;
}

/** A correct `/阶段` line moving project ZS-2026-0001 into `to`, with what that stage needs. */
export function stageMoveExample(to: ProjectStage, today: IsoDate): string {
  const entry = ENTRY[to];
  const reason = entry ? ` ${entry.exampleReason}` : '';
  const review = entry?.reviewDate ? ` 复核:${addDays(today, EXAMPLE_REVIEW_DAYS)}` : '';
  return `/阶段 ZS-2026-0001 ${stageName(to)}${reason}${review}`;
}

/** A stage move as requested. */
export interface StageMoveRequest {
  to: ProjectStage;
  reason?: string;
  reviewDate?: IsoDate;
}

/** Whether a move is allowed; if not, why, how to ask right, and where the project may go. */
export type StageMoveCheck = { ok: true } | { ok: false; problem: string; hint: string; allowed: ProjectStage[] };

/**
 * Checks a move against the county's rules: the target must be allowed from `from`, 搁置 needs a
 * reason and a review date after today, 流失 needs a reason.
 */
export function checkStageMove(from: ProjectStage, request: StageMoveRequest, context: { today: IsoDate; pausedFrom?: ProjectStage }): StageMoveCheck {
  const allowed = allowedMoves(from, context.pausedFrom);
  const refuse = (problem: string, hint: string): StageMoveCheck => ({ ok: false, problem, hint, allowed });
  const { to } = request;
  const choices = allowed.map(stageName).join('、');

  if (to === from) return refuse(`项目已经是「${stageName(from)}」阶段`, choices ? `可以改为：${choices}` : '该阶段不再变化');
  if (!allowed.includes(to)) {
    if (allowed.length === 0) return refuse(`「${stageName(from)}」是最终阶段，不能再改为「${stageName(to)}」`, '该阶段不再变化');
    return refuse(`不能从「${stageName(from)}」直接改为「${stageName(to)}」`, `现在可以改为：${choices}`);
  }

  const needs = stageEntryRequirements(to);
  const missing = [needs.reason && !request.reason?.trim() ? '原因' : undefined, needs.reviewDate && !request.reviewDate ? '复核日期' : undefined].filter(
    (m) => m !== undefined,
  );
  const example = `如：${stageMoveExample(to, context.today)}`;
  if (missing.length > 0) return refuse(`改为「${stageName(to)}」需要写明${missing.join('和')}`, example);
  const badReview = needs.reviewDate && request.reviewDate ? reviewDateProblem(request.reviewDate, context.today) : null;
  return badReview ? refuse(badReview, example) : { ok: true };
}

/** The milestone a move into `stage` completes (签约 → `signed`…), or null. */
export function completedMilestoneKind(stage: ProjectStage): StandardMilestoneKind | null {
  return COMPLETES[stage] ?? null;
}
