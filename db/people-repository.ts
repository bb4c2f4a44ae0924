import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { closestChoices } from '../domain/text';
import type { Reader } from '../domain/visibility';
import type { PersonRole } from '../domain/vocabulary';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { people, units } from './schema';

export type Person = typeof people.$inferSelect;

/** A person as the reading rules see them: role, unit, and whether the roster knows them. */
export const readerOf = (p: Person): Reader => ({ openId: p.openId, role: p.role, unitId: p.unitId, onRoster: p.source === 'roster' });
export type Unit = typeof units.$inferSelect;

export interface SeenPerson {
  openId: string;
  name: string;
}

function createPeopleRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const byOpenId = db
    .select()
    .from(people)
    .where(eq(people.openId, sql.placeholder('openId')))
    .prepare();

  return {
    get(openId: string): Person | undefined {
      return byOpenId.get({ openId });
    },

    /**
     * Records someone first seen in a message, so that no project is lost for want of a roster
     * entry. A known person keeps their roster data; only an empty name is filled in (a message's
     * sender comes without a name; a mention of them carries it).
     */
    recordSeen(person: SeenPerson): Person {
      const now = new Date(clock());
      db.insert(people)
        .values({ openId: person.openId, name: person.name, source: 'event', updatedAt: now, createdAt: now })
        .onConflictDoUpdate({
          target: people.openId,
          set: { name: person.name, updatedAt: now },
          setWhere: sql`${people.name} = '' and ${person.name} <> ''`,
        })
        .run();
      return byOpenId.get({ openId: person.openId })!;
    },

    /** Roster import: creates or overwrites the person's name, unit, role and contacts. */
    upsertFromRoster(entry: { openId: string; name: string; unitId: number | null; role: PersonRole; mobile?: string; email?: string }): void {
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
      db.insert(people)
        .values({ openId: entry.openId, createdAt: now, ...values })
        .onConflictDoUpdate({ target: people.openId, set: values })
        .run();
    },

    /** Everyone on the roster, by unit and name: the people pickers choose from. */
    roster(): Person[] {
      return db.select().from(people).where(eq(people.source, 'roster')).orderBy(people.unitId, people.name).all();
    },

    withRole(role: PersonRole): Person[] {
      return db.select().from(people).where(eq(people.role, role)).all();
    },

    /** Who hears what no one else is assigned to: 招商服务中心, or the admins when it has nobody. */
    coordinatorsOrAdmins(): Person[] {
      const coordinators = db.select().from(people).where(eq(people.role, 'coordinator')).all();
      return coordinators.length > 0 ? coordinators : db.select().from(people).where(eq(people.role, 'admin')).all();
    },

    findByName(name: string): Person[] {
      return db.select().from(people).where(eq(people.name, name)).all();
    },

    many(openIds: string[]): Person[] {
      return openIds.length === 0 ? [] : db.select().from(people).where(inArray(people.openId, openIds)).all();
    },

    unitHead(unitId: number): Person | undefined {
      return db
        .select()
        .from(people)
        .where(and(eq(people.unitId, unitId), eq(people.role, 'unit_head')))
        .get();
    },
  };
}

function createUnitsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  return {
    get(id: number): Unit | undefined {
      return db.select().from(units).where(eq(units.id, id)).get();
    },
    byName(name: string): Unit | undefined {
      return db.select().from(units).where(eq(units.name, name)).get();
    },
    all(): Unit[] {
      return db.select().from(units).orderBy(units.id).all();
    },
    /** Unit names that look like a mistyped one, for "did you mean". */
    closestNames(name: string): string[] {
      return closestChoices(
        name,
        db
          .select({ name: units.name })
          .from(units)
          .all()
          .map((u) => ({ label: u.name, choice: u.name })),
      );
    },
    /** Roster import: the unit's 分管领导 (null: none named). */
    setLeader(unitId: number, leaderOpenId: string | null): void {
      db.update(units).set({ leaderOpenId }).where(eq(units.id, unitId)).run();
    },
    /** The units a county leader is in charge of (分管). */
    ledBy(openId: string): Set<number> {
      return new Set(
        db
          .select({ id: units.id })
          .from(units)
          .where(eq(units.leaderOpenId, openId))
          .all()
          .map((u) => u.id),
      );
    },
    /** Roster import: the unit by name, created if new; its kind follows the roster. */
    upsert(name: string, kind: Unit['kind']): Unit {
      db.insert(units)
        .values({ name, kind, createdAt: new Date(clock()) })
        .onConflictDoUpdate({ target: units.name, set: { kind } })
        .run();
      return db.select().from(units).where(eq(units.name, name)).get()!;
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
export type UnitsRepository = ReturnType<typeof createUnitsRepository>;
export const createPeopleRepository = (a: Parameters<typeof createPeopleRepositorySync>[0]) => asyncify(createPeopleRepositorySync(a));
export const createUnitsRepository = (a: Parameters<typeof createUnitsRepositorySync>[0]) => asyncify(createUnitsRepositorySync(a));
