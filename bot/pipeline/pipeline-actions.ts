import { type PeopleRepository, type Person, readerOf } from '../../db/people-repository';
import type { Milestone, PipelineRepository } from '../../db/pipeline-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import { compareDates, dateInZone, type IsoDate } from '../../domain/calendar-date';
import type { Clock } from '../../domain/clock';
import { mayChangeProject, mayLogProgress, type ProjectParties, whoMayChange, whoMayLogProgress } from '../../domain/permissions';
import { formatProjectCode, parseProjectCode } from '../../domain/project-code';
import { checkStageMove, completedMilestoneKind } from '../../domain/stages';
import { mayReadProject, readRefusal, type VisibilityRules } from '../../domain/visibility';
import type { MilestoneKind, ProjectStage } from '../../domain/vocabulary';
import type { Reminders } from '../../jobs/reminders';

/** Why a change did not happen, in words for the person who asked. */
export type Refusal = { kind: 'refused'; message: string; hint?: string };

export type ActionResult<T = object> = ({ kind: 'done'; applied: boolean } & T) | Refusal;

const refuse = (message: string, hint?: string): Refusal => ({ kind: 'refused', message, hint });

/**
 * What officials do to a project after registering it, shared by the chat commands and the card
 * buttons: find it, check the person may, apply the county's rules, write the change with its
 * history, and keep the reminders in step. `sourceKey` makes each request idempotent.
 */
