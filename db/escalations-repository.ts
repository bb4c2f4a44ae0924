import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { LadderState } from '../domain/escalation-ladder';
import type { StallCause } from '../domain/stall-rules';
import type { ProjectStage } from '../domain/vocabulary';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { escalationEpisodes, escalationNotices, milestones, projectHistory, projects } from './schema';

export type Episode = Omit<typeof escalationEpisodes.$inferSelect, 'cause' | 'state'> & { cause: StallCause; state: LadderState };
export type Notice = typeof escalationNotices.$inferSelect;

const asEpisode = (row: typeof escalationEpisodes.$inferSelect): Episode => row as unknown as Episode;

/**
 * Escalation episodes and the notices sent for them. Their history entries go into the project's
 * append-only history (the evidence for 约谈 and 责任倒查) without counting as activity: being
 * warned about a project is not progress on it.
 */
function createEscalationsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const log = (tx: Db, projectId: number, actorOpenId: string | null, action: string, changes: Record<string, unknown>, sourceKey?: string) =>
    tx
      .insert(projectHistory)
      .values({ projectId, at: new Date(clock()), actorOpenId, action, changes, sourceKey })
      .onConflictDoNothing()
      .run();

  // A first scan may open thousands of episodes: the bulk writes are prepared once (drizzle maps
  // placeholder values through the columns, so dates and JSON go in as they are).
  const p = (name: string) => sql.placeholder(name);
  const insertEpisode = db
    .insert(escalationEpisodes)
    .values({ projectId: p('projectId'), causeKey: p('causeKey'), cause: p('cause'), state: p('state'), openedAt: p('at') })
    .onConflictDoNothing()
    .returning()
    .prepare();
  const insertNotice = db
    .insert(escalationNotices)
    .values({
      episodeId: p('episodeId'),
      levelIndex: p('levelIndex'),
      level: p('level'),
      round: p('round'),
      recipient: p('recipient'),
      day: p('day'),
      sentAt: p('at'),
    })
    .onConflictDoNothing()
    .prepare();
  const insertScanHistory = db
    .insert(projectHistory)
    .values({ projectId: p('projectId'), at: p('at'), actorOpenId: null, action: p('action'), changes: p('changes') })
    .prepare();
  const updateState = db
    .update(escalationEpisodes)
    .set({ state: p('state') as never })
    .where(eq(escalationEpisodes.id, p('id')))
    .prepare();

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

    /**
     * Opens episodes, in one transaction (a scan may open thousands); a project and cause that
     * already has an open episode is skipped. Returns the episodes opened.
     */
    startMany(starts: { projectId: number; key: string; cause: StallCause; state: LadderState }[]): Episode[] {
      const at = new Date(clock());
      return db.transaction(() =>
        starts.flatMap(({ projectId, key, cause, state }) => {
          const row = insertEpisode.get({ projectId, causeKey: key, cause, state, at });
          if (!row) return [];
          insertScanHistory.run({ projectId, at, action: 'escalation_opened', changes: { episode: row.id, cause } });
          return [asEpisode(row)];
        }),
      );
    },

    /**
     * The notices a scan sends and each episode's new ladder state, in one transaction. A notice
     * already recorded (a scan re-run after a crash) is kept as it was.
     */
    recordNotices(
      notices: { episode: Episode; levelIndex: number; level: string; round: number; recipient: string; day: string }[],
      states: { episodeId: number; state: LadderState }[],
    ): void {
      const at = new Date(clock());
      db.transaction(() => {
        for (const { episode, ...notice } of notices) {
          if (insertNotice.run({ episodeId: episode.id, ...notice, at }).changes === 1) {
            const changes = { episode: episode.id, level: notice.level, round: notice.round, recipient: notice.recipient };
            insertScanHistory.run({ projectId: episode.projectId, at, action: 'escalation_notice', changes });
          }
        }
        for (const { episodeId, state } of states) updateState.run({ id: episodeId, state });
      });
    },

    notice(id: number): Notice | undefined {
      return db.select().from(escalationNotices).where(eq(escalationNotices.id, id)).get();
    },

    noticeFor(episodeId: number, recipient: string, levelIndex: number, round: number): Notice | undefined {
      return db
        .select()
        .from(escalationNotices)
        .where(
          and(
            eq(escalationNotices.episodeId, episodeId),
            eq(escalationNotices.recipient, recipient),
            eq(escalationNotices.levelIndex, levelIndex),
            eq(escalationNotices.round, round),
          ),
        )
        .get();
    },

    /** The latest notice of an episode to one recipient: the one whose buttons they may still use. */
    latestNoticeTo(episodeId: number, recipient: string): Notice | undefined {
      return db
        .select()
        .from(escalationNotices)
        .where(and(eq(escalationNotices.episodeId, episodeId), eq(escalationNotices.recipient, recipient)))
        .orderBy(desc(escalationNotices.levelIndex), desc(escalationNotices.round))
        .get();
    },

    /** Everyone told about an episode, once each. */
    recipients(episodeId: number): string[] {
      return [
        ...new Set(
          db
            .select({ r: escalationNotices.recipient })
            .from(escalationNotices)
            .where(eq(escalationNotices.episodeId, episodeId))
            .all()
            .map((n) => n.r),
        ),
      ];
    },

    /** An action on a card (已阅, 暂缓, 督办…), with the new ladder state, in one transaction. */
    act(episode: Episode, actorOpenId: string, action: string, details: Record<string, unknown>, state: LadderState | null, sourceKey: string): boolean {
      return db.transaction((tx) => {
        const seen = tx.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, sourceKey)).get();
        if (seen) return false;
        if (state)
          tx.update(escalationEpisodes)
            .set({ state: state as never })
            .where(eq(escalationEpisodes.id, episode.id))
            .run();
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
        if (closed.changes === 1)
          log(tx as unknown as Db, episode.projectId, reason === 'activity' ? closedBy : null, 'escalation_resolved', { episode: episode.id, reason });
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
      for (let i = 0; i < ids.length; i += 500)
        rows.push(
          ...db
            .select()
            .from(projects)
            .where(inArray(projects.id, ids.slice(i, i + 500)))
            .all(),
        );
      return rows;
    },

    openMilestonesOf(ids: number[]) {
      const rows = [];
      // By project id alone, filtered here: with `done_date is null` in SQL, SQLite prefers the
      // open-milestones index and reads every open milestone once per batch.
      for (let i = 0; i < ids.length; i += 500)
        rows.push(
          ...db
            .select()
            .from(milestones)
            .where(inArray(milestones.projectId, ids.slice(i, i + 500)))
            .all(),
        );
      return rows.filter((m) => m.doneDate === null);
    },
  };
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
export const createEscalationsRepository = (a: Parameters<typeof createEscalationsRepositorySync>[0]) => asyncify(createEscalationsRepositorySync(a));
