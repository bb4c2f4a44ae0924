import type { Episode, EscalationsRepository } from '../../db/escalations-repository';
import type { PeopleRepository, Person } from '../../db/people-repository';
import type { PipelineRepository } from '../../db/pipeline-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import {
  acknowledge,
  type EscalationLevel,
  type EscalationRules,
  type LadderState,
  mayActOnNotice,
  type NoticeAction,
  snooze,
  whoMayAct,
} from '../../domain/escalation-ladder';
import { MAX_MILESTONE_NAME } from '../../domain/milestones';
import type { ProjectParties } from '../../domain/permissions';
import { ownerCandidates, type PickerPeople, summonsCandidates } from '../../domain/pickers';
import { parseReassign, parseSummons, parseSupervisionOrder } from '../../domain/supervision';
import { userRecipient } from '../../jobs/escalations';
import type { CardCallbackResponse } from '../../jobs/queues';
import type { Reminders } from '../../jobs/reminders';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
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
import type { Card } from '../common/card-kit';
import {
  acknowledgeFormCard,
  type NoticeRef,
  reassignedCard,
  reassignFormCard,
  snoozeFormCard,
  summonsFormCard,
  summonsNoticeCard,
  supervisionFormCard,
  supervisionOrderCard,
} from './escalation-cards';
import { sendToRecipient } from './escalation-messenger';

interface Addressed {
  episode: Episode;
  project: Project;
  level: EscalationLevel;
  actor: Person;
  ref: NoticeRef;
}

/**
 * The buttons of a stall notice. A button's value names an episode, a level and a round; the
 * operator may act only if a notice at that level and round was sent to them (or to the 督查组 chat
 * they belong to as a supervisor), or as an admin; 督办 and 约谈 only on a leader's notice, 改派 on a
 * leader's or unit head's. So an edited value naming another project finds no notice and is refused.
 */
