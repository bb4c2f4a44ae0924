import { describe, expect, it } from 'vitest';
import {
  biggestMovers,
  compareWithPrevious,
  rankUnits,
  type ScoringRules,
  scoreUnit,
  scoringRulesSchema,
  standingsPages,
  type UnitFacts,
  type UnitScore,
} from '../../domain/scoring';

const rules: ScoringRules = scoringRulesSchema.parse({});

const NO_FACTS: UnitFacts = {
  unitId: 1,
  unitName: '县商务局',
  stagesReached: {},
  signedInvestmentWan: 0,
  fundsWan: 0,
  jobs: 0,
  overdueMilestones: 0,
  stalledEpisodes: 0,
  onTimeMilestones: 0,
  blockersResolvedOnTime: 0,
  overdueBlockers: 0,
  overdueDecisions: 0,
};

const facts = (more: Partial<UnitFacts>): UnitFacts => ({ ...NO_FACTS, ...more });
const score = (unitId: number, unitName: string, total: number): UnitScore => ({ unitId, unitName, total, lines: [] });
/** Lines in cents: they must add up to the total exactly, whatever float addition says. */
const cents = (points: number) => Math.round(points * 100);

describe('scoringRulesSchema', () => {
  it('has the county defaults', () => {
    expect(rules).toEqual({
      stagePoints: { negotiating: 2, signed: 10, started: 15, producing: 20, at_capacity: 10 },
      perWanSigned: 0.001,
      perWanFunds: 0.002,
      perJob: 0.05,
      onTimeMilestone: 1,
      overdueMilestone: -2,
      stalledEpisode: -3,
      blockerResolvedOnTime: 1,
      overdueBlocker: -1,
      overdueDecision: -2,
    });
  });

  it('fills a partial object with the defaults', () => {
    expect(scoringRulesSchema.parse({ stagePoints: { signed: 12 }, perJob: 0.1 })).toEqual({
      ...rules,
      stagePoints: { ...rules.stagePoints, signed: 12 },
      perJob: 0.1,
    });
    expect(scoringRulesSchema.parse({ overdueMilestone: 0 }).stagePoints.producing).toBe(20);
  });

  it('gives each parse its own objects', () => {
    const edited = scoringRulesSchema.parse({});
    edited.stagePoints.signed = 99;
    expect(scoringRulesSchema.parse({}).stagePoints.signed).toBe(10);
  });

  it('ignores notes for the admin', () => {
    expect(scoringRulesSchema.parse({ $comment: '考核办法', stagePoints: { $comment: '每个项目' } })).toEqual(rules);
  });

  it.each([
    ['a positive penalty', { overdueMilestone: 2 }],
    ['a positive stall penalty', { stalledEpisode: 3 }],
    ['a positive overdue-blocker penalty', { overdueBlocker: 1 }],
    ['a positive overdue-decision penalty', { overdueDecision: 2 }],
    ['a negative reward for blockers resolved on time', { blockerResolvedOnTime: -1 }],
    ['a negative reward', { perJob: -0.05 }],
    ['a negative stage reward', { stagePoints: { signed: -10 } }],
    ['points written as text', { onTimeMilestone: '1' }],
  ])('refuses %s', (_, input) => {
    expect(scoringRulesSchema.safeParse(input).success).toBe(false);
  });
});

