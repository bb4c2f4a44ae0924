import type { PeopleRepository, Person, UnitsRepository } from '../../db/people-repository';
import type { Project, ProjectsRepository } from '../../db/projects-repository';
import type { Catalog } from '../../domain/catalog';
import { type Clock, yearIn } from '../../domain/clock';
import type { InputProblem, LeadDraft, PersonRef } from '../../domain/lead-grammar';
import { formatProjectCode } from '../../domain/project-code';
import { findSimilarProjects, investorKey } from '../../domain/similar-projects';
import type { Logger } from '../../jobs/base/logger';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import { mention } from '../common/card-kit';
import { leadRegisteredCard, type ProjectLabels, rosterGapsCard, similarProjectCard } from './lead-cards';

export type RegistrationOutcome =
  | { kind: 'invalid'; problems: InputProblem[] }
  | { kind: 'similar'; pendingId: string; existing: Project; draft: LeadDraft }
  | { kind: 'registered'; project: Project };

export interface RegistrationRequest {
  requester: Person;
  chatId: string | null;
  /** Idempotency: the message, form or confirmation that asked (see NewProject.sourceKey). */
  sourceKey: string;
  /** The requester already saw the similar project and said register anyway. */
  duplicateConfirmed: boolean;
}

/**
 * Turns a validated draft into a project: resolves people and unit against the roster, asks before
 * a likely duplicate, registers, and tells the coordinators when the roster could not place it.
 * Shared by the inline command, the form and the duplicate confirmation.
 */
export function createLeadRegistration(deps: {
  projects: ProjectsRepository;
  people: PeopleRepository;
  units: UnitsRepository;
  catalog: Catalog;
  timeZone: string;
  clock: Clock;
  outbox: Outbox;
  log: Logger;
}) {
  const { projects, people, units } = deps;

  async function resolvePerson(ref: PersonRef | undefined, role: string, problems: InputProblem[]): Promise<Person | null> {
    if (!ref) return null;
    if (ref.kind === 'mention') return await people.recordSeen({ openId: ref.openId, name: ref.name });
    if (ref.kind === 'open_id') return await people.recordSeen({ openId: ref.openId, name: '' });
    const found = await people.findByName(ref.name);
    if (found.length === 1) return found[0]!;
    problems.push({
      field: role,
      message: found.length === 0 ? `名册中没有「${ref.name}」` : `名册中有 ${found.length} 位「${ref.name}」，无法确定是哪一位`,
      hint: `请直接 @ 这位同事，如：${role === 'leader' ? '包抓' : '负责人'}:@张三`,
    });
    return null;
  }

  async function resolveUnit(requester: Person, unitName: string | undefined, problems: InputProblem[]): Promise<number | null> {
    if (unitName === undefined) return requester.unitId;
    const unit = await units.byName(unitName);
    if (unit) return unit.id;
    const closest = await units.closestNames(unitName);
    problems.push({
      field: 'unit',
      message: `没有名为「${unitName}」的单位`,
      hint: closest.length > 0 ? `您是否要写：${closest.join('、')}？如：单位:${closest[0]}` : '请写名册中的单位全称，或不写（默认为您所在单位）',
    });
    return null;
  }

  async function labels(project: Project): Promise<ProjectLabels> {
    return { unitName: project.unitId === null ? null : ((await units.get(project.unitId))?.name ?? null) };
  }

  /** Why the coordinators must look at a project: what the roster could not settle. */
  async function rosterGaps(project: Project): Promise<string[]> {
    const gaps: string[] = [];
    if (project.unitId === null) gaps.push('未确定责任单位');
    const [owner, leader] = [await people.get(project.ownerOpenId), project.leaderOpenId ? await people.get(project.leaderOpenId) : undefined];
    if (owner?.source !== 'roster') gaps.push(`负责人 ${mention(project.ownerOpenId)} 尚未录入名册`);
    if (project.leaderOpenId && leader?.role !== 'leader') gaps.push(`包抓领导 ${mention(project.leaderOpenId)} 不在名册的县级领导中`);
    return gaps;
  }

  return {
    labels,

    async register(draft: LeadDraft, request: RegistrationRequest): Promise<RegistrationOutcome> {
      const problems: InputProblem[] = [];
      const owner = (await resolvePerson(draft.owner, 'owner', problems)) ?? request.requester;
      const leader = await resolvePerson(draft.leader, 'leader', problems);
      const unitId = await resolveUnit(request.requester, draft.unitName, problems);
      if (problems.length > 0) return { kind: 'invalid', problems };

      const key = investorKey(draft.investor);
      if (!request.duplicateConfirmed) {
        const [existing] = findSimilarProjects(draft, await projects.withInvestorKey(key));
        if (existing) {
          const pending = await projects.savePending({
            id: idempotencyKey('pending', request.sourceKey).slice(0, 24),
            draft: draft as unknown as Record<string, unknown>,
            requestedBy: request.requester.openId,
            chatId: request.chatId,
            similarProjectId: existing.id,
          });
          return { kind: 'similar', pendingId: pending.id, existing, draft };
        }
      }

      const { project } = await projects.register(
        {
          year: yearIn(deps.timeZone, deps.clock()),
          name: draft.name,
          investor: draft.investor,
          investorKey: key,
          plannedInvestmentWan: draft.plannedInvestmentWan ?? null,
          industry: draft.industry ?? null,
          channel: draft.channel ?? null,
          referrer: draft.referrer ?? null,
          note: draft.note ?? null,
          unitId,
          ownerOpenId: owner.openId,
          leaderOpenId: leader?.openId ?? null,
          createdBy: request.requester.openId,
          sourceChatId: request.chatId,
          sourceKey: request.sourceKey,
        },
        formatProjectCode,
      );
      return { kind: 'registered', project };
    },

    async confirmationCard(project: Project) {
      return leadRegisteredCard(project, await labels(project), deps.catalog);
    },

    async similarCard(outcome: Extract<RegistrationOutcome, { kind: 'similar' }>) {
      return similarProjectCard(outcome.existing, outcome.draft, outcome.pendingId, await labels(outcome.existing), deps.catalog);
    },

    /**
     * Tells every coordinator (admins when there are none) what the roster could not settle. The
     * uuid depends on the project only, so a retry or a second registration path sends it once.
     */
    async notifyCoordinators(project: Project): Promise<void> {
      const gaps = await rosterGaps(project);
      if (gaps.length === 0) return;
      const recipients = await people.coordinatorsOrAdmins();
      if (recipients.length === 0) {
        deps.log.warn({ code: project.code, gaps }, 'no coordinator on the roster to assign the project');
        return;
      }
      const message = cardMessage(rosterGapsCard(project, gaps));
      await Promise.all(recipients.map((r) => deps.outbox.send('open_id', r.openId, message, idempotencyKey('roster-gap', project.code, r.openId))));
    },
  };
}

export type LeadRegistration = ReturnType<typeof createLeadRegistration>;
