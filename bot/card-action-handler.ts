import { z } from 'zod';
import type { PeopleRepository } from '../db/people-repository';
import type { ProjectsRepository } from '../db/projects-repository';
import type { Catalog } from '../domain/catalog';
import type { InputProblem, LeadDraft } from '../domain/lead-grammar';
import { parseLeadForm } from '../domain/lead-form';
import type { CardCallbackResponse } from './cards/card-kit';
import { leadCancelledCard } from './cards/lead-cards';
import type { LeadRegistration } from './lead-registration';
import type { Logger } from './logger';

const cardActionEvent = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).catch({}),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).default({}),
});
type CardAction = z.infer<typeof cardActionEvent>;

type CardActionHandler = (action: CardAction) => Promise<CardCallbackResponse>;

const toast = (type: 'success' | 'info' | 'warning' | 'error', content: string): CardCallbackResponse => ({ toast: { type, content } });

/** A toast is one short line: the problems, each with how to fix it. */
const problemsToast = (problems: InputProblem[]) => toast('error', problems.map((p) => `${p.message}：${p.hint}`).join('；'));


/**
 * card.action.trigger: a button's `value` names the action and an id, nothing more trusted than
 * that. Each handler re-reads the state it refers to and checks that the operator may act on it.
 */
export function createCardActionHandler(deps: {
  registration: LeadRegistration;
  projects: ProjectsRepository;
  people: PeopleRepository;
  catalog: Catalog;
  log: Logger;
}) {
  const { registration, projects, people, catalog } = deps;

  const answerWith = async (outcome: ReturnType<LeadRegistration['register']>, successToast: string): Promise<CardCallbackResponse> => {
    switch (outcome.kind) {
      case 'invalid':
        return problemsToast(outcome.problems);
      case 'similar':
        return { ...toast('warning', '该投资方已有相近项目，请确认'), card: { type: 'raw', data: registration.similarCard(outcome) } };
      case 'registered':
        await registration.notifyCoordinators(outcome.project);
        return { ...toast('success', successToast), card: { type: 'raw', data: registration.confirmationCard(outcome.project) } };
    }
  };

  const pendingFor = (action: CardAction) => {
    const pending = projects.pending(String(action.action.value.pending ?? ''));
    if (!pending) return { error: toast('error', '这条待确认的登记已不存在') };
    if (pending.requestedBy !== action.operator.open_id) {
      return { error: toast('warning', '只有发起登记的人可以确认或取消') };
    }
    return { pending };
  };

  const handlers: Record<string, CardActionHandler> = {
    'lead.submit': async (action) => {
      const formId = String(action.action.value.form ?? '');
      const parsed = parseLeadForm(action.action.form_value ?? {}, catalog);
      if (!parsed.ok) return problemsToast(parsed.problems);
      return answerWith(
        registration.register(parsed.draft, {
          requester: people.recordSeen({ openId: action.operator.open_id, name: '' }),
          chatId: action.context.open_chat_id ?? null,
          sourceKey: `form-${formId}`,
          duplicateConfirmed: false,
        }),
        '登记成功',
      );
    },
    'lead.confirm': async (action) => {
      const { pending, error } = pendingFor(action);
      if (!pending) return error;
      if (pending.outcome === 'cancelled') return toast('info', '这条登记已取消');
      const outcome = registration.register(pending.draft as unknown as LeadDraft, {
        requester: people.recordSeen({ openId: pending.requestedBy, name: '' }),
        chatId: pending.chatId,
        sourceKey: `pending-${pending.id}`,
        duplicateConfirmed: true,
      });
      if (outcome.kind === 'registered') projects.resolvePending(pending.id, 'registered');
      return answerWith(outcome, '已登记新项目');
    },
    'lead.cancel': async (action) => {
      const { pending, error } = pendingFor(action);
      if (!pending) return error;
      if (pending.outcome === 'registered') return toast('info', '这条登记已完成，无法取消');
      projects.resolvePending(pending.id, 'cancelled');
      return { ...toast('info', '已取消'), card: { type: 'raw', data: leadCancelledCard(pending.draft as unknown as LeadDraft) } };
    },
  };

  return async (eventId: string, payload: Record<string, unknown>): Promise<CardCallbackResponse> => {
    const parsed = cardActionEvent.safeParse(payload);
    if (!parsed.success) {
      deps.log.warn({ eventId, issues: parsed.error.issues }, 'malformed card action ignored');
      return toast('error', '无法识别的操作');
    }
    const handler = handlers[String(parsed.data.action.value.action ?? '')];
    if (!handler) return toast('error', '这张卡片已过期，请重新发送命令');
    return handler(parsed.data);
  };
}