describe('scoreUnit', () => {
  it('explains every contribution line by line, in the order of the rules', () => {
    const scored = scoreUnit(
      facts({
        stagesReached: { lead: 7, negotiating: 4, signed: 3, started: 1, paused: 2, lost: 1 },
        signedInvestmentWan: 52000,
        fundsWan: 12345,
        jobs: 37,
        onTimeMilestones: 5,
        overdueMilestones: 2,
        stalledEpisodes: 1,
      }),
      rules,
    );
    // 8 + 30 + 15 + 52 + 24.69 + 1.85 + 5 - 4 - 3 = 129.54
    expect(scored).toEqual({
      unitId: 1,
      unitName: '县商务局',
      total: 129.54,
      lines: [
        { label: '洽谈 4 个项目', points: 8 },
        { label: '签约 3 个项目', points: 30 },
        { label: '开工 1 个项目', points: 15 },
        { label: '签约项目计划投资 5.2亿元', points: 52 },
        { label: '到位资金 1.2345亿元', points: 24.69 },
        { label: '新增就业岗位 37 个', points: 1.85 },
        { label: '按期完成节点 5 个', points: 5 },
        { label: '逾期未完成节点 2 个', points: -4 },
        { label: '停滞预警 1 次', points: -3 },
      ],
    });
  });

  it('rewards blockers resolved on time and penalises overdue blockers and decisions, after the stalls', () => {
    const scored = scoreUnit(facts({ stalledEpisodes: 1, blockersResolvedOnTime: 4, overdueBlockers: 3, overdueDecisions: 2 }), rules);
    // -3 + 4 - 3 - 4 = -6
    expect(scored).toEqual({
      unitId: 1,
      unitName: '县商务局',
      total: -6,
      lines: [
        { label: '停滞预警 1 次', points: -3 },
        { label: '按期办结问题 4 个', points: 4 },
        { label: '逾期未办结问题 3 个', points: -3 },
        { label: '逾期未落实议定事项 2 个', points: -4 },
      ],
    });
  });

  it("takes the county's own points for blockers and decisions, and leaves out those set to 0", () => {
    const county = scoringRulesSchema.parse({ blockerResolvedOnTime: 0.5, overdueBlocker: 0, overdueDecision: -5 });
    expect(scoreUnit(facts({ blockersResolvedOnTime: 3, overdueBlockers: 7, overdueDecisions: 1 }), county).lines).toEqual([
      { label: '按期办结问题 3 个', points: 1.5 },
      { label: '逾期未落实议定事项 1 个', points: -5 },
    ]);
  });

  it('scores 投产 and 达产', () => {
    expect(scoreUnit(facts({ stagesReached: { producing: 2, at_capacity: 1 } }), rules).lines).toEqual([
      { label: '投产 2 个项目', points: 40 },
      { label: '达产 1 个项目', points: 10 },
    ]);
  });

  it('has no lines and 0 points for a unit with nothing to count', () => {
    expect(scoreUnit(NO_FACTS, rules)).toEqual({ unitId: 1, unitName: '县商务局', total: 0, lines: [] });
  });

  it('leaves out a fact the rules give no points', () => {
    const noTalks = scoringRulesSchema.parse({ stagePoints: { negotiating: 0 } });
    expect(scoreUnit(facts({ stagesReached: { negotiating: 5, signed: 1 } }), noTalks).lines).toEqual([{ label: '签约 1 个项目', points: 10 }]);
  });

  it('keeps a counted fact that rounds to 0.00, so the unit sees it was counted', () => {
    // 1 万元 × 0.002 = 0.002 points.
    expect(scoreUnit(facts({ fundsWan: 1 }), rules)).toEqual({ unitId: 1, unitName: '县商务局', total: 0, lines: [{ label: '到位资金 1万元', points: 0 }] });
  });

  it('rounds the total once and apportions the cents so that the lines add up to it', () => {
    // Three lines of 0.335: each alone would round to 0.34 (1.02 in all), but 1.005 rounds to 1.01.
    const thirds = scoringRulesSchema.parse({ perWanSigned: 0.001, perWanFunds: 0.001, perJob: 0.067 });
    const scored = scoreUnit(facts({ signedInvestmentWan: 335, fundsWan: 335, jobs: 5 }), thirds);
    expect(scored.total).toBe(1.01);
    expect(scored.lines.map((l) => l.points)).toEqual([0.34, 0.34, 0.33]);
  });

  it('apportions negative cents the same way', () => {
    // -0.335 twice: -0.67 in all, so one line gets -0.33 and the other -0.34.
    const harsh = scoringRulesSchema.parse({ overdueMilestone: -0.335, stalledEpisode: -0.335 });
    const scored = scoreUnit(facts({ overdueMilestones: 1, stalledEpisodes: 1 }), harsh);
    expect(scored.total).toBe(-0.67);
    expect(scored.lines).toEqual([
      { label: '逾期未完成节点 1 个', points: -0.33 },
      { label: '停滞预警 1 次', points: -0.34 },
    ]);
  });

  it.each([
    ['58 jobs (0.05 × 58 = 2.9000000000000004)', {}, facts({ jobs: 58 }), 2.9, [2.9]],
    ['0.2 + 0.1', { perJob: 0.2, onTimeMilestone: 0.1 }, facts({ jobs: 1, onTimeMilestones: 1 }), 0.3, [0.2, 0.1]],
    // 10 + 0.3333 + 1.5554 + 0.15 - 3 = 9.0387: the missing cent goes to the larger remainder (1.5554).
    [
      'a mix of measures',
      {},
      facts({ stagesReached: { signed: 1 }, signedInvestmentWan: 333.3, fundsWan: 777.7, jobs: 3, stalledEpisodes: 1 }),
      9.04,
      [10, 0.33, 1.56, 0.15, -3],
    ],
  ])('keeps float noise out of %s', (_, edits, unitFacts, total, points) => {
    const scored = scoreUnit(unitFacts, scoringRulesSchema.parse(edits));
    expect(scored.total).toBe(total);
    expect(scored.lines.map((l) => l.points)).toEqual(points);
    expect(scored.lines.reduce((sum, l) => sum + cents(l.points), 0)).toBe(cents(scored.total));
  });
});

