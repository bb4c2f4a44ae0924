import type { BlockersRepository, BlockerView } from '../../db/blockers-repository';
import type { PeopleRepository, Person } from '../../db/people-repository';
import type { ProjectsRepository } from '../../db/projects-repository';
import { parseAmountWan } from '../../domain/amount';
import {
  type BlockerAction,
  type BlockerRules,
  findKind,
  MAX_DESCRIPTION_LENGTH,
  MAX_OUTCOME_LENGTH,
  reasonProblem,
  resolutionProblems,
} from '../../domain/blockers';
import { capped, type PickerPeople } from '../../domain/pickers';
import { MAX_REASON_LENGTH } from '../../domain/project-commands';
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
import type { Card } from '../common/card-kit';
import type { PipelineActions, Refusal } from '../pipeline/pipeline-actions';
import {
  acceptFormCard,
  commitmentFormCard,
  deliverFormCard,
  extendFormCard,
  raiseFormCard,
  reassignFormCard,
  reopenFormCard,
  resolveFormCard,
  returnFormCard,
} from './blocker-cards';
import type { BlockerService, StepResult } from './blocker-service';
import type { JointMeetings } from './joint-meetings';

/**
 * The buttons of blocker cards and the forms they open. A button names a blocker and an action,
 * nothing more: each tap re-reads the blocker and checks that the operator may take that step now
 * (the unit's head, the handler, the raiser, a coordinator…), so an edited value changes nothing.
 */
