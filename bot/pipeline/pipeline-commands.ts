import type { BlockerView } from '../../db/blockers-repository';
import type { PeopleRepository } from '../../db/people-repository';
import type { PipelineRepository } from '../../db/pipeline-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import { formatWan } from '../../domain/amount';
import { compareDates } from '../../domain/calendar-date';
import type { Catalog } from '../../domain/catalog';
import type { InputProblem } from '../../domain/lead-draft';
import { defaultDueDates, type SignedDefaults } from '../../domain/milestones';
import {
  DONE_EXAMPLE,
  FUNDS_EXAMPLE,
  JOBS_EXAMPLE,
  MILESTONE_EXAMPLE,
  PROGRESS_EXAMPLE,
  PROJECT_EXAMPLE,
  parseDoneArgs,
  parseFundsArgs,
  parseJobsArgs,
  parseMilestoneArgs,
  parseProgressArgs,
  parseProjectArgs,
  parseStageArgs,
  STAGE_EXAMPLE,
} from '../../domain/project-commands';
import { stageName } from '../../domain/stages';
import type { WorkingCalendar } from '../../domain/working-calendar';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import type { CommandSpec } from '../common/command-table';
import type { MessageContext } from '../lark/context';
import type { LeadRegistration } from '../leads/lead-registration';
import type { PipelineActions, Refusal } from './pipeline-actions';
import { lostNoticeCard, myProjectsCard, projectCard, signedDatesFormCard } from './pipeline-cards';

export interface PipelineCommandDeps {
  actions: PipelineActions;
  projects: ProjectsRepository;
  pipeline: PipelineRepository;
  people: PeopleRepository;
  registration: LeadRegistration;
  outbox: Outbox;
  catalog: Catalog;
  calendar: WorkingCalendar;
  signedDefaults: SignedDefaults;
  timeZone: string;
  /** How many unfinished blockers and decisions a project has. */
  openBlockers: (projectId: number) => Promise<number>;
  /** A project's commitments not yet delivered, for the 流失 notice. */
  unkeptCommitments: (projectId: number) => Promise<BlockerView[]>;
}

const problemsReply = (problems: InputProblem[], example: string) =>
  textMessage(`❌ ${problems.map((p) => `${p.message}\n   ${p.hint}`).join('\n')}\n\n示例：${example}`);

export const refusalReply = (r: Refusal) => textMessage(`❌ ${r.message}${r.hint ? `\n${r.hint}` : ''}`);

/**
 * Parses the arguments, finds the project, and runs `then`; every way to fail gets a reply that
 * says what was wrong and how to write it, and changes nothing.
 */
async function withProject<T extends { code: string }>(
  ctx: MessageContext,
  deps: PipelineCommandDeps,
  parsed: { ok: true; value: T } | { ok: false; problems: InputProblem[] },
  example: string,
  then: (project: Project, args: T) => Promise<void>,
): Promise<void> {
  if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, example));
  const found = await deps.actions.findProject(parsed.value.code);
  if ('kind' in found) return ctx.reply(refusalReply(found));
  return then(found.project, parsed.value);
}

/** The project card as `/项目` shows it (and a work group pins it). */
export async function projectCardFor(deps: Omit<PipelineCommandDeps, 'outbox' | 'people' | 'unkeptCommitments'>, project: Project) {
  return projectCard({
    project,
    labels: await deps.registration.labels(project),
    catalog: deps.catalog,
    milestones: await deps.pipeline.milestones(project.id),
    history: await deps.projects.history(project.id),
    today: deps.actions.today(),
    calendar: deps.calendar,
    timeZone: deps.timeZone,
    totals: await deps.pipeline.totals(project.id),
    openBlockers: await deps.openBlockers(project.id),
  });
}

