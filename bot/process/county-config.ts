import { readFileSync } from 'node:fs';
import { type BlockerRules, blockerRulesSchema } from '../../domain/blockers';
import { type Catalog, catalogSchema } from '../../domain/catalog';
import { blockerEscalationRulesSchema, type EscalationRules, escalationRulesSchema } from '../../domain/escalation-ladder';
import { type SignedDefaults, signedDefaultsSchema } from '../../domain/milestones';
import { type NudgeRules, nudgeRulesSchema } from '../../domain/nudge-schedule';
import { type ReferrerReward, referrerRewardSchema } from '../../domain/referrers';
import { type ScoringRules, scoringRulesSchema } from '../../domain/scoring';
import { type StallRules, stallRulesSchema } from '../../domain/stall-rules';
import { type VisibilityRules, visibilityRulesSchema } from '../../domain/visibility';
import { ConfigError } from './config';

/** What a county edits without touching code: its lists, reminder offsets and default milestone dates. */
export interface CountyConfig {
  catalog: Catalog;
  nudges: NudgeRules;
  signedDefaults: SignedDefaults;
  stalls: StallRules;
  escalation: EscalationRules;
  /** The supervisors' (督查组) group chat, the ladder's last level; empty: people with role supervisor. */
  supervisorsChatId: string | null;
  scoring: ScoringRules;
  referrerReward: ReferrerReward;
  /** County leadership's group chat, where the quarterly bulletin (通报) is posted. */
  leadershipChatId: string | null;
  /** What each role may read (project cards and records, registers). */
  visibility: VisibilityRules;
  /** 落地服务: blocker kinds and time limits, confirmation, the joint meeting's agenda. */
  blockers: BlockerRules;
  /** The ladder overdue blockers and decisions climb. */
  blockerEscalation: EscalationRules;
  /** The joint meeting's (联席会议) group chat, where its agenda is posted; empty: the coordinators. */
  jointMeetingChatId: string | null;
}

export function loadCountyConfig(path: string): CountyConfig {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`COUNTY_CONFIG_PATH: 无法读取 ${path}：${(err as Error).message}`]);
  }
  const catalog = catalogSchema.safeParse(json);
  const sections = {
    nudges: nudgeRulesSchema.safeParse(json.nudges ?? {}),
    signedDefaults: signedDefaultsSchema.safeParse(json.signedDefaults ?? {}),
    stalls: stallRulesSchema.safeParse(json.stalls ?? {}),
    escalation: escalationRulesSchema.safeParse(json.escalation ?? {}),
    scoring: scoringRulesSchema.safeParse(json.scoring ?? {}),
    referrerReward: referrerRewardSchema.safeParse(json.referrerReward ?? {}),
    visibility: visibilityRulesSchema.safeParse(json.visibility ?? {}),
    blockers: blockerRulesSchema.safeParse(json.blockers ?? {}),
    blockerEscalation: blockerEscalationRulesSchema.safeParse((json.blockers as { escalation?: unknown } | undefined)?.escalation ?? {}),
  };
  const chatId = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  const problems = [
    ...(catalog.error?.issues ?? []).map((i) => `${path} ${i.path.join('.')}: ${i.message}`),
    ...Object.entries(sections).flatMap(([name, parsed]) => (parsed.error?.issues ?? []).map((i) => `${path} ${name}.${i.path.join('.')}: ${i.message}`)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    catalog: catalog.data!,
    nudges: sections.nudges.data!,
    signedDefaults: sections.signedDefaults.data!,
    stalls: sections.stalls.data!,
    escalation: sections.escalation.data!,
    supervisorsChatId: chatId(json.supervisorsChatId),
    scoring: sections.scoring.data!,
    referrerReward: sections.referrerReward.data!,
    leadershipChatId: chatId(json.leadershipChatId),
    visibility: sections.visibility.data!,
    blockers: sections.blockers.data!,
    blockerEscalation: sections.blockerEscalation.data!,
    jointMeetingChatId: chatId(json.jointMeetingChatId),
  };
}
