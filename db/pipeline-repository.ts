import { and, asc, desc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { MilestoneKind, ProjectStage } from '../domain/vocabulary';
import { asyncify } from './asyncify';
import type { Db } from './client';
import type { Project } from './projects-repository';
import { fundsEntries, jobEntries, milestones, projectHistory, projects } from './schema';

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

/**
 * Moves projects through the pipeline: progress notes, stage moves, milestones. Every change writes
 * its history entry in the same transaction, keyed by the request's sourceKey, so a retried request
 * (a re-run event, a double-tapped button) finds its entry and writes nothing twice.
 */
function createPipelineRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
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
  const openMilestones = () => db.select(openMilestoneColumns).from(milestones).innerJoin(projects, eq(projects.id, milestones.projectId));
  const openAndChased = and(isNull(milestones.doneDate), notInArray(projects.stage, QUIET_STAGES));

  /** Runs `apply` unless this request already left its mark in history; true when it ran. */
  function once(request: ChangeRequest, apply: (tx: Db, now: Date) => void): boolean {
    return db.transaction((tx) => {
      const seen = tx.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, request.sourceKey)).get();
      if (seen) return false;
      apply(tx as unknown as Db, new Date(clock()));
      return true;
    });
  }

  /** A history entry; by default the change is activity on the project (what stall rules watch). */
  function record(tx: Db, request: ChangeRequest, now: Date, action: string, changes: Record<string, unknown>, keySuffix = '', activity = true) {
    tx.insert(projectHistory)
      .values({ projectId: request.projectId, at: now, actorOpenId: request.actorOpenId, action, changes, sourceKey: request.sourceKey + keySuffix })
      .run();
    tx.update(projects)
      .set(activity ? { lastActivityAt: now, updatedAt: now } : { updatedAt: now })
      .where(eq(projects.id, request.projectId))
      .run();
  }

  function completeOpen(tx: Db, request: ChangeRequest, now: Date, milestone: Milestone, doneDate: string, keySuffix = '') {
    tx.update(milestones).set({ doneDate, updatedAt: now }).where(eq(milestones.id, milestone.id)).run();
    record(tx, request, now, 'milestone_done', { milestone: milestone.name, dueDate: milestone.dueDate, doneDate }, keySuffix);
  }

  return {
    /** A progress note (进展): any note counts as activity. */
    logProgress(request: ChangeRequest, note: string): boolean {
      return once(request, (tx, now) => record(tx, request, now, 'progress', { note }));
    },

    /**
     * Moves the stage (the caller has checked the county's rules) and completes the milestone the
     * new stage stands for (签约 when signed, 开工 when started, …) if it is still open.
     */
    moveStage(
      request: ChangeRequest,
      move: { from: ProjectStage; to: ProjectStage; reason?: string; reviewDate?: string; note?: string; today: string; completes: MilestoneKind | null },
    ): boolean {
      return once(request, (tx, now) => {
        tx.update(projects)
          .set({ stage: move.to, stageReason: move.reason ?? null, reviewDate: move.reviewDate ?? null })
          .where(eq(projects.id, request.projectId))
          .run();
        record(tx, request, now, 'stage_moved', { from: move.from, to: move.to, reason: move.reason, reviewDate: move.reviewDate, note: move.note });
        const completed = move.completes
          ? tx
              .select()
              .from(milestones)
              .where(and(eq(milestones.projectId, request.projectId), eq(milestones.kind, move.completes), isNull(milestones.doneDate)))
              .get()
          : undefined;
        if (completed) completeOpen(tx, request, now, completed, move.today, '#milestone');
      });
    },

    /**
     * Sets a milestone's due date, or moves it (with the reason, kept in history). A leader's 督办
     * sets one without it counting as activity: an order is not progress.
     */
    setMilestone(request: ChangeRequest, target: { kind: MilestoneKind; name: string; dueDate: string; reason?: string }, activity = true): boolean {
      return once(request, (tx, now) => {
        const existing = tx
          .select()
          .from(milestones)
          .where(and(eq(milestones.projectId, request.projectId), eq(milestones.name, target.name)))
          .get();
        if (existing) {
          tx.update(milestones).set({ dueDate: target.dueDate, doneDate: null, updatedAt: now }).where(eq(milestones.id, existing.id)).run();
          record(
            tx,
            request,
            now,
            'milestone_moved',
            { milestone: target.name, from: existing.dueDate, to: target.dueDate, reason: target.reason },
            '',
            activity,
          );
        } else {
          tx.insert(milestones)
            .values({ projectId: request.projectId, kind: target.kind, name: target.name, dueDate: target.dueDate, createdAt: now, updatedAt: now })
            .run();
          record(tx, request, now, 'milestone_set', { milestone: target.name, dueDate: target.dueDate }, '', activity);
        }
      });
    },

    /** 改派: a new owner, with the reason in history (not activity: the project has not moved). */
    reassignOwner(request: ChangeRequest, newOwnerOpenId: string, reason: string): boolean {
      return once(request, (tx, now) => {
        const before = tx.select({ owner: projects.ownerOpenId }).from(projects).where(eq(projects.id, request.projectId)).get();
        tx.update(projects).set({ ownerOpenId: newOwnerOpenId }).where(eq(projects.id, request.projectId)).run();
        record(tx, request, now, 'owner_reassigned', { from: before?.owner, to: newOwnerOpenId, reason }, '', false);
      });
    },

    completeMilestone(request: ChangeRequest, milestone: Milestone, doneDate: string): boolean {
      return once(request, (tx, now) => completeOpen(tx, request, now, milestone, doneDate));
    },

    /** 到位资金: a dated entry of funds in place; it counts as activity. */
    recordFunds(request: ChangeRequest, amountWan: number, day: string): boolean {
      return once(request, (tx, now) => {
        tx.insert(fundsEntries)
          .values({ projectId: request.projectId, amountWan, day, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey })
          .run();
        record(tx, request, now, 'funds_recorded', { amountWan, day });
      });
    },

    /** 就业岗位: a dated entry of jobs created; it counts as activity. */
    recordJobs(request: ChangeRequest, jobs: number, day: string): boolean {
      return once(request, (tx, now) => {
        tx.insert(jobEntries)
          .values({ projectId: request.projectId, jobs, day, actorOpenId: request.actorOpenId, createdAt: now, sourceKey: request.sourceKey })
          .run();
        record(tx, request, now, 'jobs_recorded', { jobs, day });
      });
    },

    /** Funds in place (万元) and jobs created, all entries added up. */
    totals(projectId: number): { fundsWan: number; jobs: number } {
      const funds = db
        .select({ sum: sql<number>`coalesce(sum(${fundsEntries.amountWan}), 0)` })
        .from(fundsEntries)
        .where(eq(fundsEntries.projectId, projectId))
        .get();
      const jobs = db
        .select({ sum: sql<number>`coalesce(sum(${jobEntries.jobs}), 0)` })
        .from(jobEntries)
        .where(eq(jobEntries.projectId, projectId))
        .get();
      return { fundsWan: funds?.sum ?? 0, jobs: jobs?.sum ?? 0 };
    },

    milestone(projectId: number, name: string): Milestone | undefined {
      return db
        .select()
        .from(milestones)
        .where(and(eq(milestones.projectId, projectId), eq(milestones.name, name)))
        .get();
    },

    milestoneById(id: number): Milestone | undefined {
      return db.select().from(milestones).where(eq(milestones.id, id)).get();
    },

    milestones(projectId: number): Milestone[] {
      return db.select().from(milestones).where(eq(milestones.projectId, projectId)).orderBy(asc(milestones.dueDate)).all();
    },

    /** The stage a paused project left, so that it can resume there. */
    pausedFrom(projectId: number): ProjectStage | undefined {
      const entry = db
        .select({ changes: projectHistory.changes })
        .from(projectHistory)
        .where(
          and(
            eq(projectHistory.projectId, projectId),
            eq(projectHistory.action, 'stage_moved'),
            sql`json_extract(${projectHistory.changes}, '$.to') = 'paused'`,
          ),
        )
        .orderBy(desc(projectHistory.at), desc(projectHistory.id))
        .get();
      return entry?.changes.from as ProjectStage | undefined;
    },

    /** Projects the person owns or leads, newest first. */
    projectsOf(openId: string): Project[] {
      return db
        .select()
        .from(projects)
        .where(sql`${projects.ownerOpenId} = ${openId} or ${projects.leaderOpenId} = ${openId}`)
        .orderBy(desc(projects.createdAt))
        .all();
    },

    openMilestonesOf(projectIds: number[]): Milestone[] {
      if (projectIds.length === 0) return [];
      return db
        .select()
        .from(milestones)
        .where(and(inArray(milestones.projectId, projectIds), isNull(milestones.doneDate)))
        .orderBy(asc(milestones.dueDate))
        .all();
    },

    /** Every open milestone of a project still being chased: what reminders are rebuilt from. */
    /**
     * The open, chased milestones with an id after `afterId`, in id order, at most `limit`: the
     * rebuild at start pages through them so that 400,000 are never in memory at once.
     */
    openChasedPage(afterId: number, limit: number): { milestoneId: number; dueDate: string }[] {
      return db
        .select({ milestoneId: milestones.id, dueDate: milestones.dueDate })
        .from(milestones)
        .innerJoin(projects, eq(projects.id, milestones.projectId))
        .where(and(openAndChased, gt(milestones.id, afterId)))
        .orderBy(asc(milestones.id))
        .limit(limit)
        .all();
    },

    openChased(milestoneId: number): OpenMilestone | undefined {
      return openMilestones()
        .where(and(openAndChased, eq(milestones.id, milestoneId)))
        .get();
    },

    openChasedOwnedBy(openId: string): OpenMilestone[] {
      return openMilestones()
        .where(and(openAndChased, eq(projects.ownerOpenId, openId)))
        .all();
    },

    openChasedFromChat(chatId: string): OpenMilestone[] {
      return openMilestones()
        .where(and(openAndChased, sql`${groupChat} = ${chatId}`))
        .all();
    },
  };
}

export type PipelineRepository = ReturnType<typeof createPipelineRepository>;
export const createPipelineRepository = (a: Parameters<typeof createPipelineRepositorySync>[0]) => asyncify(createPipelineRepositorySync(a));