export function pipelineCommands(deps: PipelineCommandDeps): CommandSpec[] {
  const { actions } = deps;
  const sourceKey = (ctx: MessageContext) => `msg-${ctx.messageId}`;

  const progress: CommandSpec = {
    name: 'progress',
    aliases: ['进展'],
    summary: '记录项目进展（算作一次推进）',
    example: PROGRESS_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseProgressArgs(args, actions.today(), ctx.mentions), PROGRESS_EXAMPLE, async (project, { note }) => {
        const result = await actions.logProgress(ctx.sender, project, note, sourceKey(ctx));
        await ctx.reply(result.kind === 'refused' ? refusalReply(result) : textMessage(`✅ 已记录 ${project.code} 的进展：${note}`));
      }),
  };

  const stage: CommandSpec = {
    name: 'stage',
    aliases: ['阶段'],
    summary: '推进项目阶段：洽谈、签约、开工、投产、达产，或搁置、流失',
    example: STAGE_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseStageArgs(args, actions.today(), ctx.mentions), STAGE_EXAMPLE, async (project, request) => {
        const result = await actions.moveStage(ctx.sender, project, request, sourceKey(ctx));
        if (result.kind === 'refused') return ctx.reply(refusalReply(result));
        const moved = (await deps.projects.byId(project.id))!;
        await ctx.reply(textMessage(`✅ ${moved.code} ${stageName(result.from)} → ${stageName(moved.stage)}${result.completed ? '，对应节点已标记完成' : ''}`));
        if (moved.stage === 'signed') {
          const dates = defaultDueDates(actions.today(), deps.signedDefaults);
          await ctx.reply(cardMessage(signedDatesFormCard(moved, dates, idempotencyKey('signed-form', ctx.eventId).slice(0, 24))), 'signed-form');
        }
        if (moved.stage === 'lost') await notifyLost(moved, request.reason ?? '');
      }),
  };

  /** 责任倒查: the unit head and the leader get the project's record. */
  async function notifyLost(project: Project, reason: string) {
    const { unitHeadOpenId, leaderOpenId } = await actions.partiesOf(project);
    const unkept = await deps.unkeptCommitments(project.id);
    const notice = cardMessage(lostNoticeCard(project, reason, await deps.projects.history(project.id), deps.timeZone, unkept, actions.today()));
    for (const openId of new Set([unitHeadOpenId, leaderOpenId].filter((id): id is string => id !== null))) {
      await deps.outbox.send('open_id', openId, notice, idempotencyKey('lost', project.code, openId));
    }
  }

  const milestone: CommandSpec = {
    name: 'milestone',
    aliases: ['节点'],
    summary: '设定或调整关键时间节点（改期需写原因）',
    example: MILESTONE_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseMilestoneArgs(args, actions.today(), ctx.mentions), MILESTONE_EXAMPLE, async (project, m) => {
        const result = await actions.setMilestone(ctx.sender, project, { ...m.milestone, dueDate: m.dueDate, reason: m.reason }, sourceKey(ctx));
        if (result.kind === 'refused') return ctx.reply(refusalReply(result));
        const change = result.previousDue && result.previousDue !== m.dueDate ? `由 ${result.previousDue} 改为 ${m.dueDate}` : `定于 ${m.dueDate}`;
        const past = compareDates(m.dueDate, actions.today()) < 0 ? '（该日期已过，将按逾期提醒）' : '';
        await ctx.reply(textMessage(`✅ ${project.code}「${m.milestone.name}」${change}${past}`));
      }),
  };

  const done: CommandSpec = {
    name: 'done',
    aliases: ['完成'],
    summary: '标记节点完成（不写日期即为今天）',
    example: DONE_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseDoneArgs(args, actions.today()), DONE_EXAMPLE, async (project, d) => {
        const result = await actions.completeMilestone(ctx.sender, project, d.milestone.name, d.doneDate, sourceKey(ctx));
        if (result.kind === 'refused') return ctx.reply(refusalReply(result));
        const late =
          compareDates(result.milestone.doneDate ?? d.doneDate, result.milestone.dueDate) > 0 ? `（计划 ${result.milestone.dueDate}，延期完成）` : '';
        await ctx.reply(textMessage(`✅ ${project.code}「${result.milestone.name}」于 ${result.milestone.doneDate} 完成${late}`));
      }),
  };

  const project: CommandSpec = {
    name: 'project',
    aliases: ['项目'],
    summary: '查看项目卡片：信息、阶段、节点计划与实际、最近记录',
    example: PROJECT_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseProjectArgs(args, actions.today()), PROJECT_EXAMPLE, async (p) => {
        const forbidden = await actions.mayRead(ctx.sender, p);
        return ctx.reply(forbidden ? refusalReply(forbidden) : cardMessage(await projectCardFor(deps, p)));
      }),
  };

  const mine: CommandSpec = {
    name: 'mine',
    aliases: ['我的'],
    summary: '我负责或包抓的项目，以及最近的节点',
    example: '/我的',
    async run(ctx) {
      const mineProjects = await deps.pipeline.projectsOf(ctx.sender.openId);
      if (mineProjects.length === 0) return ctx.reply(textMessage('您还没有负责或包抓的项目。用 /线索 登记一个吧。'));
      const deadlines = await deps.pipeline.openMilestonesOf(mineProjects.map((p) => p.id));
      await ctx.reply(cardMessage(myProjectsCard(mineProjects, deadlines, actions.today())));
    },
  };

  const funds: CommandSpec = {
    name: 'funds',
    aliases: ['到位'],
    summary: '记录到位资金（万元，可写日期）',
    example: FUNDS_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseFundsArgs(args, actions.today()), FUNDS_EXAMPLE, async (project, f) => {
        const result = await actions.recordOutcome(ctx.sender, project, { fundsWan: f.amountWan }, f.day, sourceKey(ctx));
        if (result.kind === 'refused') return ctx.reply(refusalReply(result));
        const total = (await deps.pipeline.totals(project.id)).fundsWan;
        await ctx.reply(textMessage(`✅ ${project.code} 到位资金 ${formatWan(f.amountWan)}（${f.day}），累计 ${formatWan(total)}`));
      }),
  };

  const jobs: CommandSpec = {
    name: 'jobs',
    aliases: ['就业'],
    summary: '记录新增就业岗位（可写日期）',
    example: JOBS_EXAMPLE,
    projectArg: true,
    run: (ctx, args) =>
      withProject(ctx, deps, parseJobsArgs(args, actions.today()), JOBS_EXAMPLE, async (project, j) => {
        const result = await actions.recordOutcome(ctx.sender, project, { jobs: j.jobs }, j.day, sourceKey(ctx));
        if (result.kind === 'refused') return ctx.reply(refusalReply(result));
        await ctx.reply(textMessage(`✅ ${project.code} 新增就业 ${j.jobs} 人（${j.day}），累计 ${(await deps.pipeline.totals(project.id)).jobs} 人`));
      }),
  };

  return [progress, stage, milestone, done, funds, jobs, project, mine];
}
