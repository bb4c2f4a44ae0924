import { and, desc, eq, isNull, max, type SQL } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { pendingLeads, projectHistory, projects } from './schema-pg';
import type { Store } from './store';

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

export function createProjectsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { pendingLeads, projectHistory, projects } = store.tables;
  const projectWhere = async (where: SQL) => (await store.db.select().from(projects).where(where).limit(1))[0];
  const pendingOf = async (id: string) => (await store.db.select().from(pendingLeads).where(eq(pendingLeads.id, id)).limit(1))[0];

  return {
    /**
     * Registers a project with the next code of its year and its first history entry, in one
     * transaction. Idempotent by `sourceKey`: a retried event gets the row it made the first time.
     * Write transactions run one at a time across processes, so two cannot take the same code.
     */
    async register(input: NewProject, formatCode: (year: number, seq: number) => string): Promise<{ project: Project; created: boolean }> {
      return store.transaction(async () => {
        const existing = await projectWhere(eq(projects.sourceKey, input.sourceKey));
        if (existing) return { project: existing, created: false };
        const now = new Date(clock());
        const [latest] = await store.db
          .select({ seq: max(projects.seq) })
          .from(projects)
          .where(eq(projects.year, input.year));
        const seq = (latest?.seq ?? 0) + 1;
        const project = (
          await store.db
            .insert(projects)
            .values({ ...input, seq, code: formatCode(input.year, seq), stage: 'lead', createdAt: now, updatedAt: now, lastActivityAt: now })
            .returning()
        )[0]!;
        await store.db.insert(projectHistory).values({
          projectId: project.id,
          at: now,
          actorOpenId: input.createdBy,
          action: 'registered',
          changes: { ...registeredFields(project) },
        });
        return { project, created: true };
      });
    },

    /** Gives the project a unit (a coordinator settling a roster gap), with a history entry. */
    async assignUnit(projectId: number, unitId: number, actorOpenId: string): Promise<Project> {
      return store.transaction(async () => {
        const before = await projectWhere(eq(projects.id, projectId));
        if (!before) throw new Error(`no project ${projectId}`);
        if (before.unitId === unitId) return before;
        const now = new Date(clock());
        const project = (await store.db.update(projects).set({ unitId, updatedAt: now }).where(eq(projects.id, projectId)).returning())[0]!;
        await store.db
          .insert(projectHistory)
          .values({ projectId, at: now, actorOpenId, action: 'unit_assigned', changes: { unitId: { from: before.unitId, to: unitId } } });
        return project;
      });
    },

    async byCode(code: string): Promise<Project | undefined> {
      return projectWhere(eq(projects.code, code));
    },

    async byId(id: number): Promise<Project | undefined> {
      return projectWhere(eq(projects.id, id));
    },

    async withInvestorKey(investorKey: string): Promise<Project[]> {
      return store.db.select().from(projects).where(eq(projects.investorKey, investorKey));
    },

    async history(projectId: number): Promise<HistoryEntry[]> {
      return store.db.select().from(projectHistory).where(eq(projectHistory.projectId, projectId)).orderBy(desc(projectHistory.at), desc(projectHistory.id));
    },

    async savePending(entry: {
      id: string;
      draft: Record<string, unknown>;
      requestedBy: string;
      chatId: string | null;
      similarProjectId: number;
    }): Promise<PendingLead> {
      await store.db
        .insert(pendingLeads)
        .values({ ...entry, createdAt: new Date(clock()) })
        .onConflictDoNothing();
      return (await pendingOf(entry.id))!;
    },

    async pending(id: string): Promise<PendingLead | undefined> {
      return pendingOf(id);
    },

    async resolvePending(id: string, outcome: 'registered' | 'cancelled'): Promise<void> {
      await store.db
        .update(pendingLeads)
        .set({ outcome, resolvedAt: new Date(clock()) })
        .where(and(eq(pendingLeads.id, id), isNull(pendingLeads.outcome)));
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
