import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import type { BlockersRepository } from '../../db/blockers-repository';
import type { PeopleRepository } from '../../db/people-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import type { WorkGroup, WorkGroupsRepository } from '../../db/work-groups-repository';
import { UNFINISHED } from '../../domain/blockers';
import type { Logger } from '../../jobs/base/logger';
import { blockerHolders } from '../../jobs/blocker-holders';
import type { RefusalReporter } from '../../jobs/outbound-failures';
import { type LarkApi, LarkCallError } from '../../jobs/send/lark-api';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import type { Card } from '../common/card-kit';

/** The job that makes a project's group match the people who carry it. */
export const WORKGROUP_SYNC = 'workgroup-sync';
const syncJob = z.object({ projectId: z.number() });

/** Lark's codes for a user it will not put in a group: unknown, resigned, not visible to the app, outside its availability. */
const UNUSABLE_USER = new Set([232030, 232022, 232024, 232043]);
/** Lark adds at most 50 people a call. */
const MEMBERS_PER_CALL = 50;
/** A group name holds 60 characters: `【专班】`, the project's name cut to fit, and its code. */
const MAX_GROUP_NAME = 60;

/** `【专班】富硒茶深加工 ZS-2026-0001`, the name cut so the whole fits Lark's 60 characters. */
export function workGroupName(project: Pick<Project, 'name' | 'code'>): string {
  const room = MAX_GROUP_NAME - '【专班】'.length - 1 - project.code.length;
  const chars = [...project.name];
  const name = chars.length <= room ? project.name : `${chars.slice(0, room - 1).join('')}…`;
  return `【专班】${name} ${project.code}`;
}

/**
 * 专班: one Lark group per signed project (or any project, on request), with the people who carry it:
 * its owner, its unit's head, its 包抓领导, the coordinators, and the heads (or handlers) of units
 * holding its unfinished blockers and commitments. A queued job does the Lark calls, so a throttle or
 * an outage is retried with backoff; what Lark refuses for good (people outside the app, a group it
 * will not make, a bot removed from the group) is recorded and told to the coordinators once, and the
 * project's messages keep going to its registering group.
 */
