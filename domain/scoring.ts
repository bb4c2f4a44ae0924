/**
 * The county's 考核办法: a unit's points for what its projects achieved in a period, explained
 * line by line, and the standings (排名) built from them. The bot counts the facts in SQL.
 */
import { z } from 'zod';
import { formatWan } from './amount';
import { stageName } from './stages';
import type { ProjectStage } from './vocabulary';

/** The stages whose reaching earns points; a lead is only a tip, 搁置 and 流失 are not progress. */
const SCORED_STAGES = ['negotiating', 'signed', 'started', 'producing', 'at_capacity'] as const satisfies readonly ProjectStage[];

type ScoredStage = (typeof SCORED_STAGES)[number];

// A sign typed the wrong way round would reward delays, so rewards and penalties keep their signs.
const reward = (points: number) => z.number().min(0).default(points);
const penalty = (points: number) => z.number().max(0).default(points);

/** Schema for the county's scoring rules (county.json `scoring`); a partial file keeps the other defaults. */
export const scoringRulesSchema = z.object({
  /** Points per project that reached each stage in the period. */
  stagePoints: z
    .object({
      negotiating: reward(2),
      signed: reward(10),
      started: reward(15),
      producing: reward(20),
      at_capacity: reward(10),
    } satisfies Record<ScoredStage, unknown>)
    // prefault, not default: a partial object still gets the other stages' defaults.
    .prefault({}),
  /** Points per 万元 of planned investment of the projects signed in the period. */
  perWanSigned: reward(0.001),
  /** Points per 万元 of funds in place recorded in the period. */
  perWanFunds: reward(0.002),
  /** Points per job recorded in the period. */
  perJob: reward(0.05),
  /** Points per milestone met on or before its due date in the period. */
  onTimeMilestone: reward(1),
  /** Points (negative) per milestone overdue at the period's end, or today while it runs. */
  overdueMilestone: penalty(-2),
  /** Points (negative) per stall alarm opened in the period; overdue blockers' alarms are not stalls. */
  stalledEpisode: penalty(-3),
  /** Points per blocker (问题) the responsible unit resolved (办结) in the period on or before its time limit. */
  blockerResolvedOnTime: reward(1),
  /** Points (negative) per blocker overdue with the responsible unit at the period's end, or today while it runs. */
  overdueBlocker: penalty(-1),
  /** Points (negative) per joint-meeting decision (议定事项) overdue with the responsible unit at the same day. */
  overdueDecision: penalty(-2),
});

/** The county's scoring rules. */
export type ScoringRules = z.infer<typeof scoringRulesSchema>;

/**
 * What a unit's projects did in a period, counted by the bot; the blocker counts are the unit's as
 * the responsible unit (责任单位), whoever's project the blocker is on.
 */
export interface UnitFacts {
  unitId: number;
  unitName: string;
  /** Projects that reached each stage in the period; stages without points are ignored. */
  stagesReached: Partial<Record<ProjectStage, number>>;
  /** Planned investment (万元) of the projects signed in the period. */
  signedInvestmentWan: number;
  /** Funds in place (万元) recorded in the period. */
  fundsWan: number;
  jobs: number;
  /** Milestones overdue at the period's end, or today while it runs. */
  overdueMilestones: number;
  /** Stall alarms opened in the period, not counting those of overdue blockers. */
  stalledEpisodes: number;
  /** Milestones met on or before their due date in the period. */
  onTimeMilestones: number;
  /** Blockers (not decisions) reported 办结 in the period on or before their time limit. */
  blockersResolvedOnTime: number;
  /** Blockers past their time limit and not yet 办结 at the period's end, or today while it runs. */
  overdueBlockers: number;
  /** Decisions (议定事项) past their due date and not yet 办结 on the same day. */
  overdueDecisions: number;
}

/** One contribution to a score: `签约 3 个项目` earned 30 points. */
export interface ScoreLine {
  label: string;
  points: number;
}

/** A unit's score, with every contribution that is not zero, in the order of the rules. */
export interface UnitScore {
  unitId: number;
  unitName: string;
  /** Rounded to 2 decimals; the lines, in cents, add up to it exactly. */
  total: number;
  lines: ScoreLine[];
}

/**
 * Scores a unit's facts by the rules. Each fact that earns or loses points is a line; a line is
 * kept even when it rounds to 0.00, so that the unit sees it was counted.
 */
