import type { PeopleRepository } from '../../db/people-repository';
import type { PipelineRepository } from '../../db/pipeline-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import { parseMilestoneName } from '../../domain/milestones';
import { lengthProblem, MAX_NOTE_LENGTH, MAX_REASON_LENGTH } from '../../domain/project-commands';
import type { CardCallbackResponse } from '../../jobs/queues';
import type { Outbox } from '../../jobs/send/outbox';
import {
  type CardAction,
  type CardActionTable,
  confirmed,
  formDate,
  formSourceKey,
  formText,
  problemsToast,
  sendFormToChat,
  toast,
} from '../common/card-action';
import { type Card, md } from '../common/card-kit';
import type { ActionResult, PipelineActions, Refusal } from './pipeline-actions';
import { doneFormCard, historyCard, milestoneFormCard, progressFormCard } from './pipeline-cards';

/**
 * Buttons on project cards and morning digests, and the forms they open. A form is sent as a new
 * message in the same chat, so a digest keeps its other items; its submit answers in place.
 */
export function pipelineCardActions(deps: {
  actions: PipelineActions;
  projects: ProjectsRepository;
  pipeline: PipelineRepository;
  people: PeopleRepository;
  outbox: Outbox;
  timeZone: string;
}): CardActionTable {
  const { actions, projects, pipeline } = deps;
  const operator = (a: CardAction) => deps.people.recordSeen({ openId: a.operator.open_id, name: '' });
  const value = (a: CardAction, key: string) => String(a.action.value[key] ?? '');

  const projectOf = async (a: CardAction): Promise<Project | undefined> => await projects.byId(Number(value(a, 'project')));
  const milestoneOf = async (a: CardAction) => {
    const milestone = await pipeline.milestoneById(Number(value(a, 'milestone')));
    return milestone ? { milestone, project: (await projects.byId(milestone.projectId))! } : undefined;
  };

  const dateField = (a: CardAction, key: string) => formDate(a, key, actions.today());

  /** Opens a form for someone who may submit it; anyone else is told why not, and no form is sent. */
  const sendForm = (a: CardAction, forbidden: Refusal | undefined, formCard: (formId: string) => Card | Promise<Card>) =>
    forbidden ? refused(forbidden) : sendFormToChat(deps.outbox, a, formCard);

  const refused = (r: Refusal) => toast('error', `${r.message}${r.hint ? `；${r.hint}` : ''}`);
  const answer = (result: ActionResult, done: string): CardCallbackResponse => (result.kind === 'refused' ? refused(result) : confirmed(done));

  const gone = toast('error', '项目或节点已不存在');

  return {
    'history.page': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      const forbidden = await actions.mayRead(await operator(a), project);
      if (forbidden) return refused(forbidden);
      return { card: { type: 'raw', data: historyCard(project, await projects.history(project.id), Number(value(a, 'page')), deps.timeZone) } };
    },
    'project.progress': async (a) => {
      const project = await projectOf(a);
      return project ? sendForm(a, await actions.mayLog(await operator(a), project), (formId) => progressFormCard(project, formId)) : gone;
    },
    'project.milestone': async (a) => {
      const project = await projectOf(a);
      return project ? sendForm(a, await actions.mayChange(await operator(a), project), (formId) => milestoneFormCard(project, formId)) : gone;
    },
    'project.done': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      return sendForm(a, await actions.mayChange(await operator(a), project), async (formId) =>
        doneFormCard(project, await pipeline.openMilestonesOf([project.id]), formId, actions.today()),
      );
    },
    'milestone.move': async (a) => {
      const found = await milestoneOf(a);
      return found
        ? sendForm(a, await actions.mayChange(await operator(a), found.project), (formId) => milestoneFormCard(found.project, formId, found.milestone))
        : gone;
    },
    'milestone.done': async (a) => {
      const found = await milestoneOf(a);
      if (!found) return gone;
      const key = `card-${a.context.open_message_id ?? ''}-done-${found.milestone.id}`;
      const result = await actions.completeMilestone(await operator(a), found.project, found.milestone.name, actions.today(), key);
      return result.kind === 'refused' ? refused(result) : toast('success', `${found.project.code}「${found.milestone.name}」已标记完成`);
    },
    'progress.submit': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      const note = formText(a, 'note');
      if (!note) return toast('error', '请填写进展内容');
      const tooLong = lengthProblem('note', '进展', note, MAX_NOTE_LENGTH);
      if (tooLong) return problemsToast([tooLong]);
      const result = await actions.logProgress(await operator(a), project, note, formSourceKey(a));
      return result.kind === 'refused' ? refused(result) : confirmed(`已记录 ${project.code} 的进展`, md(note));
    },
    'milestone.submit': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      const name = value(a, 'name') || formText(a, 'customName') || formText(a, 'name');
      const dueDate = dateField(a, 'dueDate');
      const parsedName = parseMilestoneName(name);
      if (!parsedName.ok) return toast('error', `${parsedName.problem}；${parsedName.hint}`);
      if (!dueDate) return toast('error', '请选择计划日期');
      const reason = formText(a, 'reason');
      const tooLong = lengthProblem('reason', '改期原因', reason, MAX_REASON_LENGTH);
      if (tooLong) return problemsToast([tooLong]);
      const target = { ...parsedName.milestone, dueDate, reason: reason || undefined };
      return answer(await actions.setMilestone(await operator(a), project, target, formSourceKey(a)), `${project.code}「${target.name}」定于 ${dueDate}`);
    },
    'done.submit': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      const name = formText(a, 'name');
      const doneDate = dateField(a, 'doneDate') ?? actions.today();
      return answer(
        await actions.completeMilestone(await operator(a), project, name, doneDate, formSourceKey(a)),
        `${project.code}「${name}」于 ${doneDate} 完成`,
      );
    },
    'signed.dates': async (a) => {
      const project = await projectOf(a);
      if (!project) return gone;
      const dates = (['started', 'producing', 'at_capacity'] as const).map((kind) => ({ kind, dueDate: dateField(a, kind) }));
      const missing = dates.find((d) => !d.dueDate);
      if (missing) return toast('error', '请为开工、投产、达产都选择日期');
      const names = { started: '开工', producing: '投产', at_capacity: '达产' } as const;
      for (const d of dates) {
        const result = await actions.setMilestone(
          await operator(a),
          project,
          { kind: d.kind, name: names[d.kind], dueDate: d.dueDate!, reason: '签约时确定' },
          formSourceKey(a, `-${d.kind}`),
        );
        if (result.kind === 'refused') return refused(result);
      }
      return answer({ kind: 'done', applied: true }, `${project.code} 节点已定：${dates.map((d) => `${names[d.kind]} ${d.dueDate}`).join('，')}`);
    },
  };
}
