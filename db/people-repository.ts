import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { closestChoices } from '../domain/text';
import type { Reader } from '../domain/visibility';
import type { PersonRole } from '../domain/vocabulary';
import type { people, units } from './schema-pg';
import type { Store } from './store';

export type Person = typeof people.$inferSelect;

/** A person as the reading rules see them: role, unit, and whether the roster knows them. */
export const readerOf = (p: Person): Reader => ({ openId: p.openId, role: p.role, unitId: p.unitId, onRoster: p.source === 'roster' });
export type Unit = typeof units.$inferSelect;

export interface SeenPerson {
  openId: string;
  name: string;
}

export function createPeopleRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { people } = store.tables;
  const peopleWhere = async (where: SQL) => store.db.select().from(people).where(where);
  const personOf = async (openId: string) => (await store.db.select().from(people).where(eq(people.openId, openId)).limit(1))[0];

  return {
    async get(openId: string): Promise<Person | undefined> {
      return personOf(openId);
    },

    /**
     * Records someone first seen in a message, so that no project is lost for want of a roster
     * entry. A known person keeps their roster data; only an empty name is filled in (a message's
     * sender comes without a name; a mention of them carries it).
     */
    async recordSeen(person: SeenPerson): Promise<Person> {
      const now = new Date(clock());
      const insert = store.db.insert(people).values({ openId: person.openId, name: person.name, source: 'event', updatedAt: now, createdAt: now });
      // A sighting without a name has nothing to fill in.
      await (person.name === ''
        ? insert.onConflictDoNothing()
        : insert.onConflictDoUpdate({ target: people.openId, set: { name: person.name, updatedAt: now }, setWhere: eq(people.name, '') }));
      return (await personOf(person.openId))!;
    },

    /** Roster import: creates or overwrites the person's name, unit, role and contacts. */
    async upsertFromRoster(entry: { openId: string; name: string; unitId: number | null; role: PersonRole; mobile?: string; email?: string }): Promise<void> {
      const now = new Date(clock());
      const values = {
        name: entry.name,
        unitId: entry.unitId,
        role: entry.role,
        mobile: entry.mobile ?? null,
        email: entry.email ?? null,
        source: 'roster' as const,
        updatedAt: now,
      };
      await store.db
        .insert(people)
        .values({ openId: entry.openId, createdAt: now, ...values })
        .onConflictDoUpdate({ target: people.openId, set: values });
    },

    /** Everyone on the roster, by unit and name: the people pickers choose from. */
    async roster(): Promise<Person[]> {
      // People without a unit first, in both dialects (PostgreSQL would put nulls last).
      return store.db.select().from(people).where(eq(people.source, 'roster')).orderBy(sql`${people.unitId} nulls first`, people.name);
    },

    async withRole(role: PersonRole): Promise<Person[]> {
      return peopleWhere(eq(people.role, role));
    },

    /** Who hears what no one else is assigned to: 招商服务中心, or the admins when it has nobody. */
    async coordinatorsOrAdmins(): Promise<Person[]> {
      const coordinators = await peopleWhere(eq(people.role, 'coordinator'));
      return coordinators.length > 0 ? coordinators : peopleWhere(eq(people.role, 'admin'));
    },

    async findByName(name: string): Promise<Person[]> {
      return peopleWhere(eq(people.name, name));
    },

    async many(openIds: string[]): Promise<Person[]> {
      return openIds.length === 0 ? [] : peopleWhere(inArray(people.openId, openIds));
    },

    async unitHead(unitId: number): Promise<Person | undefined> {
      return (
        await store.db
          .select()
          .from(people)
          .where(and(eq(people.unitId, unitId), eq(people.role, 'unit_head')))
          .limit(1)
      )[0];
    },
  };
}

export function createUnitsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { units } = store.tables;
  const unitWhere = async (where: SQL) => (await store.db.select().from(units).where(where).limit(1))[0];

  return {
    async get(id: number): Promise<Unit | undefined> {
      return unitWhere(eq(units.id, id));
    },
    async byName(name: string): Promise<Unit | undefined> {
      return unitWhere(eq(units.name, name));
    },
    async all(): Promise<Unit[]> {
      return store.db.select().from(units).orderBy(units.id);
    },
    /** Unit names that look like a mistyped one, for "did you mean". */
    async closestNames(name: string): Promise<string[]> {
      const names = await store.db.select({ name: units.name }).from(units);
      return closestChoices(
        name,
        names.map((u) => ({ label: u.name, choice: u.name })),
      );
    },
    /** Roster import: the unit's 分管领导 (null: none named). */
    async setLeader(unitId: number, leaderOpenId: string | null): Promise<void> {
      await store.db.update(units).set({ leaderOpenId }).where(eq(units.id, unitId));
    },
    /** The units a county leader is in charge of (分管). */
    async ledBy(openId: string): Promise<Set<number>> {
      const led = await store.db.select({ id: units.id }).from(units).where(eq(units.leaderOpenId, openId));
      return new Set(led.map((u) => u.id));
    },
    /** Roster import: the unit by name, created if new; its kind follows the roster. */
    async upsert(name: string, kind: Unit['kind']): Promise<Unit> {
      // The update always applies, so the statement returns the unit whether it was new or not.
      const [unit] = await store.db
        .insert(units)
        .values({ name, kind, createdAt: new Date(clock()) })
        .onConflictDoUpdate({ target: units.name, set: { kind } })
        .returning();
      return unit!;
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