export function createWorkGroups(deps: {
  repo: WorkGroupsRepository;
  projects: ProjectsRepository;
  people: PeopleRepository;
  blockers: BlockersRepository;
  lark: Pick<LarkApi, 'createChat' | 'addChatMembers'>;
  outbox: Outbox;
  queue: Queue;
  report: RefusalReporter;
  projectCard: (project: Project) => Promise<Card>;
  log: Logger;
}) {
  const { repo } = deps;

  /** Everyone the group should hold, most answerable first. */
  async function wanted(project: Project): Promise<string[]> {
    const unitHead = project.unitId === null ? undefined : (await deps.people.unitHead(project.unitId))?.openId;
    const unfinished = await deps.blockers.list({ projectIds: [project.id], statuses: UNFINISHED });
    const holders = (await Promise.all(unfinished.map((b) => blockerHolders(b, deps.people)))).flat();
    const coordinators = (await deps.people.withRole('coordinator')).map((p) => p.openId);
    return [...new Set([project.ownerOpenId, unitHead, project.leaderOpenId, ...coordinators, ...holders].filter((id): id is string => Boolean(id)))];
  }

  /** Someone Lark would not put in the group (outside the app's availability, resigned): the coordinators hear once. */
  const refusedMember = async (project: Project, openId: string, code: number) =>
    deps.report({
      key: `workgroup-member:${project.code}:${openId}`,
      what: `${(await deps.people.get(openId))?.name || openId} 未能加入项目 ${project.code} 的专班群`,
      code,
      message: 'refused by Lark',
      headline: '⚠️ 有人未能加入项目专班群',
    });

  const refused = (project: Project, err: LarkCallError) =>
    deps.report({
      key: `workgroup:${project.code}`,
      what: `项目 ${project.code}「${project.name}」的专班群`,
      code: err.code ?? err.httpStatus ?? 0,
      message: err.message,
      headline: '⚠️ 招商助手建不成或维护不了项目专班群',
    });

  async function addMembers(group: WorkGroup, chatId: string, project: Project): Promise<void> {
    const known = await repo.members(group);
    const missing = (await wanted(project)).filter((openId) => !known.has(openId));
    for (let i = 0; i < missing.length; i += MEMBERS_PER_CALL) {
      const batch = missing.slice(i, i + MEMBERS_PER_CALL);
      const { refusedOpenIds } = await deps.lark.addChatMembers(chatId, batch);
      await repo.recordMembers(
        group,
        batch.filter((id) => !refusedOpenIds.includes(id)),
        'added',
      );
      await repo.recordMembers(group, refusedOpenIds, 'refused');
      for (const openId of refusedOpenIds) await refusedMember(project, openId, 232043);
    }
  }

  /**
   * Makes the group with its owner (the project's 负责人, the bot its manager) and nobody else, then
   * fills it: Lark refuses a whole creation for one unusable id. An owner Lark will not take (outside
   * the app, resigned) leaves the bot owning it, and the coordinators hear why.
   */
  async function create(project: Project, group: WorkGroup): Promise<{ chatId: string; members: string[] }> {
    const spec = {
      name: workGroupName(project),
      description: `${project.code} 专人专班：项目提醒、问题、承诺与预警在此讨论`,
      userOpenIds: [],
      uuid: idempotencyKey('workgroup', String(project.id), String(group.generation)).slice(0, 50),
    };
    try {
      const { chatId } = await deps.lark.createChat({ ...spec, ownerOpenId: project.ownerOpenId });
      return { chatId, members: [project.ownerOpenId] };
    } catch (err) {
      if (!(err instanceof LarkCallError) || err.retryable || !UNUSABLE_USER.has(err.code ?? 0)) throw err;
      await refusedMember(project, project.ownerOpenId, err.code ?? 0);
      return { chatId: (await deps.lark.createChat(spec)).chatId, members: [] };
    }
  }

  async function sync(projectId: number, lastAttempt: boolean): Promise<void> {
    const project = await deps.projects.byId(projectId);
    const group = await repo.get(projectId);
    if (!project || !group || group.status === 'removed' || group.status === 'failed') return;
    try {
      let chatId = group.chatId;
      if (!chatId) {
        const made = await create(project, group);
        chatId = made.chatId;
        await repo.activate(group, chatId);
        await repo.recordMembers(group, made.members, 'added');
      }
      await addMembers((await repo.get(projectId))!, chatId, project);
      if (!group.cardPostedAt) {
        const uuid = idempotencyKey('workgroup-card', String(projectId), String(group.generation));
        await deps.outbox.send('chat_id', chatId, cardMessage(await deps.projectCard(project)), uuid, { pin: true });
        await repo.markCardPosted(group);
      }
    } catch (err) {
      if (!(err instanceof LarkCallError) || (err.retryable && !lastAttempt)) throw err;
      if (!(await repo.get(projectId))?.chatId) await repo.markFailed(group);
      await refused(project, err);
    }
  }

  return {
    /**
     * Asks for the project's group to be made (or brought up to date): at signing, on /专班, and
     * whenever someone joins the project. `again` makes a new group after the bot was removed.
     */
    async request(projectId: number, requestedBy: string | null, again = false): Promise<WorkGroup> {
      const group = await repo.request(projectId, requestedBy, again);
      if (group.status === 'pending' || group.status === 'active') {
        // No job id: each request is a sync of its own; they are idempotent, and a later one sees later members.
        await deps.queue.add(WORKGROUP_SYNC, { projectId }, { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true });
      }
      return group;
    },

    /** Brings an existing group up to date (a new owner, a blocker's unit); a project without one is left alone. */
    async refresh(projectId: number): Promise<void> {
      if ((await repo.get(projectId))?.status === 'active') await this.request(projectId, null);
    },

    async process(job: Job): Promise<void> {
      const { projectId } = syncJob.parse(job.data);
      await sync(projectId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    },

    /** The project a chat is the work group of, if it is one. */
    async projectOfChat(chatId: string): Promise<number | undefined> {
      return (await repo.byChat(chatId))?.projectId;
    },

    /** The bot was taken out of a group: if it was a work group, its messages go back to the registering group, and the coordinators hear once. */
    async botRemoved(chatId: string): Promise<void> {
      const group = await repo.markRemoved(chatId);
      const project = group && (await deps.projects.byId(group.projectId));
      if (!project) return;
      await deps.report({
        key: `workgroup:${project.code}:removed:${group.generation}`,
        what: `项目 ${project.code}「${project.name}」的专班群`,
        code: 232011,
        message: 'the bot was removed from the group',
        headline: '⚠️ 招商助手被移出了项目专班群，项目消息改发登记群；如需恢复，发送 /专班 重新建群',
      });
    },
  };
}

export type WorkGroups = ReturnType<typeof createWorkGroups>;
