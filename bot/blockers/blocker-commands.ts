import type { BlockersRepository, BlockerView } from '../../db/blockers-repository';
import type { UnitsRepository } from '../../db/people-repository';
import {
  BLOCKER_EXAMPLE,
  BLOCKER_LIST_EXAMPLE,
  type BlockerRules,
  isOverdue,
  MEETING_EXAMPLE,
  mayListBlocker,
  parseBlockerArgs,
  parseBlockerListArgs,
  parseMeetingArgs,
  UNFINISHED,
} from '../../domain/blockers';
import { formatDateZh } from '../../domain/calendar-date';
import { COMMITMENT_EXAMPLE, FULFIL_EXAMPLE, parseCommitmentArgs, parseFulfilArgs } from '../../domain/commitments';
import type { InputProblem } from '../../domain/lead-draft';
import type { WorkingCalendar } from '../../domain/working-calendar';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import type { MessageContext } from '../lark/context';
import type { PipelineActions } from '../pipeline/pipeline-actions';
import { refusalReply } from '../pipeline/pipeline-commands';
import { blockerCard, blockerListCard, blockerNoun, confirmCard } from './blocker-cards';
import type { BlockerService } from './blocker-service';
import type { JointMeetings } from './joint-meetings';

/** `/问题清单` re-sends at most this many cards one may act on (Lark stops passing taps after 14 days). */
const MAX_FRESH_CARDS = 5;

const problemsReply = (problems: InputProblem[], example: string) =>
  textMessage(`❌ ${problems.map((p) => `${p.message}\n   ${p.hint}`).join('\n')}\n\n示例：${example}`);

