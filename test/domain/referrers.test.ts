import { describe, expect, it } from 'vitest';
import { PIPELINE_STAGES, type ReferrerReward, referrerRewardSchema, rewardDue } from '../../domain/referrers';
import { STAGES } from '../../domain/stages';
import type { ProjectStage } from '../../domain/vocabulary';

const atProducing: ReferrerReward = referrerRewardSchema.parse({});

describe('PIPELINE_STAGES', () => {
  it('runs 线索 to 达产 in the order of the stages, without 搁置 and 流失', () => {
    expect(PIPELINE_STAGES).toEqual(['lead', 'negotiating', 'signed', 'started', 'producing', 'at_capacity']);
    expect(STAGES.map((s) => s.code).filter((code) => code !== 'paused' && code !== 'lost')).toEqual(PIPELINE_STAGES);
  });
});

describe('referrerRewardSchema', () => {
  it('is due at 投产 by default', () => {
    expect(atProducing).toEqual({ stage: 'producing' });
  });

  it('takes the county’s stage', () => {
    expect(referrerRewardSchema.parse({ stage: 'signed' })).toEqual({ stage: 'signed' });
  });

  it.each([['paused'], ['lost'], ['投产'], [5]])('refuses the stage %j', (stage) => {
    expect(referrerRewardSchema.safeParse({ stage }).success).toBe(false);
  });
});

describe('rewardDue', () => {
  it.each([
    ['lead', undefined, false],
    ['signed', undefined, false],
    ['started', undefined, false],
    ['producing', undefined, true],
    ['at_capacity', undefined, true],
    ['paused', undefined, false],
    ['lost', undefined, false],
    // Reached 投产 once: paused or lost later, the reward was still earned.
    ['paused', 'producing', true],
    ['lost', 'at_capacity', true],
    ['paused', 'started', false],
    ['producing', 'producing', true],
    // The current stage counts even when the recorded highest lags behind it.
    ['producing', 'started', true],
  ] satisfies [ProjectStage, ProjectStage | undefined, boolean][])('by default: now %s, highest %s → %s', (now, highest, due) => {
    expect(rewardDue(now, highest, atProducing)).toBe(due);
  });

  it.each([
    ['negotiating', undefined, false],
    ['signed', undefined, true],
    ['at_capacity', undefined, true],
    ['paused', 'signed', true],
    ['lost', 'negotiating', false],
  ] satisfies [ProjectStage, ProjectStage | undefined, boolean][])('at 签约: now %s, highest %s → %s', (now, highest, due) => {
    expect(rewardDue(now, highest, { stage: 'signed' })).toBe(due);
  });

  it('never counts 搁置 or 流失 as reaching a stage, even 线索', () => {
    expect(rewardDue('lead', undefined, { stage: 'lead' })).toBe(true);
    expect(rewardDue('paused', undefined, { stage: 'lead' })).toBe(false);
    expect(rewardDue('lost', 'lost', { stage: 'lead' })).toBe(false);
  });
});
