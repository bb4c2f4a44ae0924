import { and, eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { projects, workGroupMembers, workGroups } from './schema';

export type WorkGroup = typeof workGroups.$inferSelect;

/**
 * The work groups (专班) and who is in them. A project has at most one row; its `generation` counts
 * the groups made for it (a new one after the bot was removed), and the project's `workChatId`
 * follows the active group, so its group messages go there.
 */
function createWorkGroupsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const now = () => new Date(clock());
  return {
    get(projectId: number): WorkGroup | undefined {
      return db.select().from(workGroups).where(eq(workGroups.projectId, projectId)).get();
    },

    /** The active group of a chat: the project it belongs to. */
    byChat(chatId: string): WorkGroup | undefined {
      return db
        .select()
        .from(workGroups)
        .where(and(eq(workGroups.chatId, chatId), eq(workGroups.status, 'active')))
        .get();
    },

    /**
     * Asks for a group: a new row, or a new generation of one the bot was removed from (or that
     * could not be made) when `again`; an existing pending or active group is left as it is.
     */
    request(projectId: number, requestedBy: string | null, again: boolean): WorkGroup {
      const existing = this.get(projectId);
      if (!existing) {
        db.insert(workGroups)
          .values({ projectId, generation: 1, status: 'pending', requestedBy, createdAt: now(), updatedAt: now() })
          .onConflictDoNothing()
          .run();
      } else if (again && (existing.status === 'removed' || existing.status === 'failed')) {
        db.update(workGroups)
          .set({ generation: existing.generation + 1, status: 'pending', chatId: null, cardPostedAt: null, requestedBy, updatedAt: now() })
          .where(and(eq(workGroups.projectId, projectId), eq(workGroups.generation, existing.generation)))
          .run();
      }
      return this.get(projectId)!;
    },

    /** The group exists: the project's group messages go to it from now on. */
    activate(group: WorkGroup, chatId: string): void {
      db.transaction((tx) => {
        tx.update(workGroups).set({ chatId, status: 'active', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId)).run();
        tx.update(projects).set({ workChatId: chatId }).where(eq(projects.id, group.projectId)).run();
      });
    },

    /** Lark would not make the group: recorded, and a later /专班 may try again. */
    markFailed(group: WorkGroup): void {
      db.update(workGroups).set({ status: 'failed', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId)).run();
    },

    /** The bot was taken out of the group: its messages go back to the registering group. Returns the group, if it was one. */
    markRemoved(chatId: string): WorkGroup | undefined {
      const group = this.byChat(chatId);
      if (!group) return undefined;
      db.transaction((tx) => {
        tx.update(workGroups).set({ status: 'removed', updatedAt: now() }).where(eq(workGroups.projectId, group.projectId)).run();
        tx.update(projects).set({ workChatId: null }).where(eq(projects.id, group.projectId)).run();
      });
      return group;
    },

    markCardPosted(group: WorkGroup): void {
      db.update(workGroups).set({ cardPostedAt: now(), updatedAt: now() }).where(eq(workGroups.projectId, group.projectId)).run();
    },

    /** Who was added to (or refused from) the group's current generation. */
    members(group: WorkGroup): Map<string, 'added' | 'refused'> {
      const rows = db
        .select()
        .from(workGroupMembers)
        .where(and(eq(workGroupMembers.projectId, group.projectId), eq(workGroupMembers.generation, group.generation)))
        .all();
      return new Map(rows.map((r) => [r.openId, r.status]));
    },

    recordMembers(group: WorkGroup, openIds: string[], status: 'added' | 'refused'): void {
      db.transaction((tx) => {
        for (const openId of openIds) {
          tx.insert(workGroupMembers)
            .values({ projectId: group.projectId, generation: group.generation, openId, status, at: now() })
            .onConflictDoUpdate({ target: [workGroupMembers.projectId, workGroupMembers.generation, workGroupMembers.openId], set: { status, at: now() } })
            .run();
        }
      });
    },
  };
}

export type WorkGroupsRepository = ReturnType<typeof createWorkGroupsRepository>;
export const createWorkGroupsRepository = (a: Parameters<typeof createWorkGroupsRepositorySync>[0]) => asyncify(createWorkGroupsRepositorySync(a));
