import { z } from 'zod';
import type { PeopleRepository } from '../../db/people-repository';
import { parseCommandLine } from '../../domain/command-line';
import { takeWord } from '../../domain/key-values';
import type { MentionedPerson } from '../../domain/lead-grammar';
import { parseProjectCode } from '../../domain/project-code';
import { withoutNul } from '../../domain/text';
import type { Logger } from '../../jobs/base/logger';
import { textMessage } from '../../jobs/send/messages';
import type { Outbox } from '../../jobs/send/outbox';
import type { CommandTable } from '../common/command-table';
import { createMessageContext } from './context';

const messageEvent = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }),
    sender_type: z.string().optional(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.enum(['group', 'p2p']).catch('group'),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(z.object({ key: z.string(), id: z.object({ open_id: z.string().optional() }), name: z.string().default('') })).default([]),
  }),
});

const textContent = z.object({ text: z.string().transform(withoutNul) });

/**
 * im.message.receive_v1: decides whether the bot is addressed (always in p2p; in a group only when
 * it is @-mentioned), records who was seen, and hands the command to its row in the table.
 */
export function createMessageHandler(deps: {
  commands: CommandTable;
  people: PeopleRepository;
  outbox: Outbox;
  botOpenId: () => Promise<string>;
  /** The code of the project whose work group (专班) a chat is, if it is one. */
  projectCodeOfChat: (chatId: string) => Promise<string | undefined>;
  log: Logger;
}) {
  return async (eventId: string, payload: Record<string, unknown>): Promise<void> => {
    const parsed = messageEvent.safeParse(payload);
    if (!parsed.success) {
      deps.log.warn({ eventId, issues: parsed.error.issues }, 'malformed message event ignored');
      return;
    }
    const { sender, message } = parsed.data;
    if (sender.sender_type !== undefined && sender.sender_type !== 'user') return;

    const botOpenId = await deps.botOpenId();
    const botKeys = message.mentions.filter((m) => m.id.open_id === botOpenId).map((m) => m.key);
    if (message.chat_type === 'group' && botKeys.length === 0) return;

    const mentions = new Map<string, MentionedPerson>();
    for (const m of message.mentions) {
      if (m.id.open_id && m.id.open_id !== botOpenId) {
        mentions.set(m.key, { openId: m.id.open_id, name: m.name });
        await deps.people.recordSeen({ openId: m.id.open_id, name: m.name });
      }
    }
    const ctx = createMessageContext(
      {
        eventId,
        messageId: message.message_id,
        chatId: message.chat_id,
        chatType: message.chat_type,
        sender: await deps.people.recordSeen({ openId: sender.sender_id.open_id, name: '' }),
        mentions,
        log: deps.log.child({ eventId }),
      },
      deps.outbox,
    );

    const text = message.message_type === 'text' ? textContent.safeParse(safeJson(message.content)).data?.text : undefined;
    if (text === undefined) {
      await ctx.reply(textMessage('目前只能识别文字命令。发送 /帮助 查看用法。'));
      return;
    }
    const commandLine = parseCommandLine(botKeys.reduce((t, key) => t.replaceAll(key, ' '), text));
    if (!commandLine) {
      await ctx.reply(textMessage('您好，我是招商助手。命令以 / 开头，例如 /线索 或 /帮助。'));
      return;
    }
    const command = deps.commands.find(commandLine.word);
    if (!command) {
      const closest = deps.commands.closest(commandLine.word).map((c) => `/${c.aliases[0] ?? c.name}`);
      const suggestion = closest.length > 0 ? `您是否要用 ${closest.join('、')}？` : '';
      await ctx.reply(textMessage(`没有 /${commandLine.word} 这个命令。${suggestion}发送 /帮助 查看全部命令。`));
      return;
    }
    await command.run(ctx, await withProjectCode(command.projectArg === true, commandLine.rest, () => deps.projectCodeOfChat(message.chat_id)));
  };
}

/** In a project's work group, a command that takes a project code may leave it out: the group's project is meant. */
async function withProjectCode(takesCode: boolean, args: string, groupProject: () => Promise<string | undefined>): Promise<string> {
  if (!takesCode || parseProjectCode(takeWord(args).word)) return args;
  const code = await groupProject();
  return code ? `${code} ${args}`.trim() : args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
