import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Store } from '../../../db/store';
import type { PersonRole } from '../../../domain/vocabulary';
import { newMessageId } from '../../../sandbox/ids';
import type { LarkSandbox } from '../../../sandbox/lark-sandbox';
import type { AppParts } from '../../process/app';
import { DEMO_GROUP, DEMO_USERS } from '../demo-data';
import type { MovableClock } from '../sandbox-mode';
import { ChatLog } from './chat-log';
import { createMornings } from './mornings';

/** Where the chat page is served, in sandbox mode only. */
export const SANDBOX_PAGE_PATH = '/sandbox';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

const ROLE_NAMES: Record<PersonRole, string> = {
  official: '干部',
  unit_head: '单位负责人',
  leader: '县级领导',
  coordinator: '招商服务中心',
  supervisor: '督查',
  admin: '管理员',
};

/** Someone the page lets you be. `role` is null for someone not on the roster yet. */
interface PagePerson {
  openId: string;
  name: string;
  role: PersonRole | null;
  roleName: string;
  unit: string | null;
  mobile?: string;
  email?: string;
}

/** The work group, the direct chat with the bot, or the chat_id of a group the bot created (a project's 专班群). */
const chatChoice = z.string().min(1);
const sendBody = z.object({ as: z.string().min(1), chat: chatChoice, text: z.string().trim().min(1).max(4000) });
const actionBody = z.object({
  as: z.string().min(1),
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  formValue: z.record(z.string(), z.unknown()).optional(),
  tag: z.string().optional(),
  name: z.string().optional(),
});
const clockBody = z.object({ days: z.number().int().min(1).max(31) });

/** A group the bot created, as the page lists it to one of its members. */
interface PageChat {
  chatId: string;
  name: string;
  description: string;
  members: { openId: string; name: string }[];
  /** False once the bot was removed: the page still lets people write, but nothing reaches the bot. */
  botIsMember: boolean;
}

/** A request the page should not have made; answered 400 with the message. */
class PageRequestError extends Error {}

/**
 * The sandbox's chat page at /sandbox: be anyone on the roster, talk to the bot in the work group,
 * directly, or in the groups the bot created that you are in (projects' 专班群), and see its answers
 * as Lark shows them. Every message and click goes to the bot as Lark
 * would send it: a signed, encrypted event POSTed to its webhook by the sandbox. Mounted by startApp
 * in sandbox mode only.
 */
