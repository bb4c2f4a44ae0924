import { and, asc, count, eq, exists, gt, inArray, isNull, lt, notLike, or, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { LadderState } from '../domain/escalation-ladder';
import type { StallCause } from '../domain/stall-rules';
import type { ProjectStage } from '../domain/vocabulary';
import { inBatches } from './batches';
import { insertMany, updateMany } from './bulk-writes';
import type { Project } from './projects-repository';
import type { escalationEpisodes, escalationNotices } from './schema-pg';
import { inIds } from './sql-dialect';
import type { Store } from './store';

export type Episode = Omit<typeof escalationEpisodes.$inferSelect, 'cause' | 'state'> & { cause: StallCause; state: LadderState };
export type Notice = typeof escalationNotices.$inferSelect;

const EPISODE_PAGE = 1_000;

const asEpisode = (row: typeof escalationEpisodes.$inferSelect): Episode => row as unknown as Episode;

/**
 * Escalation episodes and the notices sent for them. Their history entries go into the project's
 * append-only history (the evidence for 约谈 and 责任倒查) without counting as activity: being
 * warned about a project is not progress on it.
 */
export function createEscalationsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { escalationEpisodes, escalationNotices, milestones, projectHistory, projects } = store.tables;

  const log = (projectId: number, actorOpenId: string | null, action: string, changes: Record<string, unknown>, sourceKey?: string) =>
    store.db
      .insert(projectHistory)
      .values({ projectId, at: new Date(clock()), actorOpenId, action, changes, sourceKey })
      .onConflictDoNothing();

  /** History entries a scan writes (no actor, no request key), many rows a statement. */
  const logScan = (entries: { projectId: number; action: string; changes: Record<string, unknown> }[], at: Date) =>
    insertMany(
      store,
      projectHistory,
      // Field by field: spreading each entry took about 80 ms of a province's first scan (13,000 entries).
      entries.map(({ projectId, action, changes }) => ({ projectId, action, changes, at, actorOpenId: null })),
    );

  return {
    /**
     * Open episodes with their projects, oldest first: every one (`all`), or those of projects the
     * viewer owns or leads or that are their unit's, and those the viewer was sent a notice of. One
     * query, where a province has thousands open: the caller applies the rules of who sees what.
     */
    async openWithProjects(viewer: {
      all: boolean;
      openId: string;
      unitId: number | null;
      recipient: string;
    }): Promise<{ episode: Episode; project: Project }[]> {
      const told = store.db
        .select({ one: sql`1` })
        .from(escalationNotices)
        .where(and(eq(escalationNotices.episodeId, escalationEpisodes.id), eq(escalationNotices.recipient, viewer.recipient)));
      const theirs = or(
        eq(projects.ownerOpenId, viewer.openId),
        eq(projects.leaderOpenId, viewer.openId),
        viewer.unitId === null ? undefined : eq(projects.unitId, viewer.unitId),
        exists(told),
      );
      const rows = await store.db
        .select({ episode: escalationEpisodes, project: projects })
        .from(escalationEpisodes)
        .innerJoin(projects, eq(projects.id, escalationEpisodes.projectId))
        .where(viewer.all ? isNull(escalationEpisodes.closedAt) : and(isNull(escalationEpisodes.closedAt), theirs))
        .orderBy(asc(escalationEpisodes.openedAt), asc(escalationEpisodes.id));
      return rows.map(({ episode, project }) => ({ episode: asEpisode(episode), project }));
    },

    /**
     * The projects' stall alarms open longest, oldest first, and how many are open. An overdue
     * blocker's alarm is the responsible unit's, not the project's, and is left out.
     */
    async longestStalled(limit: number): Promise<{ longest: Episode[]; total: number }> {
      const stalledOpen = and(isNull(escalationEpisodes.closedAt), notLike(escalationEpisodes.causeKey, 'blocker-%'));
      const longest = await store.db
        .select()
        .from(escalationEpisodes)
        .where(stalledOpen)
        .orderBy(asc(escalationEpisodes.openedAt), asc(escalationEpisodes.id))
        .limit(limit);
      const [open] = await store.db.select({ total: count() }).from(escalationEpisodes).where(stalledOpen);
      return { longest: longest.map(asEpisode), total: open?.total ?? 0 };
    },

    async openOf(projectId: number): Promise<Episode[]> {
      const rows = await store.db
        .select()
        .from(escalationEpisodes)
        .where(and(eq(escalationEpisodes.projectId, projectId), isNull(escalationEpisodes.closedAt)));
      return rows.map(asEpisode);
    },

    /** The open episodes of these projects. */
    async openOfProjects(projectIds: number[]): Promise<Episode[]> {
      const rows = await store.db
        .select()
        .from(escalationEpisodes)
        .where(and(inIds(store.dialect, escalationEpisodes.projectId, projectIds), isNull(escalationEpisodes.closedAt)));
      return rows.map(asEpisode);
    },

    /**
     * The open episodes whose `<project id>|<cause key>` is not in `keys`, read a page at a time by
     * id: a province may have 100,000 open, and most of them are still in `keys`.
     */
    async *openEpisodesWithout(keys: ReadonlySet<string>): AsyncGenerator<Episode> {
      for (let after = 0; ; ) {
        const page = await store.db
          .select({ id: escalationEpisodes.id, projectId: escalationEpisodes.projectId, causeKey: escalationEpisodes.causeKey })
          .from(escalationEpisodes)
          .where(and(isNull(escalationEpisodes.closedAt), gt(escalationEpisodes.id, after)))
          .orderBy(asc(escalationEpisodes.id))
          .limit(EPISODE_PAGE);
        if (page.length === 0) return;
        after = page.at(-1)!.id;
        const gone = page.filter((e) => !keys.has(`${e.projectId}|${e.causeKey}`)).map((e) => e.id);
        for (const batch of inBatches(gone)) {
          yield* (await store.db.select().from(escalationEpisodes).where(inArray(escalationEpisodes.id, batch)).orderBy(asc(escalationEpisodes.id))).map(
            asEpisode,
          );
        }
      }
    },

    async byId(id: number): Promise<Episode | undefined> {
      const [row] = await store.db.select().from(escalationEpisodes).where(eq(escalationEpisodes.id, id)).limit(1);
      return row && asEpisode(row);
    },

    /**
     * Opens episodes, in one transaction (a scan may open thousands, so many rows a statement); a
     * project and cause that already has an open episode is skipped. Returns the episodes opened,
     * in the order of `starts`.
     */
    async startMany(starts: { projectId: number; key: string; cause: StallCause; state: LadderState }[]): Promise<Episode[]> {
      // Most days a scan finds no new stall: no transaction to wait for the write lock.
      if (starts.length === 0) return [];
      const at = new Date(clock());
      const keyOf = (projectId: number, causeKey: string) => `${projectId}|${causeKey}`;
      return store.transaction(async () => {
        // Only the ids come back: cause and state are what was written.
        const rows = await insertMany(
          store,
          escalationEpisodes,
          starts.map(({ projectId, key, cause, state }) => ({ projectId, causeKey: key, cause: cause as never, state: state as never, openedAt: at })),
          { onConflictDoNothing: true, returning: ['id', 'projectId', 'causeKey'] },
        );
        const inserted = new Map(rows.map((row) => [keyOf(row.projectId, row.causeKey), row.id]));
        // RETURNING promises no order: put the episodes back in the order they were asked for.
        const opened = starts.flatMap(({ projectId, key, cause, state }): Episode[] => {
          const id = inserted.get(keyOf(projectId, key));
          inserted.delete(keyOf(projectId, key));
          return id === undefined ? [] : [{ id, projectId, causeKey: key, cause, state, openedAt: at, closedAt: null, closedBy: null }];
        });
        store.writeUnawaited(
          logScan(
            opened.map((episode) => ({ projectId: episode.projectId, action: 'escalation_opened', changes: { episode: episode.id, cause: episode.cause } })),
            at,
          ),
        );
        return opened;
      });
    },

    /**
     * The notices a scan sends and each episode's new ladder state, in one transaction. A notice
     * already recorded (a scan re-run after a crash) is kept as it was, and only the notices new
     * here get a history entry.
     */
    async recordNotices(
      notices: { episode: Episode; levelIndex: number; level: string; round: number; recipient: string; day: string }[],
      states: { episodeId: number; state: LadderState }[],
    ): Promise<void> {
      const at = new Date(clock());
      const projectOf = new Map(notices.map(({ episode }) => [episode.id, episode.projectId]));
      // The last state given for an episode is the one it keeps.
      const stateOf = [...new Map(states.map(({ episodeId, state }) => [episodeId, state]))];
      await store.transaction(async () => {
        const recorded = insertMany(
          store,
          escalationNotices,
          notices.map(({ episode, ...notice }) => ({ episodeId: episode.id, ...notice, sentAt: at })),
          { onConflictDoNothing: true, returning: ['episodeId', 'level', 'round', 'recipient'] },
        );
        store.writeUnawaited(
          recorded.then((rows) =>
            logScan(
              rows.map(({ episodeId, ...notice }) => ({
                projectId: projectOf.get(episodeId)!,
                action: 'escalation_notice',
                changes: { episode: episodeId, ...notice },
              })),
              at,
            ),
          ),
        );
        // Each episode its own state, many episodes a statement.
        store.writeUnawaited(updateMany(store, escalationEpisodes, 'id', 'state', stateOf));
      });
    },

    async notice(id: number): Promise<Notice | undefined> {
      const [row] = await store.db.select().from(escalationNotices).where(eq(escalationNotices.id, id)).limit(1);
      return row;
    },

    async noticeFor(episodeId: number, recipient: string, levelIndex: number, round: number): Promise<Notice | undefined> {
      const [row] = await store.db
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
        .limit(1);
      return row;
    },

    /** The latest notice of each open episode to one recipient, by episode id: the ones whose buttons they may still use. */
    async latestOpenNoticesTo(recipient: string): Promise<Map<number, Notice>> {
      const rows = await store.db
        .select({ notice: escalationNotices })
        .from(escalationNotices)
        .innerJoin(escalationEpisodes, eq(escalationEpisodes.id, escalationNotices.episodeId))
        .where(and(eq(escalationNotices.recipient, recipient), isNull(escalationEpisodes.closedAt)))
        .orderBy(asc(escalationNotices.levelIndex), asc(escalationNotices.round));
      // Later rows are later notices: each episode keeps its last.
      return new Map(rows.map(({ notice }) => [notice.episodeId, notice]));
    },

    /** Everyone told about an episode, once each. */
    async recipients(episodeId: number): Promise<string[]> {
      const rows = await store.db.select({ r: escalationNotices.recipient }).from(escalationNotices).where(eq(escalationNotices.episodeId, episodeId));
      return [...new Set(rows.map((n) => n.r))];
    },

    /** An action on a card (已阅, 暂缓, 督办…), with the new ladder state, in one transaction. */
    async act(
      episode: Episode,
      actorOpenId: string,
      action: string,
      details: Record<string, unknown>,
      state: LadderState | null,
      sourceKey: string,
    ): Promise<boolean> {
      return store.transaction(async () => {
        const seen = await store.db.select({ id: projectHistory.id }).from(projectHistory).where(eq(projectHistory.sourceKey, sourceKey)).limit(1);
        if (seen.length > 0) return false;
        if (state)
          await store.db
            .update(escalationEpisodes)
            .set({ state: state as never })
            .where(eq(escalationEpisodes.id, episode.id));
        await log(episode.projectId, actorOpenId, action, { episode: episode.id, ...details }, sourceKey);
        return true;
      });
    },

    async close(episode: Episode, closedBy: string, reason: 'activity' | 'cleared'): Promise<boolean> {
      return store.transaction(async () => {
        const closed = await store.db
          .update(escalationEpisodes)
          .set({ closedAt: new Date(clock()), closedBy })
          .where(and(eq(escalationEpisodes.id, episode.id), isNull(escalationEpisodes.closedAt)))
          .returning({ id: escalationEpisodes.id });
        if (closed.length === 1) await log(episode.projectId, reason === 'activity' ? closedBy : null, 'escalation_resolved', { episode: episode.id, reason });
        return closed.length === 1;
      });
    },

    /**
     * Stall candidates straight from SQL (the scan covers every project each morning): projects
     * idle since before their stage's cut-off, open milestones due before the overdue cut-off, and
     * paused projects past their review date. The caller confirms each with the domain rules.
     */
    async candidates(cutoffs: { inactiveBefore: Partial<Record<ProjectStage, number>>; overdueBefore: string; today: string }) {
      const idle: number[] = [];
      for (const [stage, before] of Object.entries(cutoffs.inactiveBefore)) {
        const rows = await store.db
          .select({ id: projects.id })
          .from(projects)
          .where(and(eq(projects.stage, stage as ProjectStage), lt(projects.lastActivityAt, new Date(before))));
        idle.push(...rows.map((r) => r.id));
      }
      const overdue = await store.db
        .selectDistinct({ id: milestones.projectId })
        .from(milestones)
        .innerJoin(projects, eq(projects.id, milestones.projectId))
        .where(
          and(isNull(milestones.doneDate), lt(milestones.dueDate, cutoffs.overdueBefore), sql`${projects.stage} not in ('paused', 'lost', 'at_capacity')`),
        );
      const review = await store.db
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.stage, 'paused'), lt(projects.reviewDate, cutoffs.today)));
      return new Set([...idle, ...overdue.map((r) => r.id), ...review.map((r) => r.id)]);
    },

    async projectsById(ids: number[]) {
      return store.db
        .select()
        .from(projects)
        .where(inIds(store.dialect, projects.id, ids));
    },

    async openMilestonesOf(ids: number[]) {
      // By project id alone, filtered here: with `done_date is null` in SQL, SQLite prefers the
      // open-milestones index and reads every open milestone once per chunk.
      // Only what the stall rules read: a province's first scan reads 400,000 milestones.
      const columns = { id: milestones.id, projectId: milestones.projectId, name: milestones.name, dueDate: milestones.dueDate, doneDate: milestones.doneDate };
      const rows = await store.db
        .select(columns)
        .from(milestones)
        .where(inIds(store.dialect, milestones.projectId, ids));
      return rows.filter((m) => m.doneDate === null);
    },
  };
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
