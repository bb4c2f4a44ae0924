/**
 * Who may read what: one rule for project cards, records, lists and exports. Someone outside the
 * roster reads no project's details. What each role on the roster reads is the county's choice
 * (`visibility` in config/county.json); the defaults are what the bot always answered.
 */
import { z } from 'zod';
import type { Actor, ProjectParties } from './permissions';
import { type PersonRole, personRoles } from './vocabulary';

/** A project's card and record: every project; its own unit's (and the ones one answers for); only the ones one answers for. */
const projectScopes = ['all', 'unit', 'own'] as const;
/** A register of projects (ledger, referrers): every unit's; one's own unit's; none. */
const registerScopes = ['all', 'unit', 'none'] as const;

function scopeByRole<S extends string>(scopes: readonly [S, ...S[]], defaults: Record<PersonRole, S>) {
  const byRole = Object.fromEntries(personRoles.map((role) => [role, z.enum(scopes).default(defaults[role])]));
  return z.object(byRole as Record<PersonRole, z.ZodDefault<z.ZodEnum<{ [K in S]: K }>>>).default(defaults as never);
}

export const visibilityRulesSchema = z.object({
  /** One project's card and whole record: `/项目`, `/记录`. */
  project: scopeByRole(projectScopes, { official: 'all', unit_head: 'all', leader: 'all', coordinator: 'all', supervisor: 'all', admin: 'all' }),
  /** Registers of many projects and the units' detail: `/台账`, `/引荐`, another unit's detail in `/排名`. */
  registers: scopeByRole(registerScopes, { official: 'unit', unit_head: 'unit', leader: 'all', coordinator: 'all', supervisor: 'all', admin: 'all' }),
});
export type VisibilityRules = z.infer<typeof visibilityRulesSchema>;

/** The person asking to read, and whether the roster knows them. */
export interface Reader extends Actor {
  onRoster: boolean;
}

/** Which projects a register shows a reader. */
export type RegisterScope = { kind: 'all' } | { kind: 'unit'; unitId: number } | { kind: 'none' };

function answersFor(reader: Reader, parties: ProjectParties): boolean {
  return reader.openId === parties.ownerOpenId || reader.openId === parties.leaderOpenId || reader.openId === parties.unitHeadOpenId;
}

/** Whether the reader may see one project's card and record. */
export function mayReadProject(reader: Reader, parties: ProjectParties, rules: VisibilityRules): boolean {
  if (!reader.onRoster) return false;
  const scope = rules.project[reader.role];
  if (scope === 'all' || answersFor(reader, parties)) return true;
  return scope === 'unit' && reader.unitId !== null && reader.unitId === parties.unitId;
}

/** Which projects the reader's registers (ledger, referrers) show. A unit scope without a unit shows nothing. */
export function registerScope(reader: Reader, rules: VisibilityRules): RegisterScope {
  const scope = reader.onRoster ? rules.registers[reader.role] : 'none';
  if (scope === 'all') return { kind: 'all' };
  return scope === 'unit' && reader.unitId !== null ? { kind: 'unit', unitId: reader.unitId } : { kind: 'none' };
}

/** Why a register shows a reader nothing, in words for them. */
export function registerRefusal(reader: Reader): string {
  if (!reader.onRoster) return '您还不在名册中，不能查看项目台账。请联系招商服务中心把您录入名册。';
  return reader.unitId === null ? '您还不在名册的任何单位中，不能查看项目台账。' : '按县里的规定，您的角色不能查看项目台账。';
}

/** Why a reader may not, in words for them. */
export function readRefusal(reader: Reader): string {
  return reader.onRoster ? '您无权查看这个项目的详情。' : '您还不在名册中，不能查看项目详情。请联系招商服务中心把您录入名册。';
}
