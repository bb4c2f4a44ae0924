import type { LarkSandbox, SentMessage } from '../../../sandbox/lark-sandbox';

/** A message as the chat page shows it. */
export interface PageMessage {
  messageId: string;
  /** Bot time, epoch ms. */
  time: number;
  /** The open_id of the person who wrote it; absent for the bot's. */
  senderOpenId?: string;
  msgType: string;
  /** `{text}` for text, the card as Lark shows it now for interactive, `{file_key, name, size}` for a file. */
  content: unknown;
  /** The message this one answers, quoted as Lark does above a reply. */
  replyTo?: { senderOpenId?: string; text: string };
  /** The card was replaced since it was sent (PATCH or a callback's answer). */
  updated: boolean;
  /** Buzzed (加急). */
  urgent: boolean;
}

interface UserMessage {
  messageId: string;
  chatId: string;
  senderOpenId: string;
  /** As typed, with @names (the event carries placeholders instead). */
  text: string;
  time: number;
}

/**
 * What the chat page shows of a chat: the bot's messages as the sandbox recorded them, and the
 * people's messages the page sent (the sandbox keeps those without their sender). A card a
 * callback answered with is the card's latest version in the sandbox, as in Lark.
 */
export class ChatLog {
  private readonly userMessages: UserMessage[] = [];
  private changes = 0;

  constructor(private readonly sandbox: LarkSandbox) {}

  recordUserMessage(message: UserMessage): void {
    this.userMessages.push(message);
    this.changes++;
  }

  /** Changes whenever anything the page may show changes, so that a poll can answer "nothing new" cheaply. */
  version(): string {
    const sent = this.sandbox.messages();
    const edits = sent.reduce((n, m) => n + m.updates.length + m.urgent.length, 0);
    return `${this.changes}.${sent.length}.${edits}`;
  }

  /** How many messages a chat has, for the unread badges of the chats not open. */
  count(chatId: string): number {
    return this.sandbox.messages().filter((m) => m.chatId === chatId).length + this.userMessages.filter((m) => m.chatId === chatId).length;
  }

  /** Every message of a chat, oldest first; a person's message before the bot's answer to it. */
  messages(chatId: string): PageMessage[] {
    const users = this.userMessages.filter((m) => m.chatId === chatId);
    const byId = new Map(users.map((m) => [m.messageId, m]));
    const fromPeople = users.map((m): [number, PageMessage] => [
      0,
      { messageId: m.messageId, time: m.time, senderOpenId: m.senderOpenId, msgType: 'text', content: { text: m.text }, updated: false, urgent: false },
    ]);
    const fromBot = this.sandbox
      .messages()
      .filter((m) => m.chatId === chatId)
      .map((m): [number, PageMessage] => {
        const parent = m.replyTo === undefined ? undefined : byId.get(m.replyTo);
        return [
          1,
          {
            messageId: m.messageId,
            time: m.createTime,
            msgType: m.msgType,
            content: this.contentOf(m),
            ...(parent && { replyTo: { senderOpenId: parent.senderOpenId, text: parent.text } }),
            updated: m.updates.length > 0,
            urgent: m.urgent.length > 0,
          },
        ];
      });
    return [...fromPeople, ...fromBot].sort(([a, x], [b, y]) => x.time - y.time || a - b).map(([, m]) => m);
  }

  private contentOf(m: SentMessage): unknown {
    if (m.msgType !== 'file') return m.latestContent;
    const key = (m.content as { file_key?: string }).file_key ?? '';
    const file = this.sandbox.file(key);
    return { file_key: key, name: file?.name ?? key, size: file?.bytes.length ?? 0 };
  }
}
