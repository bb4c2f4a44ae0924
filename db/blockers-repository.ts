import { and, asc, eq, inArray, isNotNull, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { type BlockerStatus, UNFINISHED, WITH_UNIT } from '../domain/blockers';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { blockers, commitmentDeliveries, meetingItems, meetings, people, projectHistory, projects, units } from './schema';

export type Blocker = typeof blockers.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type Delivery = typeof commitmentDeliveries.$inferSelect;
export type MeetingItem = typeof meetingItems.$inferSelect;

/** A blocker with the names its cards and lists show. */
export interface BlockerView extends Blocker {
  code: string;
  projectName: string;
  unitName: string;
  ownerOpenId: string;
  leaderOpenId: string | null;
  projectUnitId: number | null;
  /** The project's work group (专班), if it has one. */
  workChatId: string | null;
  /** A commitment's deliveries so far, 万元 (0 for the others). */
  deliveredWan: number;
}

/** Who asked, and the request's idempotency key; the daily silence check acts as nobody. */
export interface BlockerRequest {
  projectId: number;
  actorOpenId: string | null;
  sourceKey: string;
}

/** What raising a blocker (or recording a decision) writes. */
export type NewBlocker = Pick<Blocker, 'type' | 'kind' | 'complaint' | 'description' | 'unitId' | 'dueDate' | 'raisedDay' | 'sourceChatId'> &
  Partial<Pick<Blocker, 'meetingId' | 'answersId' | 'basis' | 'amountWan'>>;

/** Which blockers a list shows; every field left out lists all. */
export interface BlockerFilter {
  unitIds?: number[];
  projectIds?: number[];
  types?: readonly Blocker['type'][];
  kind?: string;
  /** Overdue on this day only. */
  overdueOn?: string;
  statuses?: readonly BlockerStatus[];
}

/**
 * Blockers and decisions, and the joint meetings. Each change is one transaction with its project
 * history entry, keyed by the request's sourceKey (a retried request writes nothing twice), and
 * applies only while the blocker is still in the state it was read in (two taps, one change). The
 * entries are not activity on the project: a problem raised is not progress.
 */
function createBlockersRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const view = () =>
    db
      .select({
        blocker: blockers,
        code: projects.code,
        projectName: projects.name,
        unitName: units.name,
        ownerOpenId: projects.ownerOpenId,
        leaderOpenId: projects.leaderOpenId,
        projectUnitId: projects.unitId,
        workChatId: projects.workChatId,
        deliveredWan: sql<number>`(select coalesce(sum(${commitmentDeliveries.amountWan}), 0) from ${commitmentDeliveries} where ${commitmentDeliveries.blockerId} = ${blockers.id})`,
      })
      .from(blockers)
      .innerJoin(projects, eq(projects.id, blockers.projectId))
      .innerJoin(units, eq(units.id, blockers.unitId));
  type Row = Awaited<ReturnType<ReturnType<typeof view>['all']>>[number];
  const asView = ({ blocker, ...rest }: Row): BlockerView => ({ ...blocker, ...rest });

  const seen = (tx: Db, sourceKey: string) =>
    tx.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, sourceKey)).get() !== undefined;

  const log = (tx: Db, request: BlockerRequest, now: Date, action: string, changes: Record<string, unknown>) =>
    tx
      .insert(projectHistory)
      .values({ projectId: request.projectId, at: now, actorOpenId: request.actorOpenId, action, changes, sourceKey: request.sourceKey })
      .run();

  return {
    byId(id: number): BlockerView | undefined {
      const row = view().where(eq(blockers.id, id)).get();
      return row && asView(row);
    },

    /**
     * Raises a blocker (or records a decision) with its history entry; a request seen before
     * returns the blocker it raised then.
     */
    raise(
      request: BlockerRequest & { actorOpenId: string },
      fields: NewBlocker,
      action: 'blocker_raised' | 'decision_recorded' | 'commitment_made',
    ): { blocker: Blocker; created: boolean } {
      return db.transaction((tx) => {
        const existing = tx.select().from(blockers).where(eq(blockers.sourceKey, request.sourceKey)).get();
        if (existing) return { blocker: existing, created: false };
        const now = new Date(clock());
        const blocker = tx
          .insert(blockers)
          .values({
            ...fields,
            projectId: request.projectId,
            raisedBy: request.actorOpenId,
            raisedAt: now,
            status: 'open',
            sourceKey: request.sourceKey,
            updatedAt: now,
          })
          .returning()
          .get();
        const { kind, description, dueDate, unitId, complaint, meetingId, answersId, basis, amountWan } = fields;
        log(tx as unknown as Db, { ...request, sourceKey: `${request.sourceKey}#history` }, now, action, {
          blocker: blocker.id,
          kind,
          description,
          unitId,
          dueDate,
          complaint,
          meetingId,
          answersId,
          basis,
          amountWan,
        });
        // A new decision on an earlier decision carries it on: the earlier one is closed as superseded.
        if (fields.type === 'decision' && answersId) {
          tx.update(blockers)
            .set({ status: 'superseded', closedDay: fields.raisedDay, updatedAt: now })
            .where(and(eq(blockers.id, answersId), eq(blockers.type, 'decision'), inArray(blockers.status, UNFINISHED as BlockerStatus[])))
            .run();
        }
        return { blocker, created: true };
      });
    },

    /**
     * One step of a blocker's life (受理, 退回, 办结…): `patch` applies only while it is still in
     * `from`; the history entry names the blocker and the step. False when nothing changed.
     */
    step(
      request: BlockerRequest,
      blocker: Blocker,
      from: readonly BlockerStatus[],
      patch: Partial<Blocker>,
      action: string,
      changes: Record<string, unknown>,
    ): boolean {
      return db.transaction((tx) => {
        if (seen(tx as unknown as Db, request.sourceKey)) return false;
        const now = new Date(clock());
        const updated = tx
          .update(blockers)
          .set({ ...patch, updatedAt: now })
          .where(and(eq(blockers.id, blocker.id), inArray(blockers.status, from as BlockerStatus[])))
          .run();
        if (updated.changes !== 1) return false;
        log(tx as unknown as Db, request, now, action, { blocker: blocker.id, ...changes });
        return true;
      });
    },

    /**
     * 兑现: a dated delivery on a commitment, with its history entry; `keptOn` (the day the
     * deliveries, in date order, reached the promise) closes it. False when this request was seen before.
     */
    deliver(
      request: BlockerRequest & { actorOpenId: string },
      commitment: Blocker,
      delivery: { day: string; amountWan: number | null; evidence: string },
      keptOn: string | null,
    ): boolean {
      return db.transaction((tx) => {
        if (seen(tx as unknown as Db, request.sourceKey)) return false;
        const now = new Date(clock());
        tx.insert(commitmentDeliveries)
          .values({ blockerId: commitment.id, ...delivery, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey })
          .run();
        if (keptOn !== null) {
          tx.update(blockers).set({ status: 'closed', resolvedDay: keptOn, closedDay: keptOn, updatedAt: now }).where(eq(blockers.id, commitment.id)).run();
        }
        log(tx as unknown as Db, request, now, 'commitment_delivered', { blocker: commitment.id, ...delivery, kept: keptOn !== null });
        return true;
      });
    },

    /** A commitment's deliveries, in the order they were recorded. */
    deliveries(blockerId: number): Delivery[] {
      return db.select().from(commitmentDeliveries).where(eq(commitmentDeliveries.blockerId, blockerId)).orderBy(asc(commitmentDeliveries.id)).all();
    },

    /** A project's commitments, numbered from 1 in the order they were made. */
    commitmentsOf(projectId: number): BlockerView[] {
      return view()
        .where(and(eq(blockers.projectId, projectId), eq(blockers.type, 'commitment')))
        .orderBy(asc(blockers.id))
        .all()
        .map(asView);
    },

    /** Blockers and decisions matching `filter`, overdue first, then by time limit. */
    list(filter: BlockerFilter): BlockerView[] {
      const where = and(
        filter.unitIds ? inArray(blockers.unitId, filter.unitIds) : undefined,
        filter.projectIds ? inArray(blockers.projectId, filter.projectIds) : undefined,
        filter.types ? inArray(blockers.type, filter.types as Blocker['type'][]) : undefined,
        filter.kind ? eq(blockers.kind, filter.kind) : undefined,
        filter.overdueOn ? and(inArray(blockers.status, WITH_UNIT as BlockerStatus[]), lt(blockers.dueDate, filter.overdueOn)) : undefined,
        filter.statuses ? inArray(blockers.status, filter.statuses as BlockerStatus[]) : undefined,
      );
      return view().where(where).orderBy(asc(blockers.dueDate), asc(blockers.id)).all().map(asView);
    },

    /**
     * What `openId` holds and is reminded of: those handed to them, those of the units they head
     * that nobody in the unit was handed, and, when they `standsIn` (the coordinators), those of
     * units with no head on the roster.
     */
    heldBy(openId: string, standsIn: boolean): BlockerView[] {
      const headed = db
        .select({ id: people.unitId })
        .from(people)
        .where(and(eq(people.openId, openId), eq(people.role, 'unit_head'), isNotNull(people.unitId)));
      const anyHead = db
        .select({ id: people.unitId })
        .from(people)
        .where(and(eq(people.role, 'unit_head'), isNotNull(people.unitId)));
      const unassigned = isNull(blockers.handlerOpenId);
      return view()
        .where(
          and(
            inArray(blockers.status, WITH_UNIT as BlockerStatus[]),
            or(
              eq(blockers.handlerOpenId, openId),
              and(unassigned, inArray(blockers.unitId, headed)),
              // The coordinators stand in for units the roster names no head for.
              standsIn ? and(unassigned, notInArray(blockers.unitId, anyHead)) : undefined,
            ),
          ),
        )
        .orderBy(asc(blockers.dueDate))
        .all()
        .map(asView);
    },

    /** Every blocker still with its unit: their reminders are re-armed at start. */
    allWithUnit(): Pick<Blocker, 'id' | 'dueDate'>[] {
      return db
        .select({ id: blockers.id, dueDate: blockers.dueDate })
        .from(blockers)
        .where(inArray(blockers.status, WITH_UNIT as BlockerStatus[]))
        .all();
    },

    /** Still with the unit and past the time limit on `today`: they climb the overdue ladder. */
    overdue(today: string): BlockerView[] {
      return this.list({ overdueOn: today });
    },

    /** 办结 reported and waiting for the raiser's word. */
    awaitingConfirmation(): Blocker[] {
      return db.select().from(blockers).where(eq(blockers.status, 'resolved')).all();
    },

    /** Unfinished decisions that answer each blocker: such a blocker is on the agenda through its decision. */
    answeredIds(): Set<number> {
      const rows = db
        .select({ id: blockers.answersId })
        .from(blockers)
        .where(and(eq(blockers.type, 'decision'), inArray(blockers.status, UNFINISHED as BlockerStatus[]), isNotNull(blockers.answersId)))
        .all();
      return new Set(rows.map((r) => r.id!));
    },

    scheduleMeeting(meeting: Pick<Meeting, 'day' | 'time' | 'place' | 'scheduledBy' | 'sourceKey'>): { meeting: Meeting; created: boolean } {
      const existing = db.select().from(meetings).where(eq(meetings.sourceKey, meeting.sourceKey)).get();
      if (existing) return { meeting: existing, created: false };
      return {
        meeting: db
          .insert(meetings)
          .values({ ...meeting, createdAt: new Date(clock()) })
          .returning()
          .get(),
        created: true,
      };
    },

    meeting(id: number): Meeting | undefined {
      return db.select().from(meetings).where(eq(meetings.id, id)).get();
    },

    /** Meetings whose agenda is not fixed yet. */
    meetingsWithoutAgenda(): Meeting[] {
      return db.select().from(meetings).where(isNull(meetings.agendaAt)).orderBy(asc(meetings.day)).all();
    },

    /** Fixes a meeting's agenda, once. */
    fixAgenda(meetingId: number, items: { blockerId: number; reason: string }[]): void {
      db.transaction((tx) => {
        const marked = tx
          .update(meetings)
          .set({ agendaAt: new Date(clock()) })
          .where(and(eq(meetings.id, meetingId), isNull(meetings.agendaAt)))
          .run();
        if (marked.changes !== 1) return;
        for (const [position, item] of items.entries())
          tx.insert(meetingItems)
            .values({ meetingId, position, ...item })
            .run();
      });
    },

    agenda(meetingId: number): (MeetingItem & { blocker: BlockerView })[] {
      const items = db.select().from(meetingItems).where(eq(meetingItems.meetingId, meetingId)).orderBy(asc(meetingItems.position)).all();
      const byId = new Map(
        items.length === 0
          ? []
          : view()
              .where(
                inArray(
                  blockers.id,
                  items.map((i) => i.blockerId),
                ),
              )
              .all()
              .map((r) => [r.blocker.id, asView(r)] as const),
      );
      return items.map((item) => ({ ...item, blocker: byId.get(item.blockerId)! }));
    },

    /** Decisions a meeting took, by the item they answer. */
    decisionsOf(meetingId: number): Map<number, Blocker> {
      const rows = db
        .select()
        .from(blockers)
        .where(and(eq(blockers.type, 'decision'), eq(blockers.meetingId, meetingId)))
        .all();
      return new Map(rows.map((d) => [d.answersId!, d]));
    },

    /** Candidates for an agenda: every unfinished blocker and decision. */
    unfinished(): BlockerView[] {
      return this.list({ statuses: UNFINISHED });
    },

    unitLeader(unitId: number): string | null {
      return db.select({ leader: units.leaderOpenId }).from(units).where(eq(units.id, unitId)).get()?.leader ?? null;
    },
  };
}

export type BlockersRepository = ReturnType<typeof createBlockersRepository>;
export const createBlockersRepository = (a: Parameters<typeof createBlockersRepositorySync>[0]) => asyncify(createBlockersRepositorySync(a));
