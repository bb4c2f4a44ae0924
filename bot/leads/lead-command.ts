import type { PeopleRepository } from '../../db/people-repository';
import type { Catalog } from '../../domain/catalog';
import { LEAD_EXAMPLE, LEAD_KEY_REFERENCE, parseLeadArgs } from '../../domain/lead-grammar';
import { leaderCandidates, ownerCandidates } from '../../domain/pickers';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import { idempotencyKey } from '../../jobs/send/outbox';
import type { CommandSpec } from '../common/command-table';
import { leadFormCard, problemsText } from './lead-cards';
import type { LeadRegistration, RegistrationOutcome } from './lead-registration';

/** How each registration outcome is shown, wherever the request came from. */
async function outcomeMessage(outcome: RegistrationOutcome, registration: LeadRegistration) {
  switch (outcome.kind) {
    case 'invalid':
      return textMessage(problemsText(outcome.problems, LEAD_EXAMPLE));
    case 'similar':
      return cardMessage(await registration.similarCard(outcome));
    case 'registered':
      return cardMessage(await registration.confirmationCard(outcome.project));
  }
}

/** `/lead 名称 投资方:… 金额:…` registers at once; `/lead` alone answers with the form. */
export function leadCommand(deps: { registration: LeadRegistration; catalog: Catalog; people: PeopleRepository }): CommandSpec {
  return {
    name: 'lead',
    aliases: ['线索', '登记'],
    summary: '登记招商线索（只写 /线索 会弹出表单）',
    example: LEAD_EXAMPLE,
    details: LEAD_KEY_REFERENCE,
    async run(ctx, args) {
      if (args.trim() === '') {
        const formId = idempotencyKey('form', ctx.eventId).slice(0, 24);
        const roster = await deps.people.roster();
        await ctx.reply(
          cardMessage(leadFormCard(deps.catalog, formId, { owners: ownerCandidates(roster, ctx.sender.unitId), leaders: leaderCandidates(roster) })),
        );
        return;
      }
      const parsed = parseLeadArgs(args, ctx.mentions, deps.catalog);
      const outcome = parsed.ok
        ? await deps.registration.register(parsed.draft, {
            requester: ctx.sender,
            chatId: ctx.chatId,
            sourceKey: `msg-${ctx.messageId}`,
            duplicateConfirmed: false,
          })
        : ({ kind: 'invalid', problems: parsed.problems } as const);
      await ctx.reply(await outcomeMessage(outcome, deps.registration));
      if (outcome.kind === 'registered') await deps.registration.notifyCoordinators(outcome.project);
    },
  };
}