export function scoreUnit(facts: UnitFacts, rules: ScoringRules): UnitScore {
  const contributions = [
    ...SCORED_STAGES.map((stage) => {
      const count = facts.stagesReached[stage] ?? 0;
      return { label: `${stageName(stage)} ${count} 个项目`, count, rate: rules.stagePoints[stage] };
    }),
    { label: `签约项目计划投资 ${formatWan(facts.signedInvestmentWan)}`, count: facts.signedInvestmentWan, rate: rules.perWanSigned },
    { label: `到位资金 ${formatWan(facts.fundsWan)}`, count: facts.fundsWan, rate: rules.perWanFunds },
    { label: `新增就业岗位 ${facts.jobs} 个`, count: facts.jobs, rate: rules.perJob },
    { label: `按期完成节点 ${facts.onTimeMilestones} 个`, count: facts.onTimeMilestones, rate: rules.onTimeMilestone },
    { label: `逾期未完成节点 ${facts.overdueMilestones} 个`, count: facts.overdueMilestones, rate: rules.overdueMilestone },
    { label: `停滞预警 ${facts.stalledEpisodes} 次`, count: facts.stalledEpisodes, rate: rules.stalledEpisode },
    { label: `按期办结问题 ${facts.blockersResolvedOnTime} 个`, count: facts.blockersResolvedOnTime, rate: rules.blockerResolvedOnTime },
    { label: `逾期未办结问题 ${facts.overdueBlockers} 个`, count: facts.overdueBlockers, rate: rules.overdueBlocker },
    { label: `逾期未落实议定事项 ${facts.overdueDecisions} 个`, count: facts.overdueDecisions, rate: rules.overdueDecision },
  ].filter((c) => c.count * c.rate !== 0);
  const cents = centsAddingUp(contributions.map((c) => c.count * c.rate));
  return {
    unitId: facts.unitId,
    unitName: facts.unitName,
    total: cents.reduce((sum, c) => sum + c, 0) / 100,
    lines: contributions.map((c, i) => ({ label: c.label, points: (cents[i] ?? 0) / 100 })),
  };
}

/** Drops float noise such as 0.29 * 100 = 28.999999999999996 before whole cents are taken. */
const clean = (x: number) => Number(x.toFixed(6));

/**
 * Each value in whole cents, so that they add up to the rounded sum of the values: rounded down,
 * then the cents still missing go to the largest remainders (no line is off by a cent or more).
 */
function centsAddingUp(values: readonly number[]): number[] {
  const exact = values.map((v) => clean(v * 100));
  const cents = exact.map(Math.floor);
  const missing = Math.round(clean(exact.reduce((sum, e) => sum + e, 0))) - cents.reduce((sum, c) => sum + c, 0);
  const byRemainder = exact.map((e, i) => ({ i, remainder: e - Math.floor(e) })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder.slice(0, missing)) cents[i]! += 1;
  return cents;
}

/** A unit's place in the standings. */
export interface StandingRow extends UnitScore {
  /** 1 for the highest total; equal totals share a rank and the next rank is skipped (1, 2, 2, 4). */
  rank: number;
}

/** Unit names in pinyin order, as county lists are read. */
const byName = new Intl.Collator('zh-Hans-CN');

/** The standings: highest total first, equal totals by unit name so the order never wavers. */
export function rankUnits(scores: readonly UnitScore[]): StandingRow[] {
  const sorted = [...scores].sort((a, b) => b.total - a.total || byName.compare(a.unitName, b.unitName) || a.unitId - b.unitId);
  const rows: StandingRow[] = [];
  for (const [i, score] of sorted.entries()) {
    const before = rows[i - 1];
    rows.push({ ...score, rank: before?.total === score.total ? before.rank : i + 1 });
  }
  return rows;
}

/** A unit's place with how it moved since the previous period. */
export interface StandingChange extends StandingRow {
  /** Places moved: positive = up; null = not ranked in the previous period. */
  rankChange: number | null;
  /** Points gained (negative = lost) since the previous period; from 0 when not ranked then. */
  scoreChange: number;
}

/** The current standings, in their order, each with its change since the previous standings. */
export function compareWithPrevious(current: readonly StandingRow[], previous: readonly StandingRow[]): StandingChange[] {
  const before = new Map(previous.map((row) => [row.unitId, row]));
  return current.map((row) => {
    const then = before.get(row.unitId);
    return {
      ...row,
      rankChange: then ? then.rank - row.rank : null,
      // Totals have 2 decimals; rounding the difference keeps float noise out of 0.3 - 0.1.
      scoreChange: Math.round((row.total - (then?.total ?? 0)) * 100) / 100,
    };
  });
}

/** The units that moved most: up to `n` that rose and up to `n` that fell, biggest move first. */
export function biggestMovers(changes: readonly StandingChange[], n: number): { up: StandingChange[]; down: StandingChange[] } {
  const moved = (direction: 1 | -1) =>
    changes
      .filter((c) => (c.rankChange ?? 0) * direction > 0)
      .sort((a, b) => ((b.rankChange ?? 0) - (a.rankChange ?? 0)) * direction || a.rank - b.rank)
      .slice(0, n);
  return { up: moved(1), down: moved(-1) };
}

/** One page of the standings for a card. */
export interface StandingsPage<Row> {
  /** From 1. */
  page: number;
  pageCount: number;
  rows: Row[];
}

/**
 * The standings cut into pages of `pageSize` rows, so that each card stays under Lark's 30 KB.
 * No rows still make one empty page, for a card that says so. Throws a RangeError for a page
 * size that is not a positive whole number: callers pass constants.
 */
export function standingsPages<Row>(rows: readonly Row[], pageSize: number): StandingsPage<Row>[] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`not a page size: ${pageSize}`);
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  return Array.from({ length: pageCount }, (_, i) => ({ page: i + 1, pageCount, rows: rows.slice(i * pageSize, (i + 1) * pageSize) }));
}
