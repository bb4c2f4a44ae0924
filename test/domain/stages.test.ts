import { describe, expect, it } from 'vitest';
import { allowedMoves, checkStageMove, completedMilestoneKind, parseStage, STAGES, type StageMoveRequest, stageName } from '../../domain/stages';
import { type ProjectStage, projectStages } from '../../domain/vocabulary';

const today = '2026-10-14';

describe('the stage table', () => {
  it('names every stage the database knows, once', () => {
    expect(STAGES.map((s) => s.code).sort()).toEqual([...projectStages].sort());
    const words = STAGES.flatMap((s) => [s.name, ...s.aliases]);
    expect(new Set(words).size).toBe(words.length);
  });

  it.each([
    ['lead', '线索'],
    ['negotiating', '洽谈'],
    ['signed', '签约'],
    ['started', '开工'],
    ['producing', '投产'],
    ['at_capacity', '达产'],
    ['paused', '搁置'],
    ['lost', '流失'],
  ] as const)('stageName(%s) = %s', (stage, name) => {
    expect(stageName(stage)).toBe(name);
  });
});

describe('parseStage', () => {
  it.each([
    ['签约', 'signed'],
    ['意向', 'negotiating'],
    ['洽谈', 'negotiating'],
    ['落地', 'started'],
    ['开工', 'started'],
    ['达产达效', 'at_capacity'],
    ['外流', 'lost'],
    ['外转', 'lost'],
    ['流失', 'lost'],
    ['搁置', 'paused'],
    [' 投产 ', 'producing'],
    ['at_capacity', 'at_capacity'],
    ['SIGNED', 'signed'],
  ])('%j → %s', (text, stage) => {
    expect(parseStage(text)).toEqual({ ok: true, stage });
  });

  it.each([
    ['签', '签约'],
    ['达产达', '达产'],
    ['流', '流失'],
  ])('suggests for %j', (text, suggestion) => {
    const result = parseStage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.suggestions).toContain(suggestion);
  });

  it('suggests nothing for text unlike any stage', () => {
    expect(parseStage('明天')).toEqual({ ok: false, suggestions: [] });
  });
});

describe('allowedMoves', () => {
  it.each([
    ['lead', undefined, ['negotiating', 'paused', 'lost']],
    ['negotiating', undefined, ['signed', 'paused', 'lost']],
    ['signed', undefined, ['started', 'paused', 'lost']],
    ['started', undefined, ['producing', 'paused', 'lost']],
    ['producing', undefined, ['at_capacity', 'paused', 'lost']],
    ['at_capacity', undefined, []],
    ['lost', undefined, []],
    ['paused', 'signed', ['signed', 'lost']],
    ['paused', undefined, ['lost']],
  ] as const)('from %s (paused from %s) → %j', (from, pausedFrom, expected) => {
    expect(allowedMoves(from, pausedFrom)).toEqual(expected);
  });
});

describe('checkStageMove', () => {
  const ok = (from: ProjectStage, request: StageMoveRequest, pausedFrom?: ProjectStage) => checkStageMove(from, request, { today, pausedFrom });

  it.each([
    ['lead', { to: 'negotiating' }],
    ['negotiating', { to: 'signed' }],
    ['producing', { to: 'at_capacity' }],
    ['signed', { to: 'paused', reason: '资金未到位', reviewDate: '2026-10-15' }],
    ['lead', { to: 'lost', reason: '客商转投邻县' }],
    ['started', { to: 'lost', reason: '客商转投邻县' }],
    ['paused', { to: 'lost', reason: '客商放弃' }],
  ] as const)('allows %s → %j', (from, request) => {
    expect(ok(from, request, undefined)).toEqual({ ok: true });
  });

  it('lets a paused project resume to the stage it was paused from', () => {
    expect(ok('paused', { to: 'signed' }, 'signed')).toEqual({ ok: true });
    expect(ok('paused', { to: 'started' }, 'signed')).toMatchObject({ ok: false, allowed: ['signed', 'lost'] });
  });

  it.each([
    ['a skipped step', 'lead', { to: 'signed' }, ['negotiating', 'paused', 'lost']],
    ['a step back', 'signed', { to: 'negotiating' }, ['started', 'paused', 'lost']],
    ['the same stage', 'signed', { to: 'signed' }, ['started', 'paused', 'lost']],
    ['a final stage moving', 'at_capacity', { to: 'paused', reason: '停产', reviewDate: '2027-01-01' }, []],
    ['a lost project coming back', 'lost', { to: 'negotiating' }, []],
    ['a pause without reason', 'signed', { to: 'paused', reviewDate: '2027-01-01' }, ['started', 'paused', 'lost']],
    ['a pause with a blank reason', 'signed', { to: 'paused', reason: '  ', reviewDate: '2027-01-01' }, ['started', 'paused', 'lost']],
    ['a pause without review date', 'signed', { to: 'paused', reason: '资金未到位' }, ['started', 'paused', 'lost']],
    ['a pause reviewed today', 'signed', { to: 'paused', reason: '资金未到位', reviewDate: today }, ['started', 'paused', 'lost']],
    ['a pause reviewed in the past', 'signed', { to: 'paused', reason: '资金未到位', reviewDate: '2026-01-01' }, ['started', 'paused', 'lost']],
    ['a loss without reason', 'negotiating', { to: 'lost' }, ['signed', 'paused', 'lost']],
  ] as const)('refuses %s, with what is allowed', (_, from, request, allowed) => {
    const result = ok(from, request);
    expect(result).toMatchObject({ ok: false, allowed });
    if (result.ok) return;
    expect(result.problem).toMatch(/\p{Script=Han}/u);
    expect(result.hint).toMatch(/\p{Script=Han}/u);
  });

  it('names both missing things for a pause, and hints with a review date after today', () => {
    const result = ok('signed', { to: 'paused' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.problem).toContain('原因');
    expect(result.problem).toContain('复核');
    const hinted = /复核:(\d{4}-\d{2}-\d{2})/u.exec(result.hint)?.[1];
    expect(hinted && hinted > today).toBe(true);
  });

  it('lists the allowed stages in the hint of a refused move', () => {
    const result = ok('lead', { to: 'producing' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.hint).toContain(stageName('negotiating'));
  });
});

describe('completedMilestoneKind', () => {
  it.each([
    ['signed', 'signed'],
    ['started', 'started'],
    ['producing', 'producing'],
    ['at_capacity', 'at_capacity'],
    ['lead', null],
    ['negotiating', null],
    ['paused', null],
    ['lost', null],
  ] as const)('a move into %s completes %s', (stage, kind) => {
    expect(completedMilestoneKind(stage)).toBe(kind);
  });
});
