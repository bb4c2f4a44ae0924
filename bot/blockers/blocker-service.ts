import type { BlockersRepository, BlockerView, NewBlocker } from '../../db/blockers-repository';
import type { PeopleRepository, Person, Unit, UnitsRepository } from '../../db/people-repository';
import type { Project } from '../../db/projects-repository';
import { formatWan } from '../../domain/amount';
import {
  type BlockerAction,
  type BlockerKind,
  type BlockerParties,
  type BlockerRules,
  confirmedBySilence,
  defaultDueDate,
  dueDateProblem,
  refusalFor,
  UNFINISHED,
} from '../../domain/blockers';
import { compareDates, type IsoDate } from '../../domain/calendar-date';
import { COMMITMENT_KIND, deliveryProblem, keptOn, MAX_COMMITMENT_DAYS } from '../../domain/commitments';
import type { WorkingCalendar } from '../../domain/working-calendar';
import { blockerHolders } from '../../jobs/blocker-holders';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import { type Card, md, mention } from '../common/card-kit';
import type { Refusal } from '../pipeline/pipeline-actions';
import { blockerCard, blockerNewsCard, blockerNoun, confirmCard, extensionCard, returnedCard } from './blocker-cards';

/** A step done (its message for the person who took it), or why not. */
export type StepResult = { kind: 'done'; message: string } | Refusal;

/** A blocker or commitment written (or found written by the same request before). */
type Opened = { kind: 'done'; blocker: BlockerView; created: boolean };

const refuse = (message: string, hint?: string): Refusal => ({ kind: 'refused', message, hint });

/** What the blocker feature needs of the reminders and the overdue ladder. */
export interface BlockerFollowUp {
  /** Arms the reminders of a blocker still with its unit (or re-arms them for a new time limit). */
  arm(blockerId: number, dueDate: IsoDate): Promise<void>;
  disarm(blockerId: number, dueDate: IsoDate): Promise<void>;
  /** Its overdue alarm ends (办结, 退回, a new time limit), and everyone told hears so. */
  settle(blockerId: number, actorOpenId: string): Promise<void>;
  /** A unit was handed something on the project: its work group takes the unit's people in. */
  involve(projectId: number): Promise<void>;
}

/**
 * The life of a blocker: raised by anyone who may log progress on the project, then each step
 * checked against the county's rules (who may, from which state), written with its history, and
 * told to the people it concerns. `sourceKey` makes each request idempotent.
 */
