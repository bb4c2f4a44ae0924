/**
 * 全民招商 rewards: a referrer (引荐人) has earned the county's reward once the referred project
 * has reached the stage the county pays for, or a later one.
 */
import { z } from 'zod';
import type { ProjectStage } from './vocabulary';

/** The pipeline in order, 线索 to 达产; 搁置 and 流失 are off it, so they reach no stage. */
export const PIPELINE_STAGES = ['lead', 'negotiating', 'signed', 'started', 'producing', 'at_capacity'] as const satisfies readonly ProjectStage[];

/** A stage on the pipeline. */
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Schema for the county's referrer reward rule (county.json `referrerReward`); by default, 投产. */
export const referrerRewardSchema = z.object({
  /** The reward is due once the project has reached this stage or a later one. */
  stage: z.enum(PIPELINE_STAGES).default('producing'),
});

/** The county's referrer reward rule. */
export type ReferrerReward = z.infer<typeof referrerRewardSchema>;

/** Position on the pipeline, -1 for 搁置 and 流失. */
const pipelineIndex = (stage: ProjectStage) => (PIPELINE_STAGES as readonly ProjectStage[]).indexOf(stage);

/**
 * Whether the referrer's reward is due. `highestStageEverReached`, when known, counts too: a
 * project that reached 投产 and is paused now still earned it.
 */
export function rewardDue(stageReached: ProjectStage, highestStageEverReached: ProjectStage | undefined, rule: ReferrerReward): boolean {
  const reached = Math.max(pipelineIndex(stageReached), highestStageEverReached ? pipelineIndex(highestStageEverReached) : -1);
  return reached >= pipelineIndex(rule.stage);
}
