import { type Card, card, markdown } from '../common/card-kit';
import type { CommandSpec } from '../common/command-table';

/** A command's display name: its first Chinese alias. */
export function commandTitle(spec: CommandSpec): string {
  return spec.aliases[0] ?? spec.name;
}

/** `/帮助`: every command with its words and an example. */
export function helpCard(specs: readonly CommandSpec[], chatType: 'group' | 'p2p'): Card {
  const sections = specs.map(
    (s) => `**/${commandTitle(s)}**（${[s.name, ...s.aliases.slice(1)].map((w) => `/${w}`).join(' ')}）${s.summary}\n\`${s.example}\``,
  );
  const howTo = chatType === 'group' ? '在群里请先 @招商助手 再写命令。' : '在单聊中直接写命令即可。';
  return card('招商助手 · 命令一览', 'blue', [markdown(howTo), markdown(sections.join('\n\n'))]);
}

/** `/帮助 线索`: one command in full. */
export function commandHelpCard(spec: CommandSpec): Card {
  return card(`/${commandTitle(spec)} 的用法`, 'blue', [markdown(spec.details ?? spec.summary), markdown(`示例：\`${spec.example}\``)]);
}
