import { and, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { MilestoneKind, ProjectStage } from '../domain/vocabulary';
import type { Project } from './projects-repository';
import type { milestones } from './schema-pg';
import { jsonText } from './sql-dialect';
import type { Store } from './store';

export type Milestone = typeof milestones.$inferSelect;

/** Who asked for a change, and the request's idempotency key (see projectHistory.sourceKey). */
export interface ChangeRequest {
  projectId: number;
  actorOpenId: string;
  sourceKey: string;
}

/** Stages whose projects are not chased: their milestones send no reminders. */
const QUIET_STAGES: ProjectStage[] = ['paused', 'lost', 'at_capacity'];

/** An open milestone with what reminders need of its project. */
export interface OpenMilestone {
  milestoneId: number;
  name: string;
  dueDate: string;
  projectId: number;
  code: string;
  projectName: string;
  ownerOpenId: string;
  /** Where the project's group messages go: its work group (专班) if it has one, else the group it was registered in. */
  sourceChatId: string | null;
}

/** Open milestones a page of a digest's reading. */
const OPEN_PAGE = 2_000;

/**
 * Moves projects through the pipeline: progress notes, stage moves, milestones. Every change writes
 * its history entry in the same transaction, keyed by the request's sourceKey, so a retried request
 * (a re-run event, a double-tapped button) finds its entry and writes nothing twice.
 */
export function createPipelineRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { fundsEntries, jobEntries, milestones, projectHistory, projects } = store.tables;
  // A project's group messages go to its work group (专班) while it has one, else to the group it was registered in.
  const groupChat = sql<string | null>`coalesce(${projects.workChatId}, ${projects.sourceChatId})`;
  const openMilestoneColumns = {
    milestoneId: milestones.id,
    name: milestones.name,
    dueDate: milestones.dueDate,
    projectId: projects.id,
    code: projects.code,
    projectName: projects.name,
    ownerOpenId: projects.ownerOpenId,
    sourceChatId: groupChat,
  };
  const openMilestones = () => store.db.select(openMilestoneColumns).from(milestones).innerJoin(projects, eq(projects.id, milestones.projectId));
  const openAndChased = and(isNull(milestones.doneDate), notInArray(projects.stage, QUIET_STAGES));

  /** Runs `apply` unless this request already left its mark in history; true when it ran. */
  function once(request: ChangeRequest, apply: (now: Date) => Promise<void>): Promise<boolean> {
    return store.transaction(async () => {
      const seen = await store.db.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, request.sourceKey)).limit(1);
      if (seen.length > 0) return false;
      await apply(new Date(clock()));
      return true;
    });
  }

  /** A history entry; by default the change is activity on the project (what stall rules watch). */
  async function record(request: ChangeRequest, now: Date, action: string, changes: Record<string, unknown>, keySuffix = '', activity = true) {
    await store.db
      .insert(projectHistory)
      .values({ projectId: request.projectId, at: now, actorOpenId: request.actorOpenId, action, changes, sourceKey: request.sourceKey + keySuffix });
    await store.db
      .update(projects)
      .set(activity ? { lastActivityAt: now, updatedAt: now } : { updatedAt: now })
      .where(eq(projects.id, request.projectId));
  }

  async function completeOpen(request: ChangeRequest, now: Date, milestone: Milestone, doneDate: string, keySuffix = '') {
    await store.db.update(milestones).set({ doneDate, updatedAt: now }).where(eq(milestones.id, milestone.id));
    await record(request, now, 'milestone_done', { milestone: milestone.name, dueDate: milestone.dueDate, doneDate }, keySuffix);
  }

  return {
    /** A progress note (进展): any note counts as activity. */
    async logProgress(request: ChangeRequest, note: string): Promise<boolean> {
      return once(request, (now) => record(request, now, 'progress', { note }));
    },

    /**
     * Moves the stage (the caller has checked the county's rules) and completes the milestone the
     * new stage stands for (签约 when signed, 开工 when started, …) if it is still open.
     */
    moveStage(
      request: ChangeRequest,
      move: { from: ProjectStage; to: ProjectStage; reason?: string; reviewDate?: string; note?: string; today: string; completes: MilestoneKind | null },
    ): Promise<boolean> {
      return once(request, async (now) => {
        await store.db
          .update(projects)
          .set({ stage: move.to, stageReason: move.reason ?? null, reviewDate: move.reviewDate ?? null })
          .where(eq(projects.id, request.projectId));
        await record(request, now, 'stage_moved', { from: move.from, to: move.to, reason: move.reason, reviewDate: move.reviewDate, note: move.note });
        const [completed] = move.completes
          ? await store.db
              .select()
              .from(milestones)
              .where(and(eq(milestones.projectId, request.projectId), eq(milestones.kind, move.completes), isNull(milestones.doneDate)))
              .limit(1)
          : [];
        if (completed) await completeOpen(request, now, completed, move.today, '#milestone');
      });
    },

    /**
     * Sets a milestone's due date, or moves it (with the reason, kept in history). A leader's 督办
     * sets one without it counting as activity: an order is not progress.
     */
    setMilestone(request: ChangeRequest, target: { kind: MilestoneKind; name: string; dueDate: string; reason?: string }, activity = true): Promise<boolean> {
      return once(request, async (now) => {
        const [existing] = await store.db
          .select()
          .from(milestones)
          .where(and(eq(milestones.projectId, request.projectId), eq(milestones.name, target.name)))
          .limit(1);
        if (existing) {
          await store.db.update(milestones).set({ dueDate: target.dueDate, doneDate: null, updatedAt: now }).where(eq(milestones.id, existing.id));
          await record(
            request,
            now,
            'milestone_moved',
            { milestone: target.name, from: existing.dueDate, to: target.dueDate, reason: target.reason },
            '',
            activity,
          );
        } else {
          await store.db
            .insert(milestones)
            .values({ projectId: request.projectId, kind: target.kind, name: target.name, dueDate: target.dueDate, createdAt: now, updatedAt: now });
          await record(request, now, 'milestone_set', { milestone: target.name, dueDate: target.dueDate }, '', activity);
        }
      });
    },

    /** 改派: a new owner, with the reason in history (not activity: the project has not moved). */
    async reassignOwner(request: ChangeRequest, newOwnerOpenId: string, reason: string): Promise<boolean> {
      return once(request, async (now) => {
        const [before] = await store.db.select({ owner: projects.ownerOpenId }).from(projects).where(eq(projects.id, request.projectId)).limit(1);
        await store.db.update(projects).set({ ownerOpenId: newOwnerOpenId }).where(eq(projects.id, request.projectId));
        await record(request, now, 'owner_reassigned', { from: before?.owner, to: newOwnerOpenId, reason }, '', false);
      });
    },

    async completeMilestone(request: ChangeRequest, milestone: Milestone, doneDate: string): Promise<boolean> {
      return once(request, (now) => completeOpen(request, now, milestone, doneDate));
    },

    /** 到位资金: a dated entry of funds in place; it counts as activity. */
    async recordFunds(request: ChangeRequest, amountWan: number, day: string): Promise<boolean> {
      return once(request, async (now) => {
        await store.db
          .insert(fundsEntries)
          .values({ projectId: request.projectId, amountWan, day, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey });
        await record(request, now, 'funds_recorded', { amountWan, day });
      });
    },

    /** 就业岗位: a dated entry of jobs created; it counts as activity. */
    async recordJobs(request: ChangeRequest, jobs: number, day: string): Promise<boolean> {
      return once(request, async (now) => {
        await store.db
          .insert(jobEntries)
          .values({ projectId: request.projectId, jobs, day, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey });
        await record(request, now, 'jobs_recorded', { jobs, day });
      });
    },

    /** Funds in place (万元) and jobs created, all entries added up. */
    async totals(projectId: number): Promise<{ fundsWan: number; jobs: number }> {
      // PostgreSQL sums integers as bigint, which its driver hands over as a string.
      const [funds] = await store.db
        .select({ sum: sql<number>`coalesce(sum(${fundsEntries.amountWan}), 0)`.mapWith(Number) })
        .from(fundsEntries)
        .where(eq(fundsEntries.projectId, projectId));
      const [jobs] = await store.db
        .select({ sum: sql<number>`coalesce(sum(${jobEntries.jobs}), 0)`.mapWith(Number) })
        .from(jobEntries)
        .where(eq(jobEntries.projectId, projectId));
      return { fundsWan: funds?.sum ?? 0, jobs: jobs?.sum ?? 0 };
    },

    async milestone(projectId: number, name: string): Promise<Milestone | undefined> {
      const [row] = await store.db
        .select()
        .from(milestones)
        .where(and(eq(milestones.projectId, projectId), eq(milestones.name, name)))
        .limit(1);
      return row;
    },

    async milestoneById(id: number): Promise<Milestone | undefined> {
      const [row] = await store.db.select().from(milestones).where(eq(milestones.id, id)).limit(1);
      return row;
    },

    async milestones(projectId: number): Promise<Milestone[]> {
      return store.db.select().from(milestones).where(eq(milestones.projectId, projectId)).orderBy(asc(milestones.dueDate));
    },

    /** The stage a paused project left, so that it can resume there. */
    async pausedFrom(projectId: number): Promise<ProjectStage | undefined> {
      const [entry] = await store.db
        .select({ changes: projectHistory.changes })
        .from(projectHistory)
        .where(
          and(
            eq(projectHistory.projectId, projectId),
            eq(projectHistory.action, 'stage_moved'),
            eq(jsonText(store.dialect, projectHistory.changes, 'to'), 'paused'),
          ),
        )
        .orderBy(desc(projectHistory.at), desc(projectHistory.id))
        .limit(1);
      return entry?.changes.from as ProjectStage | undefined;
    },

    /** Projects the person owns or leads, newest first. */
    async projectsOf(openId: string): Promise<Project[]> {
      return store.db
        .select()
        .from(projects)
        .where(sql`${projects.ownerOpenId} = ${openId} or ${projects.leaderOpenId} = ${openId}`)
        .orderBy(desc(projects.createdAt));
    },

    async openMilestonesOf(projectIds: number[]): Promise<Milestone[]> {
      if (projectIds.length === 0) return [];
      return store.db
        .select()
        .from(milestones)
        .where(and(inArray(milestones.projectId, projectIds), isNull(milestones.doneDate)))
        .orderBy(asc(milestones.dueDate));
    },

    /** Every open milestone of a project still being chased: what reminders are rebuilt from. */
    /**
     * The open, chased milestones with an id after `afterId`, in id order, at most `limit`: the
     * rebuild at start pages through them so that 400,000 are never in memory at once.
     */
    async openChasedPage(afterId: number, limit: number): Promise<{ milestoneId: number; dueDate: string }[]> {
      return store.db
        .select({ milestoneId: milestones.id, dueDate: milestones.dueDate })
        .from(milestones)
        .innerJoin(projects, eq(projects.id, milestones.projectId))
        .where(and(openAndChased, gt(milestones.id, afterId)))
        .orderBy(asc(milestones.id))
        .limit(limit);
    },

    async openChased(milestoneId: number): Promise<OpenMilestone | undefined> {
      const [row] = await openMilestones()
        .where(and(openAndChased, eq(milestones.id, milestoneId)))
        .limit(1);
      return row;
    },

    /**
     * The open, chased milestones of one owner's projects, or of the projects whose group messages
     * go to one group, earliest due first, a page at a time: one group may hold a province's 400,000.
     */
    async *openChasedFor(whose: { ownerOpenId: string } | { chatId: string }, pageSize = OPEN_PAGE): AsyncGenerator<OpenMilestone[]> {
      const theirs = 'ownerOpenId' in whose ? eq(projects.ownerOpenId, whose.ownerOpenId) : sql`${groupChat} = ${whose.chatId}`;
      for (let after: { dueDate: string; id: number } | undefined; ; ) {
        // A row value: both databases seek to it; spelt with OR, SQLite starts every page from the first row.
        const later = after && sql`(${milestones.dueDate}, ${milestones.id}) > (${after.dueDate}, ${after.id})`;
        const page = await openMilestones()
          .where(and(openAndChased, theirs, later))
          .orderBy(asc(milestones.dueDate), asc(milestones.id))
          .limit(pageSize);
        if (page.length === 0) return;
        yield page;
        const last = page.at(-1)!;
        after = { dueDate: last.dueDate, id: last.milestoneId };
      }
    },
  };
}

export type PipelineRepository = ReturnType<typeof createPipelineRepository>;