export function blockerCommands(deps: {
  service: BlockerService;
  meetings: JointMeetings;
  repo: BlockersRepository;
  units: UnitsRepository;
  actions: PipelineActions;
  rules: BlockerRules;
  calendar: WorkingCalendar;
}): CommandSpec[] {
  const { service, actions } = deps;
  const sourceKey = (ctx: MessageContext) => `msg-${ctx.messageId}`;

  const raise: CommandSpec = {
    name: 'blocker',
    aliases: ['问题', '提问题'],
    summary: '提出影响项目的问题，交责任单位限期办理',
    example: BLOCKER_EXAMPLE,
    projectArg: true,
    details: `类型：${deps.rules.kinds.map((k) => `${k.name}（${k.workingDays} 个工作日）`).join('、')}。不写时限即按默认期限；投诉同时告知督查组。`,
    async run(ctx, args) {
      const parsed = parseBlockerArgs(args, actions.today(), deps.rules, ctx.mentions);
      if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, BLOCKER_EXAMPLE));
      const found = await actions.findProject(parsed.value.code);
      if ('kind' in found) return ctx.reply(refusalReply(found));
      const result = await service.raise(ctx.sender, found.project, parsed.value, sourceKey(ctx), ctx.chatId);
      if (result.kind === 'refused') return ctx.reply(refusalReply(result));
      const b = result.blocker;
      await ctx.reply(textMessage(`✅ 已将${blockerNoun(b)}交 ${b.unitName} 办理，时限 ${b.dueDate}。办结后会请您确认。`));
    },
  };

  const list: CommandSpec = {
    name: 'blockers',
    aliases: ['问题清单'],
    summary: '未解决的问题和议定事项：可按单位、项目、类型筛选，或只看逾期',
    example: BLOCKER_LIST_EXAMPLE,
    details: '可写：逾期（只看逾期）、全部（含已解决）、单位:县供电公司、项目:ZS-2026-0001、类型:用电。各人看到自己职责范围内的问题。',
    async run(ctx, args) {
      const today = actions.today();
      const parsed = parseBlockerListArgs(args, today, deps.rules);
      if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, BLOCKER_LIST_EXAMPLE));
      const f = parsed.value;
      const unit = f.unitName ? await deps.units.byName(f.unitName) : undefined;
      if (f.unitName && !unit) return ctx.reply(refusalReply({ kind: 'refused', message: `名册中没有「${f.unitName}」这个单位`, hint: '请写单位全称' }));
      const project = f.code ? await actions.findProject(f.code) : undefined;
      if (project && 'kind' in project) return ctx.reply(refusalReply(project));
      const led = await deps.units.ledBy(ctx.sender.openId);
      const shown = (
        await deps.repo.list({
          unitIds: unit ? [unit.id] : undefined,
          projectIds: project ? [project.project.id] : undefined,
          kind: f.kind,
          types: f.type ? [f.type] : undefined,
          overdueOn: f.overdueOnly ? today : undefined,
          statuses: f.all ? undefined : UNFINISHED,
        })
      )
        .filter((b) => mayListBlocker(ctx.sender, b, led))
        .sort((a, b) => Number(isOverdue(b, today)) - Number(isOverdue(a, today)));
      const title = [f.overdueOnly ? '逾期' : '', f.all ? '全部' : '未解决', '问题和议定事项'].join('');
      await ctx.reply(cardMessage(blockerListCard(title, shown, today, deps.calendar)));
      // Lark stops passing taps on a card 14 days after it was sent: fresh cards for what the asker may act on now.
      const actionable: BlockerView[] = [];
      for (const b of shown) {
        if (actionable.length === MAX_FRESH_CARDS) break;
        if (await mayActNow(ctx, b)) actionable.push(b);
      }
      for (const b of actionable) {
        const fresh = b.status === 'resolved' ? confirmCard(b, deps.rules.confirmWorkingDays, today, deps.calendar) : blockerCard(b, today, deps.calendar);
        await ctx.reply(cardMessage(fresh), `blocker-${b.id}`);
      }
    },
  };

  /** Whether the asker holds it (with the unit) or must confirm it (resolved): their card has work on it. */
  async function mayActNow(ctx: MessageContext, b: BlockerView): Promise<boolean> {
    if (b.status === 'resolved') return !(await service.refusal('confirm', ctx.sender, b));
    return ['open', 'accepted'].includes(b.status) && (await service.holders(b)).includes(ctx.sender.openId);
  }

  const meeting: CommandSpec = {
    name: 'meeting',
    aliases: ['联席会议'],
    summary: '召集联席会议（招商服务中心）：会前一个工作日 9:00 发出议程',
    example: MEETING_EXAMPLE,
    details: '议程收入逾期、久拖未决或提请联席会议的问题，以及前次会议未落实的议定事项；会上在议程卡片上逐项记录议定事项。',
    async run(ctx, args) {
      const parsed = parseMeetingArgs(args, actions.today());
      if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, MEETING_EXAMPLE));
      const result = await deps.meetings.schedule(ctx.sender, parsed.value, sourceKey(ctx));
      if (result.kind === 'refused') return ctx.reply(refusalReply(result));
      const m = result.meeting;
      await ctx.reply(
        textMessage(
          `✅ 联席会议定于 ${formatDateZh(m.day)} ${m.time}，地点：${m.place}。议程将于 ${formatDateZh(result.agendaOn)} 9:00 发出并通知各责任单位。`,
        ),
      );
    },
  };

  const commit: CommandSpec = {
    name: 'commitment',
    aliases: ['承诺'],
    summary: '登记对客商的承诺：依据、责任单位、兑现时限、金额，到期前后提醒，逾期升级',
    example: COMMITMENT_EXAMPLE,
    projectArg: true,
    details: '承诺必须刚性兑现：责任单位按时限兑现，部分兑现累计达到金额即为兑现；逾期提醒责任单位负责人、分管领导和包抓领导，再到督查组。',
    async run(ctx, args) {
      const parsed = parseCommitmentArgs(args, actions.today(), ctx.mentions);
      if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, COMMITMENT_EXAMPLE));
      const found = await actions.findProject(parsed.value.code);
      if ('kind' in found) return ctx.reply(refusalReply(found));
      const result = await service.commit(ctx.sender, found.project, parsed.value, sourceKey(ctx), ctx.chatId);
      if (result.kind === 'refused') return ctx.reply(refusalReply(result));
      const number = (await deps.repo.commitmentsOf(found.project.id)).findIndex((c) => c.id === result.blocker.id) + 1;
      await ctx.reply(
        textMessage(
          `✅ 已登记 ${found.project.code} 的第 ${number} 项承诺，交 ${result.blocker.unitName} ${result.blocker.dueDate} 前兑现。兑现后：/兑现 ${found.project.code} ${number} …`,
        ),
      );
    },
  };

  const fulfil: CommandSpec = {
    name: 'fulfil',
    aliases: ['兑现'],
    summary: '记录承诺的兑现：金额（可部分兑现）、日期、凭证',
    example: FULFIL_EXAMPLE,
    projectArg: true,
    details: '承诺按登记顺序编号 1、2、3（见项目卡片或 /问题清单 项目:编号）。有金额的承诺须写本次兑现金额；不写日期即为今天。',
    async run(ctx, args) {
      const parsed = parseFulfilArgs(args, actions.today());
      if (!parsed.ok) return ctx.reply(problemsReply(parsed.problems, FULFIL_EXAMPLE));
      const found = await actions.findProject(parsed.value.code);
      if ('kind' in found) return ctx.reply(refusalReply(found));
      const commitments = await deps.repo.commitmentsOf(found.project.id);
      const commitment = commitments[parsed.value.number - 1];
      if (!commitment) {
        const hint = commitments.length > 0 ? `这个项目有 ${commitments.length} 项承诺，编号 1–${commitments.length}` : `先登记承诺：${COMMITMENT_EXAMPLE}`;
        return ctx.reply(refusalReply({ kind: 'refused', message: `${found.project.code} 没有第 ${parsed.value.number} 项承诺`, hint }));
      }
      const result = await service.deliver(ctx.sender, commitment, parsed.value, sourceKey(ctx));
      await ctx.reply(result.kind === 'refused' ? refusalReply(result) : textMessage(`✅ ${found.project.code} 第 ${parsed.value.number} 项${result.message}`));
    },
  };

  return [raise, list, meeting, commit, fulfil];
}
