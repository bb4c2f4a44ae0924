import type { Blocker } from '../db/blockers-repository';
import type { PeopleRepository } from '../db/people-repository';

/**
 * Who works a blocker and hears its reminders: the person the unit handed it to, else the unit's
 * head; the coordinators when the roster names no head, so that no blocker goes unheard.
 */
export async function blockerHolders(b: Pick<Blocker, 'handlerOpenId' | 'unitId'>, people: PeopleRepository): Promise<string[]> {
  const holder = b.handlerOpenId ?? (await people.unitHead(b.unitId))?.openId;
  return holder ? [holder] : (await people.coordinatorsOrAdmins()).map((p) => p.openId);
}