export function escalationCardActions(deps: {
  repo: EscalationsRepository;
  projects: ProjectsRepository;
  pipeline: PipelineRepository;
  people: PeopleRepository;
  reminders: Reminders;
  rules: EscalationRules;
  outbox: Outbox;
  today: () => string;
  partiesOf: (project: Project) => Promise<ProjectParties>;
  /** The project's work group (专班), if any, takes in a new owner. */
  involve: (projectId: number) => Promise<void>;
}): CardActionTable {
  const { repo } = deps;
  const attendeesFor = async (project: Project) => summonsCandidates(await deps.people.roster(), await deps.partiesOf(project));
  const ownersFor = async (project: Project) => ownerCandidates(await deps.people.roster(), project.unitId);
  /** Lark offers only the listed people; an answer naming anyone else did not come from the form. */
  const offered = (people: PickerPeople, chosen: string[]) => chosen.every((openId) => people.openIds.includes(openId));

  async function addressed(a: CardAction, action: NoticeAction): Promise<Addressed | CardCallbackResponse> {
    const ref = { episode: String(a.action.value.episode ?? ''), level: String(a.action.value.level ?? ''), round: String(a.action.value.round ?? '') };
    const episode = await repo.byId(Number(ref.episode));
    const step = episode?.state.ladder[Number(ref.level)];
    if (!episode || !step) return toast('error', '找不到这条预警');
    if (episode.closedAt) return toast('info', '这条预警已解除');
    const actor = await deps.people.recordSeen({ openId: a.operator.open_id, name: '' });
    const [levelIndex, round] = [Number(ref.level), Number(ref.round)];
    const toThem = await repo.noticeFor(episode.id, userRecipient(actor.openId), levelIndex, round);
    const toTheirGroup =
      actor.role === 'supervisor' &&
      a.context.open_chat_id !== undefined &&
      (await repo.noticeFor(episode.id, `chat-${a.context.open_chat_id}`, levelIndex, round));
    const addressedTo = toThem || toTheirGroup ? actor.openId : '';
    if (!mayActOnNotice(actor, addressedTo, step.level, action)) return toast('warning', whoMayAct(action, step.level));
    return { episode, project: (await deps.projects.byId(episode.projectId))!, level: step.level, actor, ref };
  }

  /** Runs `then` for an allowed operator; anyone else gets a toast and nothing changes. */
  const guarded =
    (action: NoticeAction, then: (x: Addressed, a: CardAction) => Promise<CardCallbackResponse>) =>
    async (a: CardAction): Promise<CardCallbackResponse> => {
      const x = await addressed(a, action);
      return 'episode' in x ? then(x, a) : x;
    };

  const openForm = (action: NoticeAction, formCard: (x: Addressed, value: Record<string, string>) => Card | Promise<Card>) =>
    guarded(action, async (x, a) => sendFormToChat(deps.outbox, a, (form) => formCard(x, { ...x.ref, form })));

  /** Records an action on the episode (and its new ladder state) once per form. */
  const act = (x: Addressed, a: CardAction, name: string, details: Record<string, unknown>, state: LadderState | null) =>
    repo.act(x.episode, x.actor.openId, name, details, state, formSourceKey(a));

  const notify = (openId: string, message: Card, ...key: string[]) =>
    sendToRecipient(deps.outbox, userRecipient(openId), message, idempotencyKey(...key, openId));

  return {
    'esc.ack.form': openForm('acknowledge', (x, value) => acknowledgeFormCard(x.project, value, deps.today())),
    'esc.snooze.form': openForm('snooze', (x, value) => snoozeFormCard(x.project, value, deps.rules.maxSnoozeDays)),
    'esc.supervise.form': openForm('supervise', (x, value) => supervisionFormCard(x.project, value)),
    'esc.summon.form': openForm('summon', async (x, value) => summonsFormCard(x.project, value, await attendeesFor(x.project))),
    'esc.reassign.form': openForm('reassign', async (x, value) => reassignFormCard(x.project, value, await ownersFor(x.project))),

    'esc.ack': guarded('acknowledge', async (x, a) => {
      const nextStep = formDate(a, 'nextStep', deps.today());
      if (!nextStep) return toast('error', '请选择下一步的日期');
      const change = acknowledge(x.episode.state, nextStep, deps.today());
      if (!change.ok) return toast('error', `${change.problem}；${change.hint}`);
      await act(x, a, 'escalation_ack', { nextStep }, change.state);
      return confirmed(`已确认，${nextStep} 前暂停提醒`);
    }),

    'esc.snooze': guarded('snooze', async (x, a) => {
      const days = Number(formText(a, 'days'));
      const change = snooze(x.episode.state, days, formText(a, 'reason'), deps.today(), deps.rules);
      if (!change.ok) return toast('error', `${change.problem}；${change.hint}`);
      await act(x, a, 'escalation_snooze', { days, reason: formText(a, 'reason') }, change.state);
      return confirmed(`已暂缓 ${days} 天`);
    }),

    'esc.supervise': guarded('supervise', async (x, a) => {
      const order = parseSupervisionOrder(a.action.form_value ?? {}, deps.today());
      if (!order.ok) return problemsToast(order.problems);
      const { task, dueDate } = order.value;
      const name = `督办：${task}`.slice(0, MAX_MILESTONE_NAME);
      await deps.pipeline.setMilestone(
        { projectId: x.project.id, actorOpenId: x.actor.openId, sourceKey: `${formSourceKey(a)}-milestone` },
        { kind: 'custom', name, dueDate },
        false,
      );
      const milestone = (await deps.pipeline.milestone(x.project.id, name))!;
      await deps.reminders.arm(milestone.id, milestone.dueDate);
      const paused = acknowledge(x.episode.state, dueDate, deps.today());
      await act(x, a, 'supervision_ordered', { task, dueDate }, paused.ok ? paused.state : null);
      const unitHead = x.project.unitId === null ? undefined : await deps.people.unitHead(x.project.unitId);
      for (const openId of new Set([x.project.ownerOpenId, unitHead?.openId].filter((id): id is string => Boolean(id)))) {
        await notify(openId, supervisionOrderCard(x.project, x.actor.openId, task, dueDate), 'supervision', formSourceKey(a));
      }
      return confirmed(`已下达督办，期限 ${dueDate}`);
    }),

    'esc.summon': guarded('summon', async (x, a) => {
      const summons = parseSummons(a.action.form_value ?? {}, deps.today());
      if (!summons.ok) return problemsToast(summons.problems);
      if (!offered(await attendeesFor(x.project), summons.value.attendees)) return toast('error', '约谈对象只能从表单列出的人员中选择');
      const paused = acknowledge(x.episode.state, summons.value.when, deps.today());
      await act(x, a, 'summons', { ...summons.value }, paused.ok ? paused.state : null);
      for (const openId of summons.value.attendees) {
        await deps.people.recordSeen({ openId, name: '' });
        await notify(openId, summonsNoticeCard(x.project, x.actor.openId, summons.value), 'summons', formSourceKey(a));
      }
      return confirmed(`已通知 ${summons.value.attendees.length} 人参加约谈`);
    }),

    'esc.reassign': guarded('reassign', async (x, a) => {
      const reassign = parseReassign(a.action.form_value ?? {});
      if (!reassign.ok) return problemsToast(reassign.problems);
      if (!offered(await ownersFor(x.project), [reassign.value.newOwner])) return toast('error', '新负责人只能从表单列出的干部中选择');
      await deps.people.recordSeen({ openId: reassign.value.newOwner, name: '' });
      await deps.pipeline.reassignOwner(
        { projectId: x.project.id, actorOpenId: x.actor.openId, sourceKey: formSourceKey(a) },
        reassign.value.newOwner,
        reassign.value.reason,
      );
      const project = (await deps.projects.byId(x.project.id))!;
      await deps.involve(project.id);
      await notify(project.ownerOpenId, reassignedCard(project, x.actor.openId, reassign.value.reason), 'reassigned', formSourceKey(a));
      return confirmed('已改派负责人');
    }),
  };
}
