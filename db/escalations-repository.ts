import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { LadderState } from '../domain/escalation-ladder';
import type { StallCause } from '../domain/stall-rules';
import type { Db } from './client';
import { escalationEpisodes, escalationNotices, milestones, projectHistory, projects, type ProjectStage } from './schema';

export type Episode = Omit<typeof escalationEpisodes.$inferSelect, 'cause' | 'state'> & { cause: StallCause; state: LadderState };
export type Notice = typeof escalationNotices.$inferSelect;

const asEpisode = (row: typeof escalationEpisodes.$inferSelect): Episode => row as unknown as Episode;

/**
 * Escalation episodes and the notices sent for them. Their history entries go into the project's
 * append-only history (the evidence for 约谈 and 责任倒查) without counting as activity: being
 * warned about a project is not progress on it.
 */
export function createEscalationsRepository({ db, clock }: { db: Db; clock: Clock }) {
  const log = (tx: Db, projectId: number, actorOpenId: string | null, action: string, changes: Record<string, unknown>, sourceKey?: string) =>
    tx.insert(projectHistory).values({ projectId, at: new Date(clock()), actorOpenId, action, changes, sourceKey }).onConflictDoNothing().run();

  return {
    open(): Episode[] {
      return db.select().from(escalationEpisodes).where(isNull(escalationEpisodes.closedAt)).orderBy(asc(escalationEpisodes.openedAt)).all().map(asEpisode);
    },

    openOf(projectId: number): Episode[] {
      return db
        .select()
        .from(escalationEpisodes)
        .where(and(eq(escalationEpisodes.projectId, projectId), isNull(escalationEpisodes.closedAt)))
        .all()
        .map(asEpisode);
    },

    byId(id: number): Episode | undefined {
      const row = db.select().from(escalationEpisodes).where(eq(escalationEpisodes.id, id)).get();
      return row && asEpisode(row);
    },

    /** Opens an episode unless one is open for this project and cause; returns the open one. */
    start(projectId: number, key: string, cause: StallCause, state: LadderState): { episode: Episode; opened: boolean } {
      return db.transaction((tx) => {
        const inserted = tx
          .insert(escalationEpisodes)
          .values({ projectId, causeKey: key, cause: cause as never, state: state as never, openedAt: new Date(clock()) })
          .onConflictDoNothing()
          .run();
        const episode = asEpisode(
          tx.select().from(escalationEpisodes).where(and(eq(escalationEpisodes.projectId, projectId), eq(escalationEpisodes.causeKey, key), isNull(escalationEpisodes.closedAt))).get()!,
        );
        if (inserted.changes === 1) log(tx as unknown as Db, projectId, null, 'escalation_opened', { episode: episode.id, cause });
        return { episode, opened: inserted.changes === 1 };
      });
    },

    saveState(episodeId: number, state: LadderState): void {
      db.update(escalationEpisodes).set({ state: state as never }).where(eq(escalationEpisodes.id, episodeId)).run();
    },

    /** Records a notice once; false when this level, round and recipient were told already. */
    recordNotice(episode: Episode, notice: { levelIndex: number; level: string; round: number; recipient: string; day: string }): boolean {
      return db.transaction((tx) => {
        const inserted = tx.insert(escalationNotices).values({ episodeId: episode.id, ...notice, sentAt: new Date(clock()) }).onConflictDoNothing().run();
        if (inserted.changes === 1) log(tx as unknown as Db, episode.projectId, null, 'escalation_notice', { episode: episode.id, level: notice.level, round: notice.round, recipient: notice.recipient });
        return inserted.changes === 1;
      });
    },

    notice(id: number): Notice | undefined {
      return db.select().from(escalationNotices).where(eq(escalationNotices.id, id)).get();
    },

    noticeFor(episodeId: number, recipient: string, levelIndex: number, round: number): Notice | undefined {
      return db
        .select()
        .from(escalationNotices)
        .where(and(eq(escalationNotices.episodeId, episodeId), eq(escalationNotices.recipient, recipient), eq(escalationNotices.levelIndex, levelIndex), eq(escalationNotices.round, round)))
        .get();
    },

    /** Everyone told about an episode, once each. */
    recipients(episodeId: number): string[] {
      return [...new Set(db.select({ r: escalationNotices.recipient }).from(escalationNotices).where(eq(escalationNotices.episodeId, episodeId)).all().map((n) => n.r))];
    },

    /** An action on a card (已阅, 暂缓, 督办…), with the new ladder state, in one transaction. */
    act(episode: Episode, actorOpenId: string, action: string, details: Record<string, unknown>, state: LadderState | null, sourceKey: string): boolean {
      return db.transaction((tx) => {
        const seen = tx.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, sourceKey)).get();
        if (seen) return false;
        if (state) tx.update(escalationEpisodes).set({ state: state as never }).where(eq(escalationEpisodes.id, episode.id)).run();
        log(tx as unknown as Db, episode.projectId, actorOpenId, action, { episode: episode.id, ...details }, sourceKey);
        return true;
      });
    },

    close(episode: Episode, closedBy: string, reason: 'activity' | 'cleared'): boolean {
      return db.transaction((tx) => {
        const closed = tx
          .update(escalationEpisodes)
          .set({ closedAt: new Date(clock()), closedBy })
          .where(and(eq(escalationEpisodes.id, episode.id), isNull(escalationEpisodes.closedAt)))
          .run();
        if (closed.changes === 1) log(tx as unknown as Db, episode.projectId, reason === 'activity' ? closedBy : null, 'escalation_resolved', { episode: episode.id, reason });
        return closed.changes === 1;
      });
    },

    /**
     * Stall candidates straight from SQL (the scan covers every project each morning): projects
     * idle since before their stage's cut-off, open milestones due before the overdue cut-off, and
     * paused projects past their review date. The caller confirms each with the domain rules.
     */
    candidates(cutoffs: { inactiveBefore: Partial<Record<ProjectStage, number>>; overdueBefore: string; today: string }) {
      const idle = Object.entries(cutoffs.inactiveBefore).flatMap(([stage, before]) =>
        db
          .select({ id: projects.id })
          .from(projects)
          .where(and(eq(projects.stage, stage as ProjectStage), lt(projects.lastActivityAt, new Date(before))))
          .all()
          .map((r) => r.id),
      );
      const overdue = db
        .selectDistinct({ id: milestones.projectId })
        .from(milestones)
        .innerJoin(projects, eq(projects.id, milestones.projectId))
        .where(and(isNull(milestones.doneDate), lt(milestones.dueDate, cutoffs.overdueBefore), sql`${projects.stage} not in ('paused', 'lost', 'at_capacity')`))
        .all()
        .map((r) => r.id);
      const review = db
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.stage, 'paused'), lt(projects.reviewDate, cutoffs.today)))
        .all()
        .map((r) => r.id);
      return [...new Set([...idle, ...overdue, ...review])];
    },

    projectsById(ids: number[]) {
      const rows = [];
      for (let i = 0; i < ids.length; i += 500) rows.push(...db.select().from(projects).where(inArray(projects.id, ids.slice(i, i + 500))).all());
      return rows;
    },

    openMilestonesOf(ids: number[]) {
      const rows = [];
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...db.select().from(milestones).where(and(inArray(milestones.projectId, ids.slice(i, i + 500)), isNull(milestones.doneDate))).all());
      }
      return rows;
    },
  };
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