export function blockerCardActions(deps: {
  service: BlockerService;
  meetings: JointMeetings;
  repo: BlockersRepository;
  projects: ProjectsRepository;
  people: PeopleRepository;
  actions: PipelineActions;
  rules: BlockerRules;
  outbox: Outbox;
}): CardActionTable {
  const { service, actions } = deps;
  const operator = (a: CardAction) => deps.people.recordSeen({ openId: a.operator.open_id, name: '' });
  const gone = toast('error', '找不到这件事，可能已被删除');
  const refused = (r: Refusal) => toast('error', `${r.message}${r.hint ? `；${r.hint}` : ''}`);
  const answer = (r: StepResult) => (r.kind === 'refused' ? refused(r) : confirmed(r.message));
  const today = () => actions.today();

  /** Those on the roster in the blocker's unit: who the head may hand it to. */
  const unitPeople = async (b: BlockerView): Promise<PickerPeople> =>
    capped((await deps.people.roster()).filter((p) => p.unitId === b.unitId).map((p) => p.openId));
  /** Who may have checked a complaint's finding: the unit's people, the supervisors, the coordinators. */
  const checkers = async (b: BlockerView): Promise<PickerPeople> =>
    capped((await deps.people.roster()).filter((p) => p.unitId === b.unitId || p.role === 'supervisor' || p.role === 'coordinator').map((p) => p.openId));

  /** The blocker a tap names and its operator, for one allowed to take `action` now; else the toast to answer. */
  async function addressed(a: CardAction, action: BlockerAction): Promise<{ b: BlockerView; actor: Person } | CardCallbackResponse> {
    const b = await deps.repo.byId(Number(a.action.value.blocker ?? ''));
    if (!b) return gone;
    const actor = await operator(a);
    const refusal = await service.refusal(action, actor, b);
    return refusal ? refused(refusal) : { b, actor };
  }

  const guarded =
    (action: BlockerAction, then: (x: { b: BlockerView; actor: Person }, a: CardAction) => Promise<CardCallbackResponse>) =>
    async (a: CardAction): Promise<CardCallbackResponse> => {
      const x = await addressed(a, action);
      return 'b' in x ? then(x, a) : x;
    };

  const openForm = (action: BlockerAction, formCard: (b: BlockerView, formId: string) => Card | Promise<Card>) =>
    guarded(action, async ({ b }, a) => sendFormToChat(deps.outbox, a, (formId) => formCard(b, formId)));

  /** Taps on a card's plain button: one change per card, operator and blocker, however often tapped. */
  const tapKey = (a: CardAction, action: string) => `card-${a.context.open_message_id ?? ''}-${action}-${a.action.value.blocker}-${a.operator.open_id}`;

  return {
    'blocker.accept.form': openForm('accept', async (b, formId) => acceptFormCard(b, await unitPeople(b), formId)),
    'blocker.return.form': openForm('return', returnFormCard),
    'blocker.extend.form': openForm('extend', extendFormCard),
    'blocker.resolve.form': openForm('resolve', async (b, formId) => resolveFormCard(b, await checkers(b), formId)),
    'blocker.reopen.form': openForm('reopen', reopenFormCard),
    'blocker.reassign.form': openForm('reassign', reassignFormCard),

    'blocker.accept': guarded('accept', async ({ b, actor }, a) => {
      const handler = formText(a, 'handler') || null;
      if (handler && !(await unitPeople(b)).openIds.includes(handler)) return toast('error', '承办人只能从本单位人员中选择');
      return answer(await service.accept(actor, b, handler, formSourceKey(a)));
    }),

    'blocker.return': guarded('return', async ({ b, actor }, a) => {
      const reason = formText(a, 'reason');
      const problem = reasonProblem(reason, '退回原因');
      return problem ? problemsToast([problem]) : answer(await service.sendBack(actor, b, reason, formSourceKey(a)));
    }),

    'blocker.extend': guarded('extend', async ({ b, actor }, a) => {
      const dueDate = formDate(a, 'dueDate', today());
      if (!dueDate) return toast('error', '请选择延至的日期');
      const reason = formText(a, 'reason');
      const problem = reasonProblem(reason, '延期原因');
      return problem ? problemsToast([problem]) : answer(await service.requestExtension(actor, b, dueDate, reason, formSourceKey(a)));
    }),

    'blocker.grant': guarded('grant', async ({ b, actor }, a) => {
      const granted = a.action.value.answer === 'yes';
      return answer(await service.decideExtension(actor, b, granted, tapKey(a, 'grant')));
    }),

    'blocker.resolve': guarded('resolve', async ({ b, actor }, a) => {
      const report = { outcome: formText(a, 'outcome'), finding: formText(a, 'finding'), checkedBy: formText(a, 'checkedBy') };
      const problems = resolutionProblems(b, report);
      if (problems.length > 0) return problemsToast(problems);
      if (b.complaint && !(await checkers(b)).openIds.includes(report.checkedBy)) return toast('error', '核查人只能从表单列出的人员中选择');
      return answer(await service.resolve(actor, b, report, formSourceKey(a)));
    }),

    'blocker.confirm': guarded('confirm', async ({ b, actor }, a) => answer(await service.confirm(actor, b, tapKey(a, 'confirm')))),

    'blocker.reopen': guarded('reopen', async ({ b, actor }, a) => {
      const reason = formText(a, 'reason');
      const problem = reasonProblem(reason, '未解决的情况');
      return problem ? problemsToast([problem]) : answer(await service.reopen(actor, b, reason, formSourceKey(a)));
    }),

    'blocker.reassign': guarded('reassign', async ({ b, actor }, a) => {
      const unitName = formText(a, 'unit');
      if (!unitName) return toast('error', '请写明新的责任单位');
      return answer(await service.reassign(actor, b, unitName, formDate(a, 'dueDate', today()), formSourceKey(a)));
    }),

    'blocker.flag': guarded('flag', async ({ b, actor }, a) => {
      const result = await service.flag(actor, b, tapKey(a, 'flag'));
      return result.kind === 'refused' ? refused(result) : toast('success', result.message);
    }),

    'commitment.deliver.form': openForm('deliver', deliverFormCard),

    'commitment.deliver': guarded('deliver', async ({ b, actor }, a) => {
      const amountText = formText(a, 'amount');
      const amount = amountText ? parseAmountWan(amountText) : undefined;
      if (amount && !amount.ok) return toast('error', `${amount.problem}：金额写作 40万、1.2亿 或 40（万元）`);
      const evidence = formText(a, 'evidence');
      if (!evidence) return toast('error', '请写明兑现凭证');
      if ([...evidence].length > MAX_OUTCOME_LENGTH) return toast('error', `凭证最多 ${MAX_OUTCOME_LENGTH} 字`);
      const delivery = { amountWan: amount?.ok ? amount.wan : undefined, day: formDate(a, 'day', today()) ?? today(), evidence };
      return answer(await service.deliver(actor, b, delivery, formSourceKey(a)));
    }),

    'project.commitment': async (a) => {
      const project = await deps.projects.byId(Number(a.action.value.project ?? ''));
      if (!project) return toast('error', '项目已不存在');
      const forbidden = await actions.mayChange(await operator(a), project);
      if (forbidden) return refused(forbidden);
      return sendFormToChat(deps.outbox, a, (formId) => commitmentFormCard(project, formId));
    },

    'commitment.submit': async (a) => {
      const project = await deps.projects.byId(Number(a.action.value.project ?? ''));
      if (!project) return toast('error', '项目已不存在');
      const promise = formText(a, 'promise');
      const basis = formText(a, 'basis');
      const unitName = formText(a, 'unit');
      const dueDate = formDate(a, 'dueDate', today());
      const amountText = formText(a, 'amount');
      const amount = amountText ? parseAmountWan(amountText) : undefined;
      const problems = [
        ...(promise ? [] : ['请写明承诺内容']),
        ...([...promise].length > MAX_DESCRIPTION_LENGTH ? [`承诺内容最多 ${MAX_DESCRIPTION_LENGTH} 字`] : []),
        ...([...basis].length > MAX_REASON_LENGTH ? [`依据最多 ${MAX_REASON_LENGTH} 字`] : []),
        ...(unitName ? [] : ['请写明责任单位']),
        ...(dueDate ? [] : ['请选择兑现时限']),
        ...(amount && !amount.ok ? [`${amount.problem}：金额写作 120万、1.2亿 或 120（万元）`] : []),
      ];
      if (problems.length > 0 || !dueDate) return toast('error', problems.join('；'));
      const input = { promise, basis: basis || undefined, unitName, dueDate, amountWan: amount?.ok ? amount.wan : undefined };
      const result = await service.commit(await operator(a), project, input, formSourceKey(a), a.context.open_chat_id ?? null);
      if (result.kind === 'refused') return refused(result);
      return confirmed(`已登记承诺，交 ${result.blocker.unitName} ${result.blocker.dueDate} 前兑现`);
    },

    'project.blocker': async (a) => {
      const project = await deps.projects.byId(Number(a.action.value.project ?? ''));
      if (!project) return toast('error', '项目已不存在');
      const forbidden = await actions.mayLog(await operator(a), project);
      if (forbidden) return refused(forbidden);
      return sendFormToChat(deps.outbox, a, (formId) => raiseFormCard(project, deps.rules.kinds, formId));
    },

    'blocker.submit': async (a) => {
      const project = await deps.projects.byId(Number(a.action.value.project ?? ''));
      if (!project) return toast('error', '项目已不存在');
      const kind = findKind(deps.rules, formText(a, 'kind'));
      if (!kind.ok) return toast('error', '请选择问题类型');
      const description = formText(a, 'description');
      if (!description) return toast('error', '请写明问题描述');
      if ([...description].length > MAX_DESCRIPTION_LENGTH) return toast('error', `问题描述最多 ${MAX_DESCRIPTION_LENGTH} 字`);
      const unitName = formText(a, 'unit');
      if (!unitName) return toast('error', '请写明责任单位');
      const input = { kind: kind.kind, description, unitName, dueDate: formDate(a, 'dueDate', today()) };
      const result = await service.raise(await operator(a), project, input, formSourceKey(a), a.context.open_chat_id ?? null);
      if (result.kind === 'refused') return refused(result);
      return confirmed(`已交 ${result.blocker.unitName} 办理，时限 ${result.blocker.dueDate}`);
    },

    'meeting.decide': async (a) => {
      const meetingId = Number(a.action.value.meeting ?? '');
      const input = {
        itemId: Number(formText(a, 'item')),
        text: formText(a, 'decision'),
        unitName: formText(a, 'unit'),
        dueDate: formDate(a, 'dueDate', today()),
      };
      const result = await deps.meetings.decide(await operator(a), meetingId, input);
      if (result.kind === 'refused') return refused(result);
      const meeting = (await deps.repo.meeting(meetingId))!;
      return {
        toast: { type: 'success', content: result.message },
        card: { type: 'raw', data: await deps.meetings.agendaPart(meeting, Number(a.action.value.part ?? 0)) },
      };
    },
  };
}
