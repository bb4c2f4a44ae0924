import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PeopleRepository, UnitsRepository } from '../../db/people-repository';
import type { Store } from '../../db/store';
import { personRoles } from '../../domain/vocabulary';

/** A unit's full name fits well within this (县自然资源和规划局); cards are sized for it. */
export const MAX_UNIT_NAME = 30;
/** A person's name as the roster writes it. */
export const MAX_PERSON_NAME = 20;

const rosterSchema = z.object({
  units: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(MAX_UNIT_NAME, `单位名称最多 ${MAX_UNIT_NAME} 字`),
        kind: z.enum(['department', 'township']),
        /** 分管领导: the name of a person in `people` with role leader. */
        leader: z.string().trim().min(1).optional(),
      }),
    )
    .default([]),
  people: z
    .array(
      z
        .object({
          name: z.string().trim().min(1).max(MAX_PERSON_NAME, `姓名最多 ${MAX_PERSON_NAME} 字`),
          open_id: z.string().trim().min(1).optional(),
          mobile: z.coerce.string().trim().min(1).optional(),
          email: z.email().optional(),
          unit: z.string().trim().min(1).optional(),
          role: z.enum(personRoles).default('official'),
        })
        .refine((p) => p.open_id || p.mobile || p.email, { message: '每人至少要有 open_id、mobile 或 email 之一' }),
    )
    .default([]),
});
export type Roster = z.infer<typeof rosterSchema>;

export interface RosterImportResult {
  units: number;
  people: number;
  /** People whose mobile or email Lark did not know: not imported, listed for the coordinator. */
  unresolved: string[];
}

/** Reads and validates a roster file (YAML or JSON); every problem is listed with its place. */
export function parseRoster(text: string): Roster {
  const parsed = rosterSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    throw new Error(`名册格式有误:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const unitNames = new Set(parsed.data.units.map((u) => u.name));
  const unknownUnits = parsed.data.people.filter((p) => p.unit && !unitNames.has(p.unit)).map((p) => `${p.name}: 单位「${p.unit}」不在 units 中`);
  const leaders = new Set(parsed.data.people.filter((p) => p.role === 'leader').map((p) => p.name));
  const unknownLeaders = parsed.data.units
    .filter((u) => u.leader && !leaders.has(u.leader))
    .map((u) => `${u.name}: 分管领导「${u.leader}」不是 people 中的 leader`);
  const problems = [...unknownUnits, ...unknownLeaders];
  if (problems.length > 0) throw new Error(`名册格式有误:\n${problems.map((u) => `  - ${u}`).join('\n')}`);
  return parsed.data;
}

/**
 * Imports a roster: mobiles and emails are resolved to open_ids through Lark first, then every
 * unit and person is upserted in one transaction, so re-importing the same file changes nothing
 * and a failed import changes nothing either.
 */
export async function importRoster(
  roster: Roster,
  deps: {
    store: Store;
    units: UnitsRepository;
    people: PeopleRepository;
    openIdsByContact: (query: { mobiles?: string[]; emails?: string[] }) => Promise<Map<string, string>>;
  },
): Promise<RosterImportResult> {
  const needLookup = roster.people.filter((p) => !p.open_id);
  const found = new Map<string, string>();
  for (const batch of chunks(needLookup, 50)) {
    const mobiles = batch.flatMap((p) => (p.mobile ? [p.mobile] : []));
    const emails = batch.flatMap((p) => (!p.mobile && p.email ? [p.email] : []));
    for (const [contact, openId] of await deps.openIdsByContact({ mobiles, emails })) found.set(contact, openId);
  }
  const openIdOf = (p: Roster['people'][number]) => p.open_id ?? found.get(p.mobile ?? '') ?? found.get(p.email ?? '');
  const unresolved = roster.people.filter((p) => !openIdOf(p)).map((p) => `${p.name}（${p.mobile ?? p.email}）`);

  let imported = 0;
  await deps.store.transaction(async () => {
    const unitIds = new Map<string, number>();
    for (const u of roster.units) unitIds.set(u.name, (await deps.units.upsert(u.name, u.kind)).id);
    for (const person of roster.people) {
      const openId = openIdOf(person);
      if (!openId) continue;
      await deps.people.upsertFromRoster({
        openId,
        name: person.name,
        unitId: person.unit ? unitIds.get(person.unit)! : null,
        role: person.role,
        mobile: person.mobile,
        email: person.email,
      });
      imported += 1;
    }
    for (const unit of roster.units) {
      const leader = unit.leader ? roster.people.find((p) => p.name === unit.leader && p.role === 'leader') : undefined;
      await deps.units.setLeader(unitIds.get(unit.name)!, (leader && openIdOf(leader)) ?? null);
    }
  });
  return { units: roster.units.length, people: imported, unresolved };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
