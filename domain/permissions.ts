/**
 * Who may change a project (stage, milestones) and who may log its progress: the people answerable
 * for it, the coordinators, and admins; progress also from anyone in the project's unit.
 */
import type { PersonRole } from './vocabulary';

/** The person asking. */
export interface Actor {
  openId: string;
  role: PersonRole;
  unitId: number | null;
}

/** The people and unit answerable for a project. */
export interface ProjectParties {
  ownerOpenId: string;
  leaderOpenId: string | null;
  unitId: number | null;
  /** The project unit's head as the roster names them, if known. */
  unitHeadOpenId: string | null;
}

/** Roles that may act on every project: 招商服务中心 and admins. */
const COUNTY_WIDE: readonly PersonRole[] = ['coordinator', 'admin'];

function inProjectUnit(actor: Actor, parties: ProjectParties): boolean {
  return parties.unitId !== null && actor.unitId === parties.unitId;
}

/**
 * The owner (负责人), the head of the project's unit (一把手), the project's leader (包抓领导),
 * coordinators and admins.
 */
export function mayChangeProject(actor: Actor, parties: ProjectParties): boolean {
  return (
    COUNTY_WIDE.includes(actor.role) ||
    actor.openId === parties.ownerOpenId ||
    actor.openId === parties.leaderOpenId ||
    actor.openId === parties.unitHeadOpenId ||
    (actor.role === 'unit_head' && inProjectUnit(actor, parties))
  );
}

/** Whoever may change the project, and any member of the project's unit. */
export function mayLogProgress(actor: Actor, parties: ProjectParties): boolean {
  return mayChangeProject(actor, parties) || inProjectUnit(actor, parties);
}

/** The people who may change the project, in words. */
function changers(parties: ProjectParties): string[] {
  return [
    '项目负责人',
    ...(parties.unitId !== null || parties.unitHeadOpenId !== null ? ['责任单位负责人'] : []),
    ...(parties.leaderOpenId !== null ? ['包抓领导'] : []),
    '招商服务中心',
    '管理员',
  ];
}

/** A sentence naming who may change the project, for a refusal. */
export function whoMayChange(parties: ProjectParties): string {
  return `只有${listZh(changers(parties))}可以修改这个项目。`;
}

/** A sentence naming who may log the project's progress, for a refusal. */
export function whoMayLogProgress(parties: ProjectParties): string {
  const members = parties.unitId !== null ? ['责任单位的干部'] : [];
  return `只有${listZh([...changers(parties), ...members])}可以记录这个项目的进展。`;
}

/** A、B和C. */
function listZh(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join('、')}和${items.at(-1)}` : items.join('');
}
