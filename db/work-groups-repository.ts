import { and, eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { inBatches } from './batches';
import type { workGroups } from './schema-pg';
import type { Store } from './store';

export type WorkGroup = typeof workGroups.$inferSelect;

/**
 * The work groups (专班) and who is in them. A project has at most one row; its `generation` counts
 * the groups made for it (a new one after the bot was removed), and the project's `workChatId`
 * follows the active group, so its group messages go there.
 */
export function createWorkGroupsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { projects, workGroupMembers, workGroups } = store.tables;
  const now = () => new Date(clock());
  return {
    async get(projectId: number): Promise<WorkGroup | undefined> {
      return (await store.db.select().from(workGroups).where(eq(workGroups.projectId, projectId)).limit(1))[0];
    },

    /** The active group of a chat: the project it belongs to. */
    async byChat(chatId: string): Promise<WorkGroup | undefined> {
      const [group] = await store.db
        .select()
        .from(workGroups)
        .where(and(eq(workGroups.chatId, chatId), eq(workGroups.status, 'active')))
        .limit(1);
      return group;
    },

    /**
     * Asks for a group: a new row, or a new generation of one the bot was removed from (or that
     * could not be made) when `again`; an existing pending or active group is left as it is.
     */
    async request(projectId: number, requestedBy: string | null, again: boolean): Promise<WorkGroup> {
      const existing = await this.get(projectId);
      if (!existing) {
        await store.db
          .insert(workGroups)
          .values({ projectId, generation: 1, status: 'pending', requestedBy, createdAt: now(), updatedAt: now() })
          .onConflictDoNothing();
      } else if (again && (existing.status === 'removed' || existing.status === 'failed')) {
        await store.db
          .update(workGroups)
          .set({ generation: existing.generation + 1, status: 'pending', chatId: null, cardPostedAt: null, requestedBy, updatedAt: now() })
          .where(and(eq(workGroups.projectId, projectId), eq(workGroups.generation, existing.generation)));
      }
      return (await this.get(projectId))!;
    },

    /** The group exists: the project's group messages go to it from now on. */
    async activate(group: WorkGroup, chatId: string): Promise<void> {
      await store.transaction(async () => {
        await store.db.update(workGroups).set({ chatId, status: 'active', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId));
        await store.db.update(projects).set({ workChatId: chatId }).where(eq(projects.id, group.projectId));
      });
    },

    /** Lark would not make the group: recorded, and a later /专班 may try again. */
    async markFailed(group: WorkGroup): Promise<void> {
      await store.db.update(workGroups).set({ status: 'failed', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId));
    },

    /** The bot was taken out of the group: its messages go back to the registering group. Returns the group, if it was one. */
    async markRemoved(chatId: string): Promise<WorkGroup | undefined> {
      const group = await this.byChat(chatId);
      if (!group) return undefined;
      await store.transaction(async () => {
        await store.db.update(workGroups).set({ status: 'removed', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId));
        await store.db.update(projects).set({ workChatId: null }).where(eq(projects.id, group.projectId));
      });
      return group;
    },

    async markCardPosted(group: WorkGroup): Promise<void> {
      await store.db.update(workGroups).set({ cardPostedAt: now(), updatedAt: now() }).where(eq(workGroups.projectId, group.projectId));
    },

    /** Who was added to (or refused from) the group's current generation. */
    async members(group: WorkGroup): Promise<Map<string, 'added' | 'refused'>> {
      const rows = await store.db
        .select()
        .from(workGroupMembers)
        .where(and(eq(workGroupMembers.projectId, group.projectId), eq(workGroupMembers.generation, group.generation)));
      return new Map(rows.map((r) => [r.openId, r.status]));
    },

    async recordMembers(group: WorkGroup, openIds: string[], status: 'added' | 'refused'): Promise<void> {
      const at = now();
      // Each member once: PostgreSQL refuses a statement that upserts the same row twice.
      const rows = [...new Set(openIds)].map((openId) => ({ projectId: group.projectId, generation: group.generation, openId, status, at }));
      await store.transaction(async () => {
        for (const batch of inBatches(rows)) {
          await store.db
            .insert(workGroupMembers)
            .values(batch)
            .onConflictDoUpdate({ target: [workGroupMembers.projectId, workGroupMembers.generation, workGroupMembers.openId], set: { status, at } });
        }
      });
    },
  };
}

export type WorkGroupsRepository = ReturnType<typeof createWorkGroupsRepository>;
