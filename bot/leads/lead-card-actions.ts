import type { PeopleRepository } from '../../db/people-repository';
import type { ProjectsRepository } from '../../db/projects-repository';
import type { Catalog } from '../../domain/catalog';
import { parseLeadForm } from '../../domain/lead-form';
import type { LeadDraft } from '../../domain/lead-grammar';
import type { CardCallbackResponse } from '../../jobs/queues';
import { type CardAction, type CardActionTable, formSourceKey, problemsToast, toast } from '../common/card-action';
import { leadCancelledCard } from './lead-cards';
import type { LeadRegistration } from './lead-registration';

/** The lead form's submit, and the 仍然登记 / 取消 buttons of a likely duplicate. */
export function leadCardActions(deps: {
  registration: LeadRegistration;
  projects: ProjectsRepository;
  people: PeopleRepository;
  catalog: Catalog;
}): CardActionTable {
  const { registration, projects, people, catalog } = deps;

  const answerWith = async (outcome: Awaited<ReturnType<LeadRegistration['register']>>, successToast: string): Promise<CardCallbackResponse> => {
    switch (outcome.kind) {
      case 'invalid':
        return problemsToast(outcome.problems);
      case 'similar':
        return { ...toast('warning', '该投资方已有相近项目，请确认'), card: { type: 'raw', data: await registration.similarCard(outcome) } };
      case 'registered':
        await registration.notifyCoordinators(outcome.project);
        return { ...toast('success', successToast), card: { type: 'raw', data: await registration.confirmationCard(outcome.project) } };
    }
  };

  const pendingFor = async (action: CardAction) => {
    const pending = await projects.pending(String(action.action.value.pending ?? ''));
    if (!pending) return { error: toast('error', '这条待确认的登记已不存在') };
    if (pending.requestedBy !== action.operator.open_id) {
      return { error: toast('warning', '只有发起登记的人可以确认或取消') };
    }
    return { pending };
  };

  return {
    'lead.submit': async (action) => {
      const sourceKey = formSourceKey(action);
      const parsed = parseLeadForm(action.action.form_value ?? {}, catalog);
      if (!parsed.ok) return problemsToast(parsed.problems);
      return answerWith(
        await registration.register(parsed.draft, {
          requester: await people.recordSeen({ openId: action.operator.open_id, name: '' }),
          chatId: action.context.open_chat_id ?? null,
          sourceKey,
          duplicateConfirmed: false,
        }),
        '登记成功',
      );
    },
    'lead.confirm': async (action) => {
      const { pending, error } = await pendingFor(action);
      if (!pending) return error;
      if (pending.outcome === 'cancelled') return toast('info', '这条登记已取消');
      const outcome = await registration.register(pending.draft as unknown as LeadDraft, {
        requester: await people.recordSeen({ openId: pending.requestedBy, name: '' }),
        chatId: pending.chatId,
        sourceKey: `pending-${pending.id}`,
        duplicateConfirmed: true,
      });
      if (outcome.kind === 'registered') await projects.resolvePending(pending.id, 'registered');
      return answerWith(outcome, '已登记新项目');
    },
    'lead.cancel': async (action) => {
      const { pending, error } = await pendingFor(action);
      if (!pending) return error;
      if (pending.outcome === 'registered') return toast('info', '这条登记已完成，无法取消');
      await projects.resolvePending(pending.id, 'cancelled');
      return { ...toast('info', '已取消'), card: { type: 'raw', data: leadCancelledCard(pending.draft as unknown as LeadDraft) } };
    },
  };
}
