import type { BlockersRepository } from '../../db/blockers-repository';
import type { EscalationsRepository } from '../../db/escalations-repository';
import type { ProjectsRepository } from '../../db/projects-repository';
import { type EscalationLevel, mayViewEpisode, seesEveryEpisode } from '../../domain/escalation-ladder';
import { PROJECT_EXAMPLE, parseProjectArgs } from '../../domain/project-commands';
import { isBlockerCauseKey } from '../../domain/stall-rules';
import type { Escalations } from '../../jobs/escalations';
import { userRecipient } from '../../jobs/escalations';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import type { PipelineActions } from '../pipeline/pipeline-actions';
import { historyCard } from '../pipeline/pipeline-cards';
import { refusalReply } from '../pipeline/pipeline-commands';
import { escalationNoticeCard, stalledListCard } from './escalation-cards';

/** `/预警` re-sends at most this many notices with their buttons; the list names the rest. */
const MAX_FRESH_NOTICES = 5;

export function escalationCommands(deps: {
  escalations: Escalations;
  repo: EscalationsRepository;
  projects: ProjectsRepository;
  actions: PipelineActions;
  blockers: BlockersRepository;
  timeZone: string;
}): CommandSpec[] {
  const stalled: CommandSpec = {
    name: 'stalled',
    aliases: ['预警'],
    summary: '查看您可见的停滞预警和问题逾期预警，最早的在前',
    example: '/预警',
    async run(ctx) {
      const { sender } = ctx;
      const recipient = userRecipient(sender.openId);
      const all = seesEveryEpisode(sender);
      const noticesHeld = await deps.repo.latestOpenNoticesTo(recipient);
      const alarms = await deps.repo.openWithProjects({ all, openId: sender.openId, unitId: sender.unitId, recipient });
      // Those answerable for the project see its alarms, and so does anyone an alarm was sent to (a blocker's holder).
      const undecided = all ? [] : alarms.filter(({ episode }) => !noticesHeld.has(episode.id));
      const parties = await deps.actions.partiesOfEach(undecided.map(({ project }) => project));
      const answerable = new Set(undecided.filter((_, i) => mayViewEpisode(sender, parties[i]!)).map(({ episode }) => episode.id));
      const visible = alarms.filter(({ episode }) => all || noticesHeld.has(episode.id) || answerable.has(episode.id));
      if (visible.length === 0) return ctx.reply(textMessage('✅ 目前没有您可见的停滞预警。'));
      // Lark stops passing taps on a card 14 days after it was sent, while an alarm may stay open
      // longer: the asker gets a fresh copy of the latest notice they hold for each open alarm.
      const held = visible
        .flatMap(({ episode, project }) => {
          const notice = noticesHeld.get(episode.id);
          return notice ? [{ episode, project, notice }] : [];
        })
        .slice(0, MAX_FRESH_NOTICES);
      await ctx.reply(cardMessage(stalledListCard(visible, deps.timeZone, held.length)));
      const unfinished = held.length > 0 ? await deps.blockers.unfinished() : [];
      for (const { episode, project, notice } of held) {
        const card = escalationNoticeCard({
          project,
          episode,
          level: notice.level as EscalationLevel,
          levelIndex: notice.levelIndex,
          round: notice.round,
          blockers: isBlockerCauseKey(episode.causeKey) ? [] : unfinished.filter((b) => b.projectId === project.id),
        });
        await ctx.reply(cardMessage(card), `notice-${episode.id}-${notice.levelIndex}-${notice.round}`);
      }
    },
  };

  const history: CommandSpec = {
    name: 'history',
    aliases: ['记录'],
    summary: '项目的全部记录：每次变更、提醒与处置，谁、何时',
    example: '/记录 ZS-2026-0001',
    projectArg: true,
    async run(ctx, args) {
      const parsed = parseProjectArgs(args, deps.actions.today());
      if (!parsed.ok)
        return ctx.reply(
          textMessage(`❌ ${parsed.problems.map((p) => `${p.message}：${p.hint}`).join('\n')}\n示例：${PROJECT_EXAMPLE.replace('/项目', '/记录')}`),
        );
      const found = await deps.actions.findProject(parsed.value.code);
      if ('kind' in found) return ctx.reply(refusalReply(found));
      const forbidden = await deps.actions.mayRead(ctx.sender, found.project);
      if (forbidden) return ctx.reply(refusalReply(forbidden));
      await ctx.reply(cardMessage(historyCard(found.project, await deps.projects.history(found.project.id), 1, deps.timeZone)));
    },
  };

  const scan: CommandSpec = {
    name: 'scan',
    aliases: ['巡检'],
    summary: '立即巡检停滞项目（招商服务中心、管理员）；每个工作日 9:00 也会自动巡检',
    example: '/巡检',
    async run(ctx) {
      if (ctx.sender.role !== 'coordinator' && ctx.sender.role !== 'admin') return ctx.reply(textMessage('只有招商服务中心或管理员可以发起巡检。'));
      const r = await deps.escalations.scan();
      await ctx.reply(
        textMessage(`巡检完成（${r.day}）：停滞项目 ${r.stalledProjects} 个，新预警 ${r.opened} 条，解除 ${r.cleared} 条，发出通知 ${r.notices} 条。`),
      );
    },
  };

  return [stalled, history, scan];
}