export function createBlockerService(deps: {
  repo: BlockersRepository;
  people: PeopleRepository;
  units: UnitsRepository;
  calendar: WorkingCalendar;
  rules: BlockerRules;
  outbox: Outbox;
  followUp: BlockerFollowUp;
  supervisorsChatId: string | null;
  today: () => IsoDate;
  /** Why `actor` may not log progress on (or change) the project, if they may not (pipeline-actions). */
  mayLog: (actor: Person, project: Project) => Promise<Refusal | undefined>;
  mayChange: (actor: Person, project: Project) => Promise<Refusal | undefined>;
}) {
  const { repo, people, calendar } = deps;

  const unitHead = async (unitId: number) => (await people.unitHead(unitId))?.openId ?? null;
  const partiesOf = async (b: BlockerView): Promise<BlockerParties> => ({
    unitHeadOpenId: await unitHead(b.unitId),
    ownerOpenId: b.ownerOpenId,
    leaderOpenId: b.leaderOpenId,
  });
  const coordinators = async () => (await people.coordinatorsOrAdmins()).map((p) => p.openId);
  const holders = (b: BlockerView) => blockerHolders(b, people);

  const tell = async (openIds: Iterable<string>, message: Card, ...key: string[]) => {
    for (const openId of new Set(openIds)) await deps.outbox.send('open_id', openId, cardMessage(message), idempotencyKey('blocker', ...key, openId));
  };
  const tellSupervisors = async (message: Card, ...key: string[]) => {
    if (deps.supervisorsChatId) {
      await deps.outbox.send('chat_id', deps.supervisorsChatId, cardMessage(message), idempotencyKey('blocker', ...key, deps.supervisorsChatId));
      return;
    }
    const supervisors = (await people.withRole('supervisor')).map((p) => p.openId);
    await tell(supervisors.length > 0 ? supervisors : await coordinators(), message, ...key);
  };

  const fresh = async (b: BlockerView) => (await repo.byId(b.id))!;
  /** The project's work group (专班) hears each step too, if it has one. */
  const toGroup = async (b: BlockerView, message: Card, ...key: string[]) => {
    if (b.workChatId) await deps.outbox.send('chat_id', b.workChatId, cardMessage(message), idempotencyKey('blocker-group', ...key, b.workChatId));
  };
  const news = (b: BlockerView, title: string, text: string) => blockerNewsCard(b, title, text, deps.today(), calendar);

  /** The unit by its full name, or a refusal that names the closest ones. */
  async function unitNamed(name: string): Promise<Unit | Refusal> {
    const unit = await deps.units.byName(name.trim());
    if (unit) return unit;
    const close = await deps.units.closestNames(name);
    return refuse(`名册中没有「${name}」这个单位`, close.length > 0 ? `是不是「${close.join('」「')}」？请写单位全称` : '请写名册中的单位全称');
  }

  /** Runs a step for an actor allowed to take it now; a stale or repeated request changes nothing. */
  async function step(
    action: BlockerAction,
    actor: Person,
    b: BlockerView,
    sourceKey: string,
    patch: Parameters<BlockersRepository['step']>[3],
    history: Record<string, unknown>,
  ): Promise<Refusal | { applied: boolean }> {
    const refusal = refusalFor(action, actor, b, await partiesOf(b));
    if (refusal) return refuse(refusal);
    const applied = await repo.step({ projectId: b.projectId, actorOpenId: actor.openId, sourceKey }, b, [b.status], patch, `blocker_${action}`, {
      kind: b.kind,
      type: b.type,
      ...history,
    });
    return { applied };
  }

  return {
    holders,
    unitNamed,

    /** 提问题: checks, then raises it and tells the unit (and the supervisors, for a complaint). */
    async raise(
      actor: Person,
      project: Project,
      input: { kind: BlockerKind; description: string; unitName: string; dueDate?: IsoDate },
      sourceKey: string,
      chatId: string | null,
    ): Promise<Opened | Refusal> {
      const forbidden = await deps.mayLog(actor, project);
      if (forbidden) return refuse(`您不能为项目 ${project.code} 提问题`, '能记录项目进展的人（负责人、包抓领导、项目所在单位的人员、招商服务中心）可以提问题');
      if (project.stage === 'lost') return refuse(`项目 ${project.code} 已流失`, '流失项目不再受理问题');
      const fields = { type: 'blocker', kind: input.kind.name, complaint: input.kind.complaint, description: input.description } as const;
      const dueDate = input.dueDate ?? defaultDueDate(input.kind, deps.today(), calendar);
      return this.open(actor, project, { ...fields, unitName: input.unitName, dueDate, sourceChatId: chatId }, sourceKey, 'blocker_raised');
    },

    /** 承诺: written down by those who may change the project, with who must deliver it and by when. */
    async commit(
      actor: Person,
      project: Project,
      input: { promise: string; basis?: string; unitName: string; dueDate: IsoDate; amountWan?: number },
      sourceKey: string,
      chatId: string | null,
    ): Promise<Opened | Refusal> {
      const forbidden = await deps.mayChange(actor, project);
      if (forbidden) return refuse(`您不能为项目 ${project.code} 登记承诺`, '能修改项目的人（负责人、单位负责人、包抓领导、招商服务中心）可以登记承诺');
      const fields = {
        type: 'commitment',
        kind: COMMITMENT_KIND,
        complaint: false,
        description: input.promise,
        basis: input.basis ?? null,
        amountWan: input.amountWan ?? null,
      } as const;
      return this.open(actor, project, { ...fields, unitName: input.unitName, dueDate: input.dueDate, sourceChatId: chatId }, sourceKey, 'commitment_made');
    },

    /** Writes a new blocker or commitment for a unit named on the roster, then tells the unit. */
    async open(
      actor: Person,
      project: Project,
      fields: Omit<NewBlocker, 'unitId' | 'raisedDay'> & { unitName: string },
      sourceKey: string,
      action: 'blocker_raised' | 'commitment_made',
    ): Promise<Opened | Refusal> {
      const { unitName, ...rest } = fields;
      const unit = await unitNamed(unitName);
      if (unit.kind === 'refused') return unit;
      const today = deps.today();
      const commitment = fields.type === 'commitment';
      const late = dueDateProblem(fields.dueDate, today, commitment ? '兑现时限' : '办理时限', commitment ? MAX_COMMITMENT_DAYS : undefined);
      if (late) return refuse(late, commitment ? '写今天之后的兑现日期' : '不写时限即按该类问题的默认期限');
      const { blocker, created } = await repo.raise(
        { projectId: project.id, actorOpenId: actor.openId, sourceKey },
        { ...rest, unitId: unit.id, raisedDay: today },
        action,
      );
      const view = (await repo.byId(blocker.id))!;
      if (created) await this.announce(view, sourceKey);
      return { kind: 'done', blocker: view, created };
    },

    /** 兑现: a dated delivery with its evidence; the commitment is kept once the deliveries reach it. */
    async deliver(actor: Person, b: BlockerView, delivery: { amountWan?: number; day: IsoDate; evidence: string }, sourceKey: string): Promise<StepResult> {
      const refusal = refusalFor('deliver', actor, b, await partiesOf(b));
      if (refusal) return refuse(refusal);
      const promised = { amountWan: b.amountWan, deliveredWan: b.deliveredWan, dueDate: b.dueDate };
      const problem = deliveryProblem(promised, delivery, deps.today());
      if (problem) return refuse(problem);
      const total = b.deliveredWan + (delivery.amountWan ?? 0);
      const recorded = { ...delivery, amountWan: delivery.amountWan ?? null };
      const keptDay = keptOn(b.amountWan, [...(await repo.deliveries(b.id)), recorded]);
      const kept = keptDay !== null;
      const applied = await repo.deliver({ projectId: b.projectId, actorOpenId: actor.openId, sourceKey }, b, recorded, keptDay);
      const progress = b.amountWan === null ? '' : `，累计 ${formatWan(total)} / ${formatWan(b.amountWan)}`;
      if (applied) {
        const now = await fresh(b);
        if (kept) {
          await deps.followUp.disarm(b.id, b.dueDate);
          await deps.followUp.settle(b.id, actor.openId);
        }
        const text = `${mention(actor.openId)} 记录兑现${delivery.amountWan === undefined ? '' : ` ${formatWan(delivery.amountWan)}`}（${delivery.day}）${md(progress)}：${md(delivery.evidence)}`;
        const delivered = news(now, kept ? '🤝 承诺已兑现' : '🤝 承诺部分兑现', text);
        await tell([b.raisedBy, ...(await holders(b))], delivered, 'delivered', sourceKey);
        await toGroup(now, delivered, 'delivered', sourceKey);
      }
      return { kind: 'done', message: kept ? `承诺已兑现${progress}` : `已记录部分兑现${progress}` };
    },

    /** A new blocker or decision reaches its unit (and a complaint the supervisors), and its reminders are armed. */
    async announce(b: BlockerView, key: string) {
      await deps.followUp.arm(b.id, b.dueDate);
      await tell(await holders(b), blockerCard(b, deps.today(), calendar, `${mention(b.raisedBy)} 提出，请贵单位办理。`), 'new', key);
      await toGroup(b, news(b, `📌 新${blockerNoun(b)}`, `${mention(b.raisedBy)} 提出，已交 ${md(b.unitName)} 办理。`), 'new', key);
      await deps.followUp.involve(b.projectId);
      if (b.complaint) await tellSupervisors(news(b, '📮 新投诉', '有诉必查、有查必果：投诉已转责任单位，请督查组跟踪。'), 'complaint', key);
    },

    /** 受理, optionally naming who in the unit handles it. */
    async accept(actor: Person, b: BlockerView, handler: string | null, sourceKey: string): Promise<StepResult> {
      const result = await step('accept', actor, b, sourceKey, { status: 'accepted', handlerOpenId: handler }, { handler });
      if ('kind' in result) return result;
      if (result.applied) {
        const now = await fresh(b);
        await tell([b.raisedBy], news(now, '📥 已受理', `${md(now.unitName)} 已受理。`), 'accepted', String(b.id));
        if (handler && handler !== actor.openId)
          await tell([handler], blockerCard(now, deps.today(), calendar, `${mention(actor.openId)} 交由您承办。`), 'handler', sourceKey);
      }
      return { kind: 'done', message: `已受理${handler ? '，已通知承办人' : ''}` };
    },

    /** 退回: not this unit's; the coordinators are asked to name the right one. */
    async sendBack(actor: Person, b: BlockerView, reason: string, sourceKey: string): Promise<StepResult> {
      const result = await step('return', actor, b, sourceKey, { status: 'returned', handlerOpenId: null, extension: null }, { reason });
      if ('kind' in result) return result;
      if (result.applied) {
        const now = await fresh(b);
        await deps.followUp.disarm(b.id, b.dueDate);
        await deps.followUp.settle(b.id, actor.openId);
        await tell(await coordinators(), returnedCard(now, reason, deps.today(), calendar), 'returned', sourceKey);
        await toGroup(now, news(now, '↩️ 已被退回', `${md(b.unitName)} 退回：${md(reason)}`), 'returned', sourceKey);
        await tell([b.raisedBy], news(now, '↩️ 已被退回', `${md(b.unitName)} 退回：${md(reason)}。招商服务中心将改派责任单位。`), 'returned-raiser', sourceKey);
      }
      return { kind: 'done', message: '已退回，招商服务中心将改派' };
    },

    /** 改派: a coordinator names the right unit; the time limit starts again unless one is given. */
    async reassign(actor: Person, b: BlockerView, unitName: string, dueDate: IsoDate | undefined, sourceKey: string): Promise<StepResult> {
      const unit = await unitNamed(unitName);
      if (unit.kind === 'refused') return unit;
      const today = deps.today();
      const late = dueDate && dueDateProblem(dueDate, today);
      if (late) return refuse(late);
      const kind = deps.rules.kinds.find((k) => k.name === b.kind);
      const due = dueDate ?? (kind ? defaultDueDate(kind, today, calendar) : calendar.addWorkingDays(today, deps.rules.decisionWorkingDays));
      const result = await step(
        'reassign',
        actor,
        b,
        sourceKey,
        { status: 'open', unitId: unit.id, dueDate: due },
        { from: b.unitId, to: unit.id, dueDate: due },
      );
      if ('kind' in result) return result;
      if (result.applied) await this.announce(await fresh(b), sourceKey);
      return { kind: 'done', message: `已改派给 ${unit.name}，时限 ${due}` };
    },

    /** 申请延期: a later date and why; the coordinators and the project's leader decide. */
    async requestExtension(actor: Person, b: BlockerView, dueDate: IsoDate, reason: string, sourceKey: string): Promise<StepResult> {
      if (compareDates(dueDate, b.dueDate) <= 0) return refuse(`延期日期须晚于现时限 ${b.dueDate}`);
      const late = dueDateProblem(dueDate, deps.today(), '延期日期');
      if (late) return refuse(late);
      const extension = { dueDate, reason, requestedBy: actor.openId };
      const result = await step('extend', actor, b, sourceKey, { extension }, { ...extension });
      if ('kind' in result) return result;
      if (result.applied) {
        const deciders = [...(await coordinators()), ...(b.leaderOpenId ? [b.leaderOpenId] : [])];
        await tell(deciders, extensionCard(await fresh(b), deps.today(), calendar), 'extension', sourceKey);
      }
      return { kind: 'done', message: '延期申请已提交，待招商服务中心或包抓领导审批' };
    },

    /** 同意 or 不同意 a pending extension. */
    async decideExtension(actor: Person, b: BlockerView, granted: boolean, sourceKey: string): Promise<StepResult> {
      const requested = b.extension;
      const patch = granted && requested ? { extension: null, dueDate: requested.dueDate } : { extension: null };
      const result = await step('grant', actor, b, sourceKey, patch, { granted, dueDate: requested?.dueDate, from: b.dueDate });
      if ('kind' in result) return result;
      if (result.applied && requested) {
        if (granted) {
          await deps.followUp.disarm(b.id, b.dueDate);
          await deps.followUp.arm(b.id, requested.dueDate);
          await deps.followUp.settle(b.id, actor.openId);
        }
        const text = granted ? `延期已同意，新时限 ${requested.dueDate}。` : `延期未获同意，时限仍为 ${b.dueDate}。`;
        await tell([requested.requestedBy], news(await fresh(b), granted ? '⏳ 延期已同意' : '⏳ 延期未同意', text), 'extension-decided', sourceKey);
      }
      return { kind: 'done', message: granted ? `已同意延期至 ${requested?.dueDate}` : '已不同意延期' };
    },

    /** 办结: what was done (a complaint also its finding and who checked it); the raiser is asked to confirm. */
    async resolve(actor: Person, b: BlockerView, report: { outcome: string; finding: string; checkedBy: string }, sourceKey: string): Promise<StepResult> {
      const today = deps.today();
      const patch = {
        status: 'resolved' as const,
        outcome: report.outcome,
        finding: b.complaint ? report.finding : null,
        checkedBy: b.complaint ? report.checkedBy : null,
        resolvedDay: today,
        extension: null,
      };
      const result = await step('resolve', actor, b, sourceKey, patch, { outcome: report.outcome, finding: patch.finding, checkedBy: patch.checkedBy });
      if ('kind' in result) return result;
      if (result.applied) {
        await deps.followUp.disarm(b.id, b.dueDate);
        await deps.followUp.settle(b.id, actor.openId);
        const now = await fresh(b);
        await tell([b.raisedBy], confirmCard(now, deps.rules.confirmWorkingDays, today, calendar), 'confirm', sourceKey);
        await toGroup(now, news(now, `✅ ${blockerNoun(b)}已办结`, `办理结果：${md(report.outcome)}`), 'resolved', sourceKey);
        if (b.complaint) await tellSupervisors(news(now, '📮 投诉已办结', `查处结果：${md(report.finding)}`), 'complaint-resolved', sourceKey);
      }
      return { kind: 'done', message: `已办结，待${b.complaint ? '投诉人' : '提出人'}确认` };
    },

    /** 确认解决. */
    async confirm(actor: Person, b: BlockerView, sourceKey: string): Promise<StepResult> {
      const result = await step('confirm', actor, b, sourceKey, { status: 'closed', closedDay: deps.today() }, {});
      if ('kind' in result) return result;
      if (result.applied)
        await tell(await holders(b), news(await fresh(b), '✅ 已确认解决', `${mention(actor.openId)} 确认${blockerNoun(b)}已解决。`), 'closed', String(b.id));
      return { kind: 'done', message: '已确认解决' };
    },

    /** 仍未解决: back to the unit, with what is still missing. */
    async reopen(actor: Person, b: BlockerView, reason: string, sourceKey: string): Promise<StepResult> {
      const result = await step('reopen', actor, b, sourceKey, { status: 'accepted', resolvedDay: null }, { reason });
      if ('kind' in result) return result;
      if (result.applied) {
        const now = await fresh(b);
        await deps.followUp.arm(b.id, now.dueDate);
        await tell(await holders(now), blockerCard(now, deps.today(), calendar, `${mention(actor.openId)} 反馈仍未解决：${md(reason)}`), 'reopened', sourceKey);
      }
      return { kind: 'done', message: '已退回责任单位重办' };
    },

    /** 提交联席会议: the next agenda takes it. */
    async flag(actor: Person, b: BlockerView, sourceKey: string): Promise<StepResult> {
      if (b.flaggedBy) return { kind: 'done', message: '已提交联席会议' };
      const result = await step('flag', actor, b, sourceKey, { flaggedBy: actor.openId }, {});
      return 'kind' in result ? result : { kind: 'done', message: '已提交联席会议，将列入下次会议议程' };
    },

    /** Silence confirms: 办结 left unanswered for the county's working days is closed. Returns how many. */
    async confirmSilent(): Promise<number> {
      const today = deps.today();
      let closed = 0;
      for (const b of await repo.awaitingConfirmation()) {
        if (!b.resolvedDay || !confirmedBySilence(b.resolvedDay, today, deps.rules, calendar)) continue;
        const applied = await repo.step(
          { projectId: b.projectId, actorOpenId: null, sourceKey: `silence-${b.id}-${b.resolvedDay}` },
          b,
          ['resolved'],
          { status: 'closed', closedDay: today },
          'blocker_confirm',
          { kind: b.kind, type: b.type, silent: true },
        );
        if (applied) closed++;
      }
      return closed;
    },

    /** Why `actor` may not take `action` on the blocker now, if they may not: opening a form checks it too. */
    refusal: async (action: BlockerAction, actor: Person, b: BlockerView): Promise<Refusal | undefined> => {
      const why = refusalFor(action, actor, b, await partiesOf(b));
      return why ? refuse(why) : undefined;
    },

    /** Unfinished blockers of a project, for its card. */
    unfinishedOf: (projectId: number) => repo.list({ projectIds: [projectId], statuses: UNFINISHED }),
  };
}

export type BlockerService = ReturnType<typeof createBlockerService>;