export function createSandboxPage(deps: { sandbox: LarkSandbox; clock: MovableClock; timeZone: string }) {
  const { sandbox, clock } = deps;
  const log = new ChatLog(sandbox);
  let mornings: ReturnType<typeof createMornings> | undefined;

  return {
    /** The 09:00 work, once (the routes must have been mounted). */
    async runMorning(): Promise<void> {
      await mornings?.run();
    },

    routes(app: AppParts): Router {
      mornings = createMornings({ app, clock, timeZone: deps.timeZone });
      const everyone = async () => syncDirectory(sandbox, await rosterOf(app.store));

      const person = async (openId: string) => {
        const found = (await everyone()).find((p) => p.openId === openId);
        if (!found) throw new PageRequestError(`名册中没有 ${openId}`);
        return found;
      };
      // The groups the bot created that this person is in, as Lark lists a person's groups.
      const chatsOf = async (openId: string): Promise<PageChat[]> => {
        const names = new Map((await everyone()).map((p) => [p.openId, p.name]));
        return sandbox
          .createdChats()
          .filter((c) => c.memberOpenIds.includes(openId))
          .map((c) => ({
            chatId: c.chatId,
            name: c.name,
            description: c.description,
            members: c.memberOpenIds.map((id) => ({ openId: id, name: names.get(id) ?? id })),
            botIsMember: c.botIsMember,
          }));
      };
      const chatIdOf = async (chat: string, openId: string) => {
        if (chat === 'group') return DEMO_GROUP.chatId;
        if (chat === 'p2p') return sandbox.p2pChatId(openId);
        if (!(await chatsOf(openId)).some((c) => c.chatId === chat)) throw new PageRequestError('你不在这个群里');
        return chat;
      };
      // The bot's own server, as the sandbox would reach it.
      const webhookUrl = (req: Request) => `http://127.0.0.1:${req.socket.localPort}/webhook/event`;
      const clockState = () => ({ now: clock.now(), timeZone: deps.timeZone });

      const page = express.Router();
      page.get('/', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'index.html')));
      page.use('/assets', express.static(PUBLIC_DIR, { index: false }));
      page.use('/api', express.json({ limit: '256kb' }));

      page.get('/api/state', async (_req, res) => {
        const list = await everyone();
        res.json({
          bot: { openId: sandbox.botOpenId, name: sandbox.botName },
          group: { chatId: DEMO_GROUP.chatId, name: DEMO_GROUP.name },
          people: list,
          onRoster: list.some((p) => p.role !== null),
          ...clockState(),
        });
      });

      page.get('/api/messages', async (req, res) => {
        const as = (await person(String(req.query.as ?? ''))).openId;
        const chatId = await chatIdOf(chatChoice.parse(req.query.chat), as);
        const version = log.version();
        const chats = await chatsOf(as);
        const counts: Record<string, number> = { group: log.count(DEMO_GROUP.chatId), p2p: log.count(sandbox.p2pChatId(as)) };
        for (const c of chats) counts[c.chatId] = log.count(c.chatId);
        if (req.query.since === version) res.json({ version, counts, chats, unchanged: true });
        else res.json({ version, counts, chats, messages: log.messages(chatId) });
      });

      page.post('/api/messages', async (req, res) => {
        const { as, chat, text } = sendBody.parse(req.body);
        const chatId = await chatIdOf(chat, (await person(as)).openId);
        const chatType = chat === 'p2p' ? 'p2p' : 'group';
        // A group the bot was removed from: the message is written, but Lark sends the bot nothing.
        if ((await chatsOf(as)).find((c) => c.chatId === chatId)?.botIsMember === false) {
          const messageId = newMessageId();
          log.recordUserMessage({ messageId, chatId, senderOpenId: as, text, time: clock.now() });
          res.json({ messageId, webhookStatus: 0 });
          return;
        }
        const { larkText, mentions } = withMentions(text, await everyone(), sandbox, chatType === 'group');
        const event = sandbox.messageEvent({ chatId, chatType, senderOpenId: as, text: larkText, mentions });
        const messageId = event.event.message.message_id;
        log.recordUserMessage({ messageId, chatId, senderOpenId: as, text: chatType === 'group' ? `@${sandbox.botName} ${text}` : text, time: clock.now() });
        const delivered = await sandbox.deliverEvent(webhookUrl(req), event);
        res.status(delivered.status === 200 ? 200 : 502).json({ messageId, webhookStatus: delivered.status });
      });

      page.post('/api/actions', async (req, res) => {
        const body = actionBody.parse(req.body);
        await person(body.as);
        const event = sandbox.cardActionEvent({
          operatorOpenId: body.as,
          messageId: body.messageId,
          value: body.value,
          formValue: body.formValue,
          tag: body.tag,
          name: body.name,
        });
        const delivered = await sandbox.deliverEvent(webhookUrl(req), event);
        const answer = (delivered.body ?? {}) as { toast?: unknown };
        // What Lark's client shows instead of the bot's toast: an expired card, or an answer it refused.
        const larkSays = delivered.notSent ?? (delivered.answerRefused && `卡片回调出错（${delivered.answerRefused.code}）`);
        if (larkSays) res.json({ toast: { type: 'error', content: larkSays }, webhookStatus: delivered.status });
        else res.status(delivered.status === 200 ? 200 : 502).json({ toast: answer.toast ?? null, webhookStatus: delivered.status });
      });

      page.post('/api/clock', async (req, res) => {
        await mornings!.advanceDays(clockBody.parse(req.body).days);
        res.json(clockState());
      });

      page.get('/api/files/:key', (req, res) => {
        const file = sandbox.file(req.params.key);
        if (!file) throw new PageRequestError('没有这个文件');
        res.attachment(file.name).send(file.bytes);
      });

      page.use('/api', (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const mistake = err instanceof PageRequestError || err instanceof z.ZodError;
        res.status(mistake ? 400 : 500).json({ error: err instanceof Error ? err.message : String(err) });
      });
      return express.Router().use(SANDBOX_PAGE_PATH, page);
    },
  };
}

/** The roster's people, or the demo's (not on the roster yet) while the roster is empty. */
async function rosterOf(store: Store): Promise<PagePerson[]> {
  const { people, units } = store.tables;
  const rows = await store.db
    .select({ openId: people.openId, name: people.name, role: people.role, unit: units.name, mobile: people.mobile, email: people.email })
    .from(people)
    .leftJoin(units, eq(units.id, people.unitId))
    .where(eq(people.source, 'roster'));
  if (rows.length === 0) return DEMO_USERS.map((u) => ({ ...u, role: null, roleName: '未入名册', unit: null }));
  const order = Object.keys(ROLE_NAMES);
  return rows
    .map((r) => ({ ...r, roleName: ROLE_NAMES[r.role], mobile: r.mobile ?? undefined, email: r.email ?? undefined }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || (a.unit ?? '').localeCompare(b.unit ?? '', 'zh'));
}

/** Puts everyone the page offers into the sandbox tenant and the work group, so events from them are valid. */
function syncDirectory(sandbox: LarkSandbox, list: PagePerson[]): PagePerson[] {
  for (const p of list) sandbox.addUser({ openId: p.openId, name: p.name, mobile: p.mobile, email: p.email });
  sandbox.addChat({ ...DEMO_GROUP, memberOpenIds: list.map((p) => p.openId) });
  return list;
}

/**
 * Text as Lark delivers it: each `@名字` of someone on the list becomes a placeholder with a
 * mention, and in the group the bot is @-mentioned first (it only hears messages that mention it).
 */
function withMentions(text: string, list: PagePerson[], sandbox: LarkSandbox, mentionBot: boolean) {
  const mentions: { key: string; openId: string; name: string }[] = [];
  if (mentionBot) mentions.push({ key: '@_user_1', openId: sandbox.botOpenId, name: sandbox.botName });
  const names = [...list].sort((a, b) => b.name.length - a.name.length);
  const pattern = names.length === 0 ? undefined : new RegExp(`@(${names.map((p) => p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g');
  const body = pattern
    ? text.replace(pattern, (_, name: string) => {
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, openId: names.find((p) => p.name === name)!.openId, name });
        return key;
      })
    : text;
  return { larkText: mentionBot ? `@_user_1 ${body}` : body, mentions };
}
