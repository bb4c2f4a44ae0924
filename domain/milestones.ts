/**
 * Milestones (关键时间节点): the standard 签约, 开工, 投产 and 达产, or a name the county makes up
 * (环评批复), and the default targets set when a project is signed.
 */
import { z } from 'zod';
import { addDays, type IsoDate } from './calendar-date';
import { completedMilestoneKind, STAGES } from './stages';
import { matchKey } from './text';
import type { MilestoneKind } from './vocabulary';

/** A standard milestone kind. */
export type StandardMilestoneKind = Exclude<MilestoneKind, 'custom'>;

/** A milestone as named on a project: its kind, and the name it is stored and shown under. */
export interface MilestoneName {
  kind: MilestoneKind;
  name: string;
}

/**
 * The standard milestones, in pipeline order, named and aliased like the stages that complete
 * them (开工 or 落地 → `started`).
 */
export const STANDARD_MILESTONES: readonly { kind: StandardMilestoneKind; name: string; aliases: readonly string[] }[] = STAGES.flatMap(
  ({ code, name, aliases }) => {
    const kind = completedMilestoneKind(code);
    return kind ? [{ kind, name, aliases }] : [];
  },
);

/** How long a custom milestone name may be, in characters. */
export const MAX_MILESTONE_NAME = 20;

const STANDARD_BY_KEY = new Map(STANDARD_MILESTONES.flatMap((m) => [m.name, ...m.aliases, m.kind].map((label) => [matchKey(label), m] as const)));

/** A milestone name read from text, or what is wrong with it. */
export type MilestoneNameResult = { ok: true; milestone: MilestoneName } | { ok: false; problem: string; hint: string };

/**
 * Reads a milestone name: a standard one by name, alias or kind code (落地 → 开工), any other
 * 1–20 characters as a custom milestone named as written.
 */
export function parseMilestoneName(text: string): MilestoneNameResult {
  const name = text.trim();
  const standard = STANDARD_BY_KEY.get(matchKey(name));
  if (standard) return { ok: true, milestone: { kind: standard.kind, name: standard.name } };
  const hint = `可写 ${STANDARD_MILESTONES.map((m) => m.name).join('、')}，或自定义节点名称（${MAX_MILESTONE_NAME} 字以内，如 环评批复）`;
  if (name === '') return { ok: false, problem: '没有写节点名称', hint };
  const length = [...name].length;
  if (length > MAX_MILESTONE_NAME) return { ok: false, problem: `节点名称太长：${length} 字`, hint };
  return { ok: true, milestone: { kind: 'custom', name } };
}

const afterDays = (days: number) => z.number().int().positive().default(days);

/**
 * Schema for the county's default targets (county.json `signedDefaults`), in calendar days after
 * signing: 开工 90, 投产 365, 达产 730. Each must come after the one before it.
 */
export const signedDefaultsSchema = z
  .object({ startedAfterDays: afterDays(90), producingAfterDays: afterDays(365), atCapacityAfterDays: afterDays(730) })
  .refine(
    (d) => d.startedAfterDays < d.producingAfterDays && d.producingAfterDays < d.atCapacityAfterDays,
    'startedAfterDays < producingAfterDays < atCapacityAfterDays: 开工 before 投产 before 达产',
  );

/** Days after signing for each later milestone. */
export type SignedDefaults = z.infer<typeof signedDefaultsSchema>;

/** The later milestones' due dates for a project signed on `signedOn`. */
export function defaultDueDates(signedOn: IsoDate, defaults: SignedDefaults): { started: IsoDate; producing: IsoDate; at_capacity: IsoDate } {
  return {
    started: addDays(signedOn, defaults.startedAfterDays),
    producing: addDays(signedOn, defaults.producingAfterDays),
    at_capacity: addDays(signedOn, defaults.atCapacityAfterDays),
  };
}
