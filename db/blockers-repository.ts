import { and, asc, eq, inArray, isNotNull, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { type BlockerStatus, UNFINISHED, WITH_UNIT } from '../domain/blockers';
import type { Clock } from '../domain/clock';
import { inBatches } from './batches';
import type { blockers, commitmentDeliveries, meetingItems, meetings } from './schema-pg';
import type { Store } from './store';

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
export function createBlockersRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { blockers, commitmentDeliveries, meetingItems, meetings, people, projectHistory, projects, units } = store.tables;
  // A number in both dialects, whatever type the driver reads the sum back as.
  const deliveredWan =
    sql<number>`(select coalesce(sum(${commitmentDeliveries.amountWan}), 0) from ${commitmentDeliveries} where ${commitmentDeliveries.blockerId} = ${blockers.id})`.mapWith(
      Number,
    );
  const view = () =>
    store.db
      .select({
        blocker: blockers,
        code: projects.code,
        projectName: projects.name,
        unitName: units.name,
        ownerOpenId: projects.ownerOpenId,
        leaderOpenId: projects.leaderOpenId,
        projectUnitId: projects.unitId,
        workChatId: projects.workChatId,
        deliveredWan,
      })
      .from(blockers)
      .innerJoin(projects, eq(projects.id, blockers.projectId))
      .innerJoin(units, eq(units.id, blockers.unitId));
  type Row = Awaited<ReturnType<typeof view>>[number];
  const asView = ({ blocker, ...rest }: Row): BlockerView => ({ ...blocker, ...rest });

  const seen = async (sourceKey: string) =>
    (await store.db.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, sourceKey)).limit(1)).length > 0;

  const log = async (request: BlockerRequest, now: Date, action: string, changes: Record<string, unknown>) => {
    await store.db
      .insert(projectHistory)
      .values({ projectId: request.projectId, at: now, actorOpenId: request.actorOpenId, action, changes, sourceKey: request.sourceKey });
  };

  return {
    async byId(id: number): Promise<BlockerView | undefined> {
      const [row] = await view().where(eq(blockers.id, id)).limit(1);
      return row && asView(row);
    },

    /**
     * Raises a blocker (or records a decision) with its history entry; a request seen before
     * returns the blocker it raised then.
     */
    async raise(
      request: BlockerRequest & { actorOpenId: string },
      fields: NewBlocker,
      action: 'blocker_raised' | 'decision_recorded' | 'commitment_made',
    ): Promise<{ blocker: Blocker; created: boolean }> {
      return store.transaction(async () => {
        const [existing] = await store.db.select().from(blockers).where(eq(blockers.sourceKey, request.sourceKey)).limit(1);
        if (existing) return { blocker: existing, created: false };
        const now = new Date(clock());
        const [blocker] = await store.db
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
          .returning();
        const { kind, description, dueDate, unitId, complaint, meetingId, answersId, basis, amountWan } = fields;
        await log({ ...request, sourceKey: `${request.sourceKey}#history` }, now, action, {
          blocker: blocker!.id,
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
          await store.db
            .update(blockers)
            .set({ status: 'superseded', closedDay: fields.raisedDay, updatedAt: now })
            .where(and(eq(blockers.id, answersId), eq(blockers.type, 'decision'), inArray(blockers.status, UNFINISHED as BlockerStatus[])));
        }
        return { blocker: blocker!, created: true };
      });
    },

    /**
     * One step of a blocker's life (受理, 退回, 办结…): `patch` applies only while it is still in
     * `from`; the history entry names the blocker and the step. False when nothing changed.
     */
    async step(
      request: BlockerRequest,
      blocker: Blocker,
      from: readonly BlockerStatus[],
      patch: Partial<Blocker>,
      action: string,
      changes: Record<string, unknown>,
    ): Promise<boolean> {
      return store.transaction(async () => {
        if (await seen(request.sourceKey)) return false;
        const now = new Date(clock());
        const updated = await store.db
          .update(blockers)
          .set({ ...patch, updatedAt: now })
          .where(and(eq(blockers.id, blocker.id), inArray(blockers.status, from as BlockerStatus[])))
          .returning({ id: blockers.id });
        if (updated.length !== 1) return false;
        await log(request, now, action, { blocker: blocker.id, ...changes });
        return true;
      });
    },

    /**
     * 兑现: a dated delivery on a commitment, with its history entry; `keptOn` (the day the
     * deliveries, in date order, reached the promise) closes it. False when this request was seen before.
     */
    async deliver(
      request: BlockerRequest & { actorOpenId: string },
      commitment: Blocker,
      delivery: { day: string; amountWan: number | null; evidence: string },
      keptOn: string | null,
    ): Promise<boolean> {
      return store.transaction(async () => {
        if (await seen(request.sourceKey)) return false;
        const now = new Date(clock());
        await store.db
          .insert(commitmentDeliveries)
          .values({ blockerId: commitment.id, ...delivery, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey });
        if (keptOn !== null) {
          await store.db
            .update(blockers)
            .set({ status: 'closed', resolvedDay: keptOn, closedDay: keptOn, updatedAt: now })
            .where(eq(blockers.id, commitment.id));
        }
        await log(request, now, 'commitment_delivered', { blocker: commitment.id, ...delivery, kept: keptOn !== null });
        return true;
      });
    },

    /** A commitment's deliveries, in the order they were recorded. */
    async deliveries(blockerId: number): Promise<Delivery[]> {
      return store.db.select().from(commitmentDeliveries).where(eq(commitmentDeliveries.blockerId, blockerId)).orderBy(asc(commitmentDeliveries.id));
    },

    /** A project's commitments, numbered from 1 in the order they were made. */
    async commitmentsOf(projectId: number): Promise<BlockerView[]> {
      const rows = await view()
        .where(and(eq(blockers.projectId, projectId), eq(blockers.type, 'commitment')))
        .orderBy(asc(blockers.id));
      return rows.map(asView);
    },

    /** Blockers and decisions matching `filter`, overdue first, then by time limit. */
    async list(filter: BlockerFilter): Promise<BlockerView[]> {
      const where = and(
        filter.unitIds ? inArray(blockers.unitId, filter.unitIds) : undefined,
        filter.projectIds ? inArray(blockers.projectId, filter.projectIds) : undefined,
        filter.types ? inArray(blockers.type, filter.types as Blocker['type'][]) : undefined,
        filter.kind ? eq(blockers.kind, filter.kind) : undefined,
        filter.overdueOn ? and(inArray(blockers.status, WITH_UNIT as BlockerStatus[]), lt(blockers.dueDate, filter.overdueOn)) : undefined,
        filter.statuses ? inArray(blockers.status, filter.statuses as BlockerStatus[]) : undefined,
      );
      const rows = await view().where(where).orderBy(asc(blockers.dueDate), asc(blockers.id));
      return rows.map(asView);
    },

    /**
     * What `openId` holds and is reminded of: those handed to them, those of the units they head
     * that nobody in the unit was handed, and, when they `standsIn` (the coordinators), those of
     * units with no head on the roster.
     */
    async heldBy(openId: string, standsIn: boolean): Promise<BlockerView[]> {
      const headed = store.db
        .select({ id: people.unitId })
        .from(people)
        .where(and(eq(people.openId, openId), eq(people.role, 'unit_head'), isNotNull(people.unitId)));
      const anyHead = store.db
        .select({ id: people.unitId })
        .from(people)
        .where(and(eq(people.role, 'unit_head'), isNotNull(people.unitId)));
      const unassigned = isNull(blockers.handlerOpenId);
      const rows = await view()
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
        .orderBy(asc(blockers.dueDate));
      return rows.map(asView);
    },

    /** Every blocker still with its unit: their reminders are re-armed at start. */
    async allWithUnit(): Promise<Pick<Blocker, 'id' | 'dueDate'>[]> {
      return store.db
        .select({ id: blockers.id, dueDate: blockers.dueDate })
        .from(blockers)
        .where(inArray(blockers.status, WITH_UNIT as BlockerStatus[]));
    },

    /** Still with the unit and past the time limit on `today`: they climb the overdue ladder. */
    async overdue(today: string): Promise<BlockerView[]> {
      return this.list({ overdueOn: today });
    },

    /** 办结 reported and waiting for the raiser's word. */
    async awaitingConfirmation(): Promise<Blocker[]> {
      return store.db.select().from(blockers).where(eq(blockers.status, 'resolved'));
    },

    /** Unfinished decisions that answer each blocker: such a blocker is on the agenda through its decision. */
    async answeredIds(): Promise<Set<number>> {
      const rows = await store.db
        .select({ id: blockers.answersId })
        .from(blockers)
        .where(and(eq(blockers.type, 'decision'), inArray(blockers.status, UNFINISHED as BlockerStatus[]), isNotNull(blockers.answersId)));
      return new Set(rows.map((r) => r.id!));
    },

    async scheduleMeeting(meeting: Pick<Meeting, 'day' | 'time' | 'place' | 'scheduledBy' | 'sourceKey'>): Promise<{ meeting: Meeting; created: boolean }> {
      // One transaction, so a retry arriving meanwhile finds the meeting instead of colliding on its sourceKey.
      return store.transaction(async () => {
        const [existing] = await store.db.select().from(meetings).where(eq(meetings.sourceKey, meeting.sourceKey)).limit(1);
        if (existing) return { meeting: existing, created: false };
        const [created] = await store.db
          .insert(meetings)
          .values({ ...meeting, createdAt: new Date(clock()) })
          .returning();
        return { meeting: created!, created: true };
      });
    },

    async meeting(id: number): Promise<Meeting | undefined> {
      return (await store.db.select().from(meetings).where(eq(meetings.id, id)).limit(1))[0];
    },

    /** Meetings whose agenda is not fixed yet. */
    async meetingsWithoutAgenda(): Promise<Meeting[]> {
      return store.db.select().from(meetings).where(isNull(meetings.agendaAt)).orderBy(asc(meetings.day));
    },

    /** Fixes a meeting's agenda, once. */
    async fixAgenda(meetingId: number, items: { blockerId: number; reason: string }[]): Promise<void> {
      await store.transaction(async () => {
        const marked = await store.db
          .update(meetings)
          .set({ agendaAt: new Date(clock()) })
          .where(and(eq(meetings.id, meetingId), isNull(meetings.agendaAt)))
          .returning({ id: meetings.id });
        if (marked.length !== 1) return;
        const rows = items.map((item, position) => ({ meetingId, position, ...item }));
        for (const batch of inBatches(rows)) await store.db.insert(meetingItems).values(batch);
      });
    },

    async agenda(meetingId: number): Promise<(MeetingItem & { blocker: BlockerView })[]> {
      const items = await store.db.select().from(meetingItems).where(eq(meetingItems.meetingId, meetingId)).orderBy(asc(meetingItems.position));
      const byId = new Map(
        items.length === 0
          ? []
          : (
              await view().where(
                inArray(
                  blockers.id,
                  items.map((i) => i.blockerId),
                ),
              )
            ).map((r) => [r.blocker.id, asView(r)] as const),
      );
      return items.map((item) => ({ ...item, blocker: byId.get(item.blockerId)! }));
    },

    /** Decisions a meeting took, by the item they answer. */
    async decisionsOf(meetingId: number): Promise<Map<number, Blocker>> {
      const rows = await store.db
        .select()
        .from(blockers)
        .where(and(eq(blockers.type, 'decision'), eq(blockers.meetingId, meetingId)));
      return new Map(rows.map((d) => [d.answersId!, d]));
    },

    /** Candidates for an agenda: every unfinished blocker and decision. */
    async unfinished(): Promise<BlockerView[]> {
      return this.list({ statuses: UNFINISHED });
    },

    async unitLeader(unitId: number): Promise<string | null> {
      const [unit] = await store.db.select({ leader: units.leaderOpenId }).from(units).where(eq(units.id, unitId)).limit(1);
      return unit?.leader ?? null;
    },
  };
}

export type BlockersRepository = ReturnType<typeof createBlockersRepository>;
