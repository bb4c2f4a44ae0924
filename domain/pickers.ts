/**
 * Who a card's person picker offers. Without a list of its own, Lark's picker offers the members
 * of the chat the card is in, and a notice or form in a direct chat with the bot would offer the
 * reader alone; so every picker carries the people who may be chosen, most likely first.
 */

import type { ProjectParties } from './permissions';
import type { PersonRole } from './vocabulary';

/** Enough for a unit and the county's officials; keeps a form card far below Lark's 30 KB. */
export const MAX_PICKER_PEOPLE = 100;

/** A person on the roster, as the pickers need them. */
export interface RosterPerson {
  openId: string;
  role: PersonRole;
  unitId: number | null;
}

/** The people a picker offers, and how many more there were than it can hold. */
export interface PickerPeople {
  openIds: string[];
  left: number;
}

const OFFICIAL_ROLES: readonly PersonRole[] = ['official', 'unit_head'];

/** At most {@link MAX_PICKER_PEOPLE} people, each once, in order, and how many were left out. */
export function capped(openIds: Iterable<string>): PickerPeople {
  const unique = [...new Set(openIds)];
  return { openIds: unique.slice(0, MAX_PICKER_PEOPLE), left: Math.max(0, unique.length - MAX_PICKER_PEOPLE) };
}

/** 负责人 (registering a lead, 改派): officials of the given unit first, then the county's other officials. */
export function ownerCandidates(roster: readonly RosterPerson[], unitId: number | null): PickerPeople {
  const officials = roster.filter((p) => OFFICIAL_ROLES.includes(p.role));
  return capped([...officials.filter((p) => unitId !== null && p.unitId === unitId), ...officials].map((p) => p.openId));
}

/** 包抓领导: the county leaders. */
export function leaderCandidates(roster: readonly RosterPerson[]): PickerPeople {
  return capped(roster.filter((p) => p.role === 'leader').map((p) => p.openId));
}

/** 约谈: the project's owner, unit head and leader, the people of its unit, and the coordinators. */
export function summonsCandidates(roster: readonly RosterPerson[], parties: ProjectParties): PickerPeople {
  const named = [parties.ownerOpenId, parties.unitHeadOpenId, parties.leaderOpenId].filter((id): id is string => id !== null);
  const unit = roster.filter((p) => parties.unitId !== null && p.unitId === parties.unitId).map((p) => p.openId);
  const coordinators = roster.filter((p) => p.role === 'coordinator').map((p) => p.openId);
  return capped([...named, ...unit, ...coordinators]);
}
