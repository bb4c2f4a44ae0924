import { PROJECT_EXAMPLE, parseProjectArgs } from '../../domain/project-commands';
import { textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import type { PipelineActions } from '../pipeline/pipeline-actions';
import { refusalReply } from '../pipeline/pipeline-commands';
import type { WorkGroups } from './work-groups';

const EXAMPLE = PROJECT_EXAMPLE.replace('/项目', '/专班');

/** `/专班 <编号>`: the project's work group, made now (or again, after the bot was removed from it). */
export function workGroupCommand(deps: { workGroups: WorkGroups; actions: PipelineActions }): CommandSpec {
  return {
    name: 'workgroup',
    aliases: ['专班'],
    summary: '为项目建立专班群（签约时自动建立）：负责人、单位负责人、包抓领导、招商服务中心和相关责任单位',
    example: EXAMPLE,
    details: '在专班群里发命令可以不写项目编号，如 @招商助手 /进展 客商设备已进场。',
    projectArg: true,
    async run(ctx, args) {
      const parsed = parseProjectArgs(args, deps.actions.today());
      if (!parsed.ok) return ctx.reply(textMessage(`❌ ${parsed.problems.map((p) => `${p.message}：${p.hint}`).join('\n')}\n示例：${EXAMPLE}`));
      const found = await deps.actions.findProject(parsed.value.code);
      if ('kind' in found) return ctx.reply(refusalReply(found));
      const forbidden = await deps.actions.mayChange(ctx.sender, found.project);
      if (forbidden) return ctx.reply(refusalReply(forbidden));
      const group = await deps.workGroups.request(found.project.id, ctx.sender.openId, true);
      await ctx.reply(
        textMessage(
          group.status === 'active'
            ? `${found.project.code} 已有专班群，已按项目人员补齐群成员。`
            : `正在为 ${found.project.code} 建立专班群，建好后项目卡片会置顶在群里。`,
        ),
      );
    },
  };
}