describe('rankUnits', () => {
  it('ranks by total, equal totals sharing a rank (1, 2, 2, 4)', () => {
    const rows = rankUnits([score(4, '县商务局', 30), score(3, '白河镇', 40), score(1, '县发改局', 60), score(2, '安乐镇', 40)]);
    expect(rows.map((r) => [r.unitName, r.rank])).toEqual([
      ['县发改局', 1],
      // Equal totals in pinyin order of the name, whatever order they came in.
      ['安乐镇', 2],
      ['白河镇', 2],
      ['县商务局', 4],
    ]);
  });

  it('gives every unit rank 1 when all are equal, and puts negative totals last', () => {
    const rows = rankUnits([score(1, '城关镇', -3), score(2, '白河镇', 0), score(3, '安乐镇', 0)]);
    expect(rows.map((r) => [r.unitName, r.rank])).toEqual([
      ['安乐镇', 1],
      ['白河镇', 1],
      ['城关镇', 3],
    ]);
  });

  it('orders units of the same name by id, and keeps their scores', () => {
    const rows = rankUnits([score(9, '城关镇', 5), score(2, '城关镇', 5)]);
    expect(rows).toEqual([
      { unitId: 2, unitName: '城关镇', total: 5, lines: [], rank: 1 },
      { unitId: 9, unitName: '城关镇', total: 5, lines: [], rank: 1 },
    ]);
  });

  it('ranks nothing as nothing', () => {
    expect(rankUnits([])).toEqual([]);
  });
});

describe('compareWithPrevious and biggestMovers', () => {
  // Before: 城关镇 50 (1), 县商务局 45.3 (2), 安乐镇 40 (3), 县发改局 30 (4); 白河镇 did not exist.
  const previous = rankUnits([score(1, '县发改局', 30), score(2, '城关镇', 50), score(3, '安乐镇', 40), score(4, '县商务局', 45.3)]);
  // Now: 县发改局 60 (1), 城关镇 50 (2), 安乐镇 40 (3), 白河镇 40 (3), 县商务局 30.1 (5).
  const current = rankUnits([score(1, '县发改局', 60), score(2, '城关镇', 50), score(3, '安乐镇', 40), score(4, '县商务局', 30.1), score(5, '白河镇', 40)]);
  const changes = compareWithPrevious(current, previous);

  it('gives each unit its places moved and points gained, in the current order', () => {
    expect(changes.map((c) => [c.unitName, c.rank, c.rankChange, c.scoreChange])).toEqual([
      ['县发改局', 1, 3, 30],
      ['城关镇', 2, -1, 0],
      ['安乐镇', 3, 0, 0],
      ['白河镇', 3, null, 40],
      // 30.1 - 45.3 is -15.199999999999996 in floats.
      ['县商务局', 5, -3, -15.2],
    ]);
  });

  it('keeps the standing row', () => {
    expect(changes[0]).toEqual({ ...current[0], rankChange: 3, scoreChange: 30 });
  });

  it('has no moves without previous standings', () => {
    expect(compareWithPrevious(current, []).map((c) => c.rankChange)).toEqual([null, null, null, null, null]);
  });

  it.each([
    [1, ['县发改局'], ['县商务局']],
    [5, ['县发改局'], ['县商务局', '城关镇']],
    [0, [], []],
  ])('names up to %i risers and fallers, biggest move first, leaving out units that kept their place or are new', (n, up, down) => {
    const movers = biggestMovers(changes, n);
    expect(movers.up.map((c) => c.unitName)).toEqual(up);
    expect(movers.down.map((c) => c.unitName)).toEqual(down);
  });

  it('orders equal moves by current rank', () => {
    const before = rankUnits([score(1, '甲镇', 10), score(2, '乙镇', 9), score(3, '丙镇', 8), score(4, '丁镇', 7)]);
    const now = rankUnits([score(3, '丙镇', 10), score(4, '丁镇', 9), score(1, '甲镇', 8), score(2, '乙镇', 7)]);
    const movers = biggestMovers(compareWithPrevious(now, before), 2);
    expect(movers.up.map((c) => c.unitName)).toEqual(['丙镇', '丁镇']);
    expect(movers.down.map((c) => c.unitName)).toEqual(['甲镇', '乙镇']);
  });
});

describe('standingsPages', () => {
  const rows = [1, 2, 3, 4, 5, 6, 7];

  it.each([
    [3, [[1, 2, 3], [4, 5, 6], [7]]],
    [7, [[1, 2, 3, 4, 5, 6, 7]]],
    [30, [[1, 2, 3, 4, 5, 6, 7]]],
    [1, [[1], [2], [3], [4], [5], [6], [7]]],
  ])('cuts 7 rows into pages of %i', (pageSize, pages) => {
    expect(standingsPages(rows, pageSize)).toEqual(pages.map((pageRows, i) => ({ page: i + 1, pageCount: pages.length, rows: pageRows })));
  });

  it('cuts 6 rows into exactly 2 pages of 3', () => {
    expect(standingsPages(rows.slice(0, 6), 3).map((p) => p.rows)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('makes one empty page of no rows', () => {
    expect(standingsPages([], 30)).toEqual([{ page: 1, pageCount: 1, rows: [] }]);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses a page size of %d', (pageSize) => {
    expect(() => standingsPages(rows, pageSize)).toThrow(RangeError);
  });
});
