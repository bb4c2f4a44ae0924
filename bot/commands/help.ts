import { card, cardMessage, markdown } from '../cards/card-kit';
import type { CommandSpec, CommandTable } from './command-table';

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
      if (one) {
        await ctx.reply(cardMessage(card(`/${title(one)} 的用法`, 'blue', [markdown(one.details ?? one.summary), markdown(`示例：\`${one.example}\``)])));
        return;
      }
      const sections = table().specs.map((s) => `**/${title(s)}**（${[s.name, ...s.aliases.slice(1)].map((w) => `/${w}`).join(' ')}）${s.summary}\n\`${s.example}\``);
      const howTo = ctx.chatType === 'group' ? '在群里请先 @招商助手 再写命令。' : '在单聊中直接写命令即可。';
      await ctx.reply(cardMessage(card('招商助手 · 命令一览', 'blue', [markdown(howTo), markdown(sections.join('\n\n'))])));
    },
  };
}

/** A command's display name: its first Chinese alias. */
function title(spec: CommandSpec): string {
  return spec.aliases[0] ?? spec.name;
}
