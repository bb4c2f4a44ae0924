import { cardMessage } from '../../jobs/send/messages';
import type { CommandSpec, CommandTable } from '../common/command-table';
import { commandHelpCard, helpCard } from './help-cards';

/** `/帮助` lists every command with an example; `/帮助 线索` shows one command in full. */
export function helpCommand(table: () => CommandTable): CommandSpec {
  return {
    name: 'help',
    aliases: ['帮助', '?', '？'],
    summary: '列出全部命令及示例；/帮助 命令名 查看该命令的详细写法',
    example: '/帮助 线索',
    async run(ctx, args) {
      const wanted = args.trim().replace(/^[/／]/, '');
      const one = wanted ? table().find(wanted) : undefined;
      await ctx.reply(cardMessage(one ? commandHelpCard(one) : helpCard(table().specs, ctx.chatType)));
    },
  };
}
