import { desc, eq, max, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { pendingLeads, projectHistory, projects } from './schema';

export type Project = typeof projects.$inferSelect;
export type HistoryEntry = typeof projectHistory.$inferSelect;
export type PendingLead = typeof pendingLeads.$inferSelect;

export interface NewProject {
  year: number;
  name: string;
  investor: string;
  investorKey: string;
  plannedInvestmentWan: number | null;
  industry: string | null;
  channel: string | null;
  referrer: string | null;
  note: string | null;
  unitId: number | null;
  ownerOpenId: string;
  leaderOpenId: string | null;
  createdBy: string;
  sourceChatId: string | null;
  /** What asked for it (`msg-…`, `form-…`, `pending-…`): registering the same source twice returns the first row. */
  sourceKey: string;
}

function createProjectsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const bySourceKey = db
    .select()
    .from(projects)
    .where(eq(projects.sourceKey, sql.placeholder('sourceKey')))
    .prepare();
  const byCode = db
    .select()
    .from(projects)
    .where(eq(projects.code, sql.placeholder('code')))
    .prepare();
  const byId = db
    .select()
    .from(projects)
    .where(eq(projects.id, sql.placeholder('id')))
    .prepare();

  return {
    /**
     * Registers a project with the next code of its year and its first history entry, in one
     * transaction. Idempotent by `sourceKey`: a retried event gets the row it made the first time.
     */
    register(input: NewProject, formatCode: (year: number, seq: number) => string): { project: Project; created: boolean } {
      return db.transaction((tx) => {
        const existing = bySourceKey.get({ sourceKey: input.sourceKey });
        if (existing) return { project: existing, created: false };
        const now = new Date(clock());
        const seq =
          (tx
            .select({ last: max(projects.seq) })
            .from(projects)
            .where(eq(projects.year, input.year))
            .get()?.last ?? 0) + 1;
        const project = tx
          .insert(projects)
          .values({ ...input, seq, code: formatCode(input.year, seq), stage: 'lead', createdAt: now, updatedAt: now, lastActivityAt: now })
          .returning()
          .get();
        tx.insert(projectHistory)
          .values({
            projectId: project.id,
            at: now,
            actorOpenId: input.createdBy,
            action: 'registered',
            changes: { ...registeredFields(project) },
          })
          .run();
        return { project, created: true };
      });
    },

    /** Gives the project a unit (a coordinator settling a roster gap), with a history entry. */
    assignUnit(projectId: number, unitId: number, actorOpenId: string): Project {
      return db.transaction((tx) => {
        const before = byId.get({ id: projectId });
        if (!before) throw new Error(`no project ${projectId}`);
        if (before.unitId === unitId) return before;
        const now = new Date(clock());
        const project = tx.update(projects).set({ unitId, updatedAt: now }).where(eq(projects.id, projectId)).returning().get();
        tx.insert(projectHistory)
          .values({ projectId, at: now, actorOpenId, action: 'unit_assigned', changes: { unitId: { from: before.unitId, to: unitId } } })
          .run();
        return project;
      });
    },

    byCode(code: string): Project | undefined {
      return byCode.get({ code });
    },

    byId(id: number): Project | undefined {
      return byId.get({ id });
    },

    withInvestorKey(investorKey: string): Project[] {
      return db.select().from(projects).where(eq(projects.investorKey, investorKey)).all();
    },

    history(projectId: number): HistoryEntry[] {
      return db.select().from(projectHistory).where(eq(projectHistory.projectId, projectId)).orderBy(desc(projectHistory.at), desc(projectHistory.id)).all();
    },

    savePending(entry: { id: string; draft: Record<string, unknown>; requestedBy: string; chatId: string | null; similarProjectId: number }): PendingLead {
      db.insert(pendingLeads)
        .values({ ...entry, createdAt: new Date(clock()) })
        .onConflictDoNothing()
        .run();
      return db.select().from(pendingLeads).where(eq(pendingLeads.id, entry.id)).get()!;
    },

    pending(id: string): PendingLead | undefined {
      return db.select().from(pendingLeads).where(eq(pendingLeads.id, id)).get();
    },

    resolvePending(id: string, outcome: 'registered' | 'cancelled'): void {
      db.update(pendingLeads)
        .set({ outcome, resolvedAt: new Date(clock()) })
        .where(sql`${pendingLeads.id} = ${id} and ${pendingLeads.outcome} is null`)
        .run();
    },
  };
}

function registeredFields(p: Project) {
  return {
    code: p.code,
    name: p.name,
    investor: p.investor,
    plannedInvestmentWan: p.plannedInvestmentWan,
    industry: p.industry,
    channel: p.channel,
    referrer: p.referrer,
    note: p.note,
    unitId: p.unitId,
    ownerOpenId: p.ownerOpenId,
    leaderOpenId: p.leaderOpenId,
    stage: p.stage,
  };
}

export type ProjectsRepository = ReturnType<typeof createProjectsRepository>;
export const createProjectsRepository = (a: Parameters<typeof createProjectsRepositorySync>[0]) => asyncify(createProjectsRepositorySync(a));