export function createPipelineActions(deps: {
  projects: ProjectsRepository;
  pipeline: PipelineRepository;
  people: PeopleRepository;
  reminders: Reminders;
  /** Activity ends a project's stall alarms (jobs/escalations.ts). */
  onActivity: (projectId: number, actorOpenId: string) => Promise<void>;
  /** A project signed gets its work group (专班); one reassigned brings its group up to date. */
  onSigned: (projectId: number, actorOpenId: string) => Promise<void>;
  timeZone: string;
  clock: Clock;
  visibility: VisibilityRules;
}) {
  const { projects, pipeline, people, reminders } = deps;
  const today = (): IsoDate => dateInZone(deps.clock(), deps.timeZone);

  /** The parties of each of many projects (a list of alarms), each unit's head looked up once. */
  const partiesOfEach = (many: Project[]): Promise<ProjectParties[]> => {
    const heads = new Map<number, Promise<string | null>>();
    const headOf = (unitId: number) => {
      let head = heads.get(unitId);
      if (!head) {
        head = people.unitHead(unitId).then((person) => person?.openId ?? null);
        heads.set(unitId, head);
      }
      return head;
    };
    return Promise.all(
      many.map(async (project) => ({
        ownerOpenId: project.ownerOpenId,
        leaderOpenId: project.leaderOpenId,
        unitId: project.unitId,
        unitHeadOpenId: project.unitId === null ? null : await headOf(project.unitId),
      })),
    );
  };
  const partiesOf = async (project: Project): Promise<ProjectParties> => (await partiesOfEach([project]))[0]!;

  const mayChange = async (actor: Person, project: Project): Promise<Refusal | undefined> => {
    const parties = await partiesOf(project);
    return mayChangeProject(actor, parties) ? undefined : refuse(`您不能修改项目 ${project.code}。${whoMayChange(parties)}`);
  };
  const mayLog = async (actor: Person, project: Project): Promise<Refusal | undefined> => {
    const parties = await partiesOf(project);
    return mayLogProgress(actor, parties) ? undefined : refuse(`您不能为项目 ${project.code} 记录进展。${whoMayLogProgress(parties)}`);
  };

  /** Re-arms the reminders of a project's open milestones (a paused project resumed). */
  const rearmOpen = async (project: Project) => {
    for (const m of await pipeline.openMilestonesOf([project.id])) await reminders.arm(m.id, m.dueDate);
  };

  return {
    today,
    partiesOf,
    partiesOfEach,
    /** Why `actor` may not change the project (stage, milestones), if they may not: opening a form checks it too. */
    mayChange,
    /** Why `actor` may not log progress on the project, if they may not. */
    mayLog,
    /** Why `reader` may not see the project's card and record, if they may not. */
    mayRead: async (reader: Person, project: Project): Promise<Refusal | undefined> =>
      mayReadProject(readerOf(reader), await partiesOf(project), deps.visibility) ? undefined : refuse(readRefusal(readerOf(reader))),

    async findProject(codeText: string): Promise<{ project: Project } | Refusal> {
      const code = parseProjectCode(codeText);
      const project = code ? await projects.byCode(formatProjectCode(code.year, code.seq)) : undefined;
      if (project) return { project };
      return refuse(
        code ? `没有编号为 ${formatProjectCode(code.year, code.seq)} 的项目` : `「${codeText}」不是项目编号`,
        '项目编号形如 ZS-2026-0001，可用 /我的 查看您的项目',
      );
    },

    async logProgress(actor: Person, project: Project, note: string, sourceKey: string): Promise<ActionResult> {
      const forbidden = await mayLog(actor, project);
      if (forbidden) return forbidden;
      const applied = await pipeline.logProgress({ projectId: project.id, actorOpenId: actor.openId, sourceKey }, note);
      await deps.onActivity(project.id, actor.openId);
      return { kind: 'done', applied };
    },

    /** 到位资金 or 就业岗位: recorded by those who may change the project; both count as activity. */
    async recordOutcome(
      actor: Person,
      project: Project,
      outcome: { fundsWan: number } | { jobs: number },
      day: IsoDate,
      sourceKey: string,
    ): Promise<ActionResult> {
      const forbidden = await mayChange(actor, project);
      if (forbidden) return forbidden;
      const request = { projectId: project.id, actorOpenId: actor.openId, sourceKey };
      const applied =
        'fundsWan' in outcome ? await pipeline.recordFunds(request, outcome.fundsWan, day) : await pipeline.recordJobs(request, outcome.jobs, day);
      await deps.onActivity(project.id, actor.openId);
      return { kind: 'done', applied };
    },

    async moveStage(
      actor: Person,
      project: Project,
      request: { to: ProjectStage; reason?: string; reviewDate?: IsoDate; note?: string },
      sourceKey: string,
    ): Promise<ActionResult<{ from: ProjectStage; completed: MilestoneKind | null }>> {
      const forbidden = await mayChange(actor, project);
      if (forbidden) return forbidden;
      const from = project.stage;
      const pausedFrom = from === 'paused' ? await pipeline.pausedFrom(project.id) : undefined;
      const check = checkStageMove(from, request, { today: today(), pausedFrom });
      if (!check.ok) return refuse(check.problem, check.hint);
      const completes = completedMilestoneKind(request.to);
      const applied = await pipeline.moveStage(
        { projectId: project.id, actorOpenId: actor.openId, sourceKey },
        { from, ...request, today: today(), completes },
      );
      if (from === 'paused') await rearmOpen(project);
      await deps.onActivity(project.id, actor.openId);
      if (applied && request.to === 'signed') await deps.onSigned(project.id, actor.openId);
      return { kind: 'done', applied, from, completed: completes };
    },

    /** Sets a milestone, or moves it: moving a date needs a reason, which history keeps. */
    async setMilestone(
      actor: Person,
      project: Project,
      target: { kind: MilestoneKind; name: string; dueDate: IsoDate; reason?: string },
      sourceKey: string,
    ): Promise<ActionResult<{ previousDue: IsoDate | null }>> {
      const forbidden = await mayChange(actor, project);
      if (forbidden) return forbidden;
      const existing = await pipeline.milestone(project.id, target.name);
      if (existing && existing.dueDate !== target.dueDate && !existing.doneDate && !target.reason) {
        return refuse(
          `「${target.name}」已定于 ${existing.dueDate}，改期需要说明原因`,
          `如：/节点 ${project.code} ${target.name} ${target.dueDate} 原因:土地报批延迟`,
        );
      }
      const applied = await pipeline.setMilestone({ projectId: project.id, actorOpenId: actor.openId, sourceKey }, target);
      if (existing && existing.dueDate !== target.dueDate) await reminders.disarm(existing.id, existing.dueDate);
      const saved = (await pipeline.milestone(project.id, target.name))!;
      await reminders.arm(saved.id, saved.dueDate);
      await deps.onActivity(project.id, actor.openId);
      return { kind: 'done', applied, previousDue: existing?.dueDate ?? null };
    },

    async completeMilestone(
      actor: Person,
      project: Project,
      name: string,
      doneDate: IsoDate,
      sourceKey: string,
    ): Promise<ActionResult<{ milestone: Milestone }>> {
      const forbidden = await mayChange(actor, project);
      if (forbidden) return forbidden;
      const milestone = await pipeline.milestone(project.id, name);
      if (!milestone) {
        const names = (await pipeline.milestones(project.id)).map((m) => m.name);
        return refuse(
          `项目 ${project.code} 没有「${name}」节点`,
          names.length > 0 ? `现有节点：${names.join('、')}` : `请先设定：/节点 ${project.code} ${name} 2027-03-01`,
        );
      }
      if (compareDates(doneDate, today()) > 0) return refuse(`完成日期 ${doneDate} 还没到`, '完成日期不能晚于今天；不写日期即为今天');
      if (milestone.doneDate) return { kind: 'done', applied: false, milestone };
      const applied = await pipeline.completeMilestone({ projectId: project.id, actorOpenId: actor.openId, sourceKey }, milestone, doneDate);
      await reminders.disarm(milestone.id, milestone.dueDate);
      await deps.onActivity(project.id, actor.openId);
      return { kind: 'done', applied, milestone: { ...milestone, doneDate } };
    },
  };
}

export type PipelineActions = ReturnType<typeof createPipelineActions>;
