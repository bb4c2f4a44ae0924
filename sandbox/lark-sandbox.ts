/**
 * The Lark sandbox: a Lark-compatible local server for tests and demos. See {@link LarkSandbox}.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { offeredChoices } from './card-pickers';
import { checkCallbackAnswer } from './card-rules';
import { CHAT_DOCS } from './chat-api';
import { Directory, type DirectoryUser } from './directory';
import { fieldValidationFailed, LarkApiError, LarkErrorCode } from './error-codes';
import { postEvent } from './event-delivery';
import { newEventId, newMessageId, randomHex, stableId } from './ids';
import {
  type DropConnectionsOptions,
  LONG_CONNECTION_ENDPOINT,
  type LongConnectionAnswer,
  LongConnectionServer,
  type PushEventOptions,
} from './long-connection';
import { parseRequestBody, recordedBody } from './multipart';
import { CARD_UPDATE_WINDOW_MS, isRecord, OpenApi } from './open-api';
import type {
  CallRequest,
  CardActionEventInput,
  CardActionTriggerEvent,
  ChatMemberBotDeletedEvent,
  CreatedChatInfo,
  DeliverEventOptions,
  DeliveryResult,
  InjectedFailure,
  LarkEventEnvelope,
  LarkSandboxOptions,
  LarkUserIds,
  MessageEventInput,
  MessageReceiveEvent,
  RecordedCall,
  SandboxChat,
  SandboxFile,
  SandboxPin,
  SandboxUser,
  SentMessage,
} from './types';

export { LarkErrorCode } from './error-codes';
export { encryptEventBody, signEventBody } from './event-delivery';
export type * from './long-connection';
export type * from './types';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

interface FailureRule {
  remaining: number;
  failure: InjectedFailure;
  match: (call: CallRequest) => boolean;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * A Lark-compatible local server.
 *
 * It answers the Open API calls the bot makes with Lark's response shapes, error codes and limits,
 * so the real `@larksuiteoapi/node-sdk` Client works against it unchanged
 * (`new lark.Client({ appId, appSecret, domain: sandbox.url })`), and it pushes signed, encrypted
 * events to the bot's webhook the way Lark does. All state is in memory.
 *
 * @example
 * ```ts
 * const sandbox = await LarkSandbox.start({ appId, appSecret, encryptKey, verificationToken,
 *   users: [{ openId: 'ou_a', name: '张三' }],
 *   chats: [{ chatId: 'oc_g', name: '招商群', memberOpenIds: ['ou_a'] }] });
 * const event = sandbox.messageEvent({ chatId: 'oc_g', chatType: 'group', senderOpenId: 'ou_a', text: '/help' });
 * await sandbox.deliverEvent(`${botUrl}/webhook/event`, event);
 * const [reply] = await sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
 * await sandbox.stop();
 * ```
 */
export class LarkSandbox {
  /** Every HTTP call answered, in arrival order (live array). */
  readonly calls: RecordedCall[] = [];
  /** The bot's open_id (as GET /bot/v3/info reports it); use it to @-mention the bot in events. */
  readonly botOpenId: string;
  readonly botName: string;
  readonly tenantKey: string;
  /** Lark's long connection (WSClient's side): what was pushed and answered, and its client config. */
  readonly longConnection: LongConnectionServer;

  private readonly directory = new Directory();
  private readonly api: OpenApi;
  private readonly server: Server;
  private readonly now: () => number;
  private readonly failures: FailureRule[] = [];
  private baseUrl = '';

  private constructor(private readonly options: LarkSandboxOptions) {
    this.now = options.now ?? Date.now;
    this.botOpenId = options.botOpenId ?? stableId('ou_', `bot:${options.appId}`, 32);
    this.botName = options.botName ?? '招商助手';
    this.tenantKey = options.tenantKey ?? stableId('', `tenant:${options.appId}`, 16);
    for (const user of options.users ?? []) this.directory.addUser(user);
    for (const chat of options.chats ?? []) this.directory.addChat(chat);
    const limits = options.limits ?? {};
    this.api = new OpenApi(
      {
        appId: options.appId,
        appSecret: options.appSecret,
        botOpenId: this.botOpenId,
        botName: this.botName,
        tenantKey: this.tenantKey,
        now: this.now,
        limits: {
          appPerSecond: limits.appPerSecond ?? 50,
          appPerMinute: limits.appPerMinute ?? 1000,
          perChatPerSecond: limits.perChatPerSecond ?? 5,
          perUserPerSecond: limits.perUserPerSecond ?? 5,
          perMessageUpdatePerSecond: limits.perMessageUpdatePerSecond ?? 5,
          chatCreatesPerSecond: limits.chatCreatesPerSecond ?? 1,
          chatMemberAddsPerSecond: limits.chatMemberAddsPerSecond ?? 1,
          chatMembers: limits.chatMembers ?? 5000,
        },
      },
      this.directory,
    );
    // A request that breaks off mid-body gets its socket closed; nothing else can throw here.
    this.server = createServer((req, res) => void this.serve(req, res).catch(() => res.destroy()));
    this.longConnection = new LongConnectionServer({ appId: options.appId, appSecret: options.appSecret, baseUrl: () => this.baseUrl });
    this.server.on('upgrade', (req, socket, head) => this.longConnection.upgrade(req, socket, head));
  }

  /** Starts a sandbox listening on 127.0.0.1 (`options.port`, or a free port). */
  static async start(options: LarkSandboxOptions): Promise<LarkSandbox> {
    const sandbox = new LarkSandbox(options);
    await new Promise<void>((resolve, reject) => {
      sandbox.server.once('error', reject);
      sandbox.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = sandbox.server.address() as AddressInfo;
    sandbox.baseUrl = `http://127.0.0.1:${port}`;
    return sandbox;
  }

  /** Base URL without trailing slash: pass it as the SDK Client's `domain`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Stops listening and closes open (keep-alive) connections. */
  async stop(): Promise<void> {
    this.longConnection.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // --- directory -------------------------------------------------------------------------------

  /** Adds a user, or replaces the one with the same open_id. */
  addUser(user: SandboxUser): void {
    this.directory.addUser(user);
  }

  /** Adds a group chat, or replaces the one with the same chat_id. */
  addChat(chat: SandboxChat): void {
    this.directory.addChat(chat);
  }

  /**
   * Groups the bot created with POST /im/v1/chats, oldest first, as they are now (members added
   * since, the bot removed).
   */
  createdChats(): CreatedChatInfo[] {
    return this.directory.createdGroups().map((chat) => ({
      chatId: chat.chatId,
      name: chat.name,
      description: chat.created?.description ?? '',
      memberOpenIds: [...chat.memberOpenIds],
      ...(chat.created?.ownerOpenId === undefined ? {} : { ownerOpenId: chat.created.ownerOpenId }),
      botIsMember: chat.botIsMember,
      createTime: chat.created?.createTime ?? 0,
    }));
  }

  /** Messages pinned with POST /im/v1/pins, in one chat or all, newest first. */
  pins(chatId?: string): SandboxPin[] {
    return this.api.pins(chatId);
  }

  /** The chat_id of the bot's single chat with a user (created on first use, as in Lark). */
  p2pChatId(openId: string): string {
    this.requireUser(openId);
    return this.directory.p2pChat(openId).chatId;
  }

  // --- what the bot did ------------------------------------------------------------------------

  /** Messages the bot delivered, in order. A uuid repeat within 1 h is not a second message. */
  messages(): SentMessage[] {
    return [...this.api.sent];
  }

  /**
   * A file the bot uploaded (POST /im/v1/files), by the file_key the upload answered; a file
   * message's content is `{ file_key }`.
   */
  file(fileKey: string): SandboxFile | undefined {
    return this.api.file(fileKey);
  }

  /**
   * Resolves with every delivered message matching `predicate` once at least `count` (default 1)
   * match; the predicate is re-checked after every delivery, card update and buzz. Rejects after
   * `timeoutMs` (default 5000, real time) with a summary of what was sent.
   */
  waitForMessages(predicate: (message: SentMessage) => boolean, options: { count?: number; timeoutMs?: number } = {}): Promise<SentMessage[]> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      let unsubscribe = (): void => {};
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void): void => {
        unsubscribe();
        clearTimeout(timer);
        outcome();
      };
      const check = (): boolean => {
        try {
          const found = this.api.sent.filter(predicate);
          if (found.length < count) return false;
          finish(() => resolve(found));
        } catch (error) {
          finish(() => reject(error));
        }
        return true;
      };
      if (check()) return;
      unsubscribe = this.api.onChange(() => void check());
      timer = setTimeout(() => {
        const sent = this.api.sent.map((m) => `  ${m.messageId} ${m.msgType} in ${m.chatId}: ${JSON.stringify(m.latestContent).slice(0, 120)}`);
        const message = `waitForMessages: fewer than ${count} matching message(s) after ${timeoutMs} ms. Sent so far:`;
        finish(() => reject(new Error([message, ...sent].join('\n'))));
      }, timeoutMs);
    });
  }

  /**
   * Answers the next `count` calls that `match` accepts with `failure` instead of handling them
   * (before auth and limits; a failed call changes no state). By default every call except the
   * token request matches. Rules queue up; the first matching rule with calls left is used.
   *
   * @example sandbox.failNext(1, { status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '2' } });
   */
  failNext(count: number, failure: InjectedFailure, match: (call: CallRequest) => boolean = (call) => call.path !== TOKEN_PATH): void {
    if (count > 0) this.failures.push({ remaining: count, failure, match });
  }

  // --- events ----------------------------------------------------------------------------------

  /**
   * Builds an im.message.receive_v1 event for a user's text message and records the message, so
   * the bot can reply to it. Sender and mentioned users must be in the directory (or be the bot).
   */
  messageEvent(input: MessageEventInput): LarkEventEnvelope<MessageReceiveEvent> {
    const sender = this.requireUser(input.senderOpenId);
    const chatId = this.eventChatId(input);
    const now = this.now();
    const messageId = input.messageId ?? newMessageId();
    const mentions = (input.mentions ?? []).map((m) => {
      const user = m.openId === this.botOpenId ? undefined : this.requireUser(m.openId);
      return {
        key: m.key,
        id: user === undefined ? this.botIds() : idsOf(user),
        name: m.name ?? user?.name ?? this.botName,
        tenant_key: this.tenantKey,
      };
    });
    const rootId = this.api.recordUserMessage({
      messageId,
      chatId,
      text: input.text,
      createTime: now,
      parentId: input.parentId,
    });
    return this.envelope('im.message.receive_v1', now, {
      sender: { sender_id: idsOf(sender), sender_type: 'user', tenant_key: this.tenantKey },
      message: {
        message_id: messageId,
        ...(rootId === undefined ? {} : { root_id: rootId }),
        ...(input.parentId === undefined ? {} : { parent_id: input.parentId }),
        create_time: String(now),
        update_time: String(now),
        chat_id: chatId,
        chat_type: input.chatType,
        message_type: 'text',
        content: JSON.stringify({ text: input.text }),
        // Lark leaves mentions out when there are none; bots must cope with either.
        ...(mentions.length === 0 ? {} : { mentions }),
      },
    });
  }

  /**
   * A user removes the bot from a group: the bot is out at once (sends, replies and pins there
   * answer 230002, member calls 232011, and no message events come from it), and the returned
   * im.chat.member.bot.deleted_v1 event is what Lark sends the bot; deliver it with `deliverEvent`
   * (webhook) or `pushEvent` (long connection), as the bot is set up to receive events.
   *
   * Lark's rules for who may do it (CHAT_DOCS.removeMembers): only the group's owner or a manager
   * removes members, and the owner cannot be removed (232076). So the bot cannot be removed from a
   * group it owns (one created without owner_id), and in a group a user owns only that user may
   * remove it; both throw here. In a seeded group (addChat) any member may.
   */
  removeBotFromChat(chatId: string, operatorOpenId: string): LarkEventEnvelope<ChatMemberBotDeletedEvent> {
    const chat = this.directory.chat(chatId);
    if (chat === undefined || chat.type !== 'group') throw new Error(`removeBotFromChat: unknown group ${chatId}`);
    if (!chat.botIsMember) throw new Error(`removeBotFromChat: the bot is not in ${chatId}`);
    const operator = this.requireUser(operatorOpenId);
    if (!chat.memberOpenIds.includes(operatorOpenId)) throw new Error(`removeBotFromChat: ${operatorOpenId} is not in ${chatId}`);
    const created = chat.created;
    if (created !== undefined && created.ownerOpenId === undefined) {
      throw new Error(`removeBotFromChat: the bot owns ${chatId}, and Lark removes no owner (232076, ${CHAT_DOCS.removeMembers})`);
    }
    if (created?.ownerOpenId !== undefined && created.ownerOpenId !== operatorOpenId) {
      throw new Error(`removeBotFromChat: only the owner ${created.ownerOpenId} (or a manager) may remove members of ${chatId} (${CHAT_DOCS.removeMembers})`);
    }
    chat.botIsMember = false;
    const i18nNames = created?.i18nNames;
    // CHAT_DOCS.botDeleted: the event's fields.
    return this.envelope('im.chat.member.bot.deleted_v1', this.now(), {
      chat_id: chat.chatId,
      operator_id: idsOf(operator),
      external: false,
      operator_tenant_key: this.tenantKey,
      name: chat.name,
      ...(i18nNames === undefined || Object.keys(i18nNames).length === 0 ? {} : { i18n_names: i18nNames }),
    });
  }

  /** Builds a card.action.trigger event: a user clicked a button or submitted a form on a card. */
  cardActionEvent(input: CardActionEventInput): LarkEventEnvelope<CardActionTriggerEvent> {
    const operator = this.requireUser(input.operatorOpenId);
    const chatId = input.chatId ?? this.api.chatOfMessage(input.messageId);
    if (chatId === undefined) throw new Error(`cardActionEvent: unknown message ${input.messageId}; pass chatId`);
    if (input.formValue !== undefined) this.requireOffered(input.messageId, chatId, input.formValue);
    return this.envelope('card.action.trigger', this.now(), {
      operator: { ...idsOf(operator), tenant_key: this.tenantKey },
      token: `c-${randomHex(20)}`,
      action: {
        value: input.value ?? {},
        tag: input.tag ?? 'button',
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.formValue === undefined ? {} : { form_value: input.formValue }),
      },
      host: 'im_message',
      context: { open_message_id: input.messageId, open_chat_id: chatId },
    });
  }

  /**
   * POSTs an event to the bot's webhook as Lark does: encrypted (unless `encrypt: false`), signed
   * with X-Lark-Request-Timestamp/-Nonce/-Signature, compact JSON. Delivering the same envelope
   * again (or passing the same `eventId`) is a redelivery.
   */
  async deliverEvent(webhookUrl: string, event: LarkEventEnvelope<object>, options: DeliverEventOptions = {}): Promise<DeliveryResult> {
    const expired = this.expiredTap(event);
    if (expired !== undefined) return { status: 0, body: undefined, eventId: options.eventId ?? event.header.event_id, notSent: expired };
    const result = await postEvent(webhookUrl, event, { encryptKey: this.options.encryptKey, now: this.now() }, options);
    const answerRefused = result.status === 200 ? this.takeCallbackAnswer(event, result.body) : undefined;
    return answerRefused === undefined ? result : { ...result, answerRefused };
  }

  /**
   * Pushes an event over the long connection to the bot's WSClient, as Lark does in long-connection
   * mode, and resolves with the client's answer (a card callback's toast and card in `body`).
   * Waits for the client to connect. Pushing the same envelope again is a redelivery.
   */
  async pushEvent(event: LarkEventEnvelope<object>, options?: PushEventOptions): Promise<LongConnectionAnswer> {
    const answer = await this.longConnection.push(event, options);
    const answerRefused = answer.code === 200 ? this.takeCallbackAnswer(event, answer.body) : undefined;
    return answerRefused === undefined ? answer : { ...answer, answerRefused };
  }

  /**
   * Callback answers Lark would refuse, in order (live array). The client shows the code, the
   * card stays as it was; nothing reaches the app, so a test must look here.
   */
  readonly refusedAnswers: { eventId: string; messageId: string; code: number; msg: string }[] = [];

  /** Cuts every long connection as a network loss would; `downForMs` keeps new ones out for a while. */
  dropConnections(options?: DropConnectionsOptions): void {
    this.longConnection.drop(options);
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * A JSON 2.0 card takes taps for 14 days. Past that Lark sends no callback and the client says
   * so: documented for JSON 1.0's 30 days (该卡片发送时间已超过 30 天，无法进行互动), and 2.0 made the
   * window 14 days; the wording for 2.0 is not documented.
   */
  private expiredTap(event: LarkEventEnvelope<object>): string | undefined {
    const messageId = cardActionMessageId(event);
    const message = messageId === undefined ? undefined : this.api.messageContent(messageId);
    if (message === undefined || this.now() - message.createTime <= CARD_UPDATE_WINDOW_MS) return undefined;
    return '该卡片发送时间已超过 14 天，无法进行互动';
  }

  /**
   * A card callback's answer, as Lark takes it: refused (and recorded) when its shape or card is
   * wrong; otherwise an answered card replaces the tapped one.
   */
  private takeCallbackAnswer(event: LarkEventEnvelope<object>, body: unknown): { code: number; msg: string } | undefined {
    const messageId = cardActionMessageId(event);
    if (messageId === undefined) return undefined;
    const tapped = this.api.messageContent(messageId)?.content;
    const refused = checkCallbackAnswer(body, tapped, this.api.cardContext);
    if (refused !== undefined) {
      this.refusedAnswers.push({ eventId: event.header.event_id, messageId, ...refused });
      return refused;
    }
    const card = isRecord(body) && isRecord(body.card) && body.card.type === 'raw' ? body.card.data : undefined;
    if (card !== undefined) this.api.applyAnsweredCard(messageId, card);
    return undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = this.now();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: CallRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parseRequestBody(await readBody(req), headers['content-type']),
    };
    const answer = this.answer(request);
    const responseHeaders = { 'content-type': 'application/json; charset=utf-8', ...answer.headers };
    res.writeHead(answer.status, responseHeaders);
    res.end(JSON.stringify(answer.body));
    this.calls.push({ ...request, body: recordedBody(request.body), status: answer.status, response: answer.body, responseHeaders, time });
  }

  private answer(request: CallRequest): Answer {
    try {
      const injected = this.takeInjectedFailure(request);
      if (injected !== undefined) {
        const { status, code, msg, headers } = injected;
        return { status, body: { code, msg: msg ?? 'injected failure' }, headers: headers ?? {} };
      }
      if (request.method === 'POST' && request.path === LONG_CONNECTION_ENDPOINT) {
        return { status: 200, body: this.longConnection.endpoint(request.body), headers: {} };
      }
      const matched = this.api.match(request.method, request.path);
      if (matched === undefined) throw new LarkApiError(404, LarkErrorCode.notFound, '404 page not found');
      // A JSON or multipart body parses to a value; only text that is neither stays a string.
      if (typeof request.body === 'string') throw fieldValidationFailed('the request body is neither JSON nor multipart/form-data');
      if (matched.route.authenticated) this.api.authenticate(request.headers.authorization);
      const { status, body } = matched.route.handle({
        params: matched.params,
        query: request.query,
        body: isRecord(request.body) ? request.body : {},
      });
      return { status, body, headers: {} };
    } catch (error) {
      if (error instanceof LarkApiError) {
        return { status: error.status, body: { code: error.code, msg: error.message }, headers: error.headers };
      }
      return { status: 500, body: { code: -1, msg: `sandbox bug: ${String(error)}` }, headers: {} };
    }
  }

  private takeInjectedFailure(request: CallRequest): InjectedFailure | undefined {
    const index = this.failures.findIndex((rule) => rule.match(request));
    const rule = this.failures[index];
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.failures.splice(index, 1);
    return rule.failure;
  }

  /**
   * A form can only submit what its inputs offer: the options of a select, and for a person picker
   * its options, or the members of the chat the card is in when it has none (Lark's picker rule).
   */
  private requireOffered(messageId: string, chatId: string, formValue: Record<string, unknown>): void {
    const card = this.api.messageContent(messageId)?.content;
    if (card === undefined) return;
    const chat = this.directory.chat(chatId);
    const members = chat === undefined ? [] : chat.type === 'group' ? chat.memberOpenIds : [chat.p2pOpenId ?? ''];
    for (const [name, value] of Object.entries(formValue)) {
      const offered = offeredChoices(card, name, { chatMembers: members, isUser: (id) => this.directory.user(id) !== undefined });
      if (offered === undefined) continue;
      const picked = (Array.isArray(value) ? value : [value]).filter((v) => v !== '' && v !== undefined && v !== null).map(String);
      const refused = picked.filter((v) => !offered.includes(v));
      if (refused.length > 0)
        throw new Error(`cardActionEvent: input ${name} does not offer ${refused.join(', ')}; it offers ${offered.join(', ') || 'nothing'}`);
    }
  }

  private eventChatId(input: MessageEventInput): string {
    if (input.chatType === 'p2p') {
      const named = input.chatId === undefined ? undefined : this.directory.chat(input.chatId);
      if (named !== undefined && named.p2pOpenId !== input.senderOpenId) {
        throw new Error(`messageEvent: ${input.chatId} is not ${input.senderOpenId}'s single chat with the bot`);
      }
      const chatId = this.directory.p2pChat(input.senderOpenId, input.chatId).chatId;
      if (input.chatId !== undefined && input.chatId !== chatId) {
        throw new Error(`messageEvent: ${input.senderOpenId}'s single chat with the bot is ${chatId}, not ${input.chatId}`);
      }
      return chatId;
    }
    const group = input.chatId === undefined ? undefined : this.directory.chat(input.chatId);
    if (input.chatId === undefined || group?.type !== 'group') {
      throw new Error(`messageEvent: unknown group ${String(input.chatId)}; add it with addChat`);
    }
    // Lark pushes im.message.receive_v1 only from chats the bot is in.
    if (!group.botIsMember) throw new Error(`messageEvent: the bot is not in ${input.chatId}, so Lark sends it no message events from there`);
    return input.chatId;
  }

  private requireUser(openId: string): DirectoryUser {
    const user = this.directory.user(openId);
    if (user === undefined) throw new Error(`unknown user ${openId}; add it with addUser`);
    return user;
  }

  private botIds(): LarkUserIds {
    return { open_id: this.botOpenId, user_id: '', union_id: stableId('on_', `bot-union:${this.options.appId}`, 32) };
  }

  private envelope<E>(eventType: string, now: number, event: E): LarkEventEnvelope<E> {
    return {
      schema: '2.0',
      header: {
        event_id: newEventId(),
        event_type: eventType,
        // Lark dates card callbacks in microseconds, every other event in milliseconds.
        create_time: eventType === 'card.action.trigger' ? `${now}000` : String(now),
        token: this.options.verificationToken,
        app_id: this.options.appId,
        tenant_key: this.tenantKey,
      },
      event,
    };
  }
}

function cardActionMessageId(event: LarkEventEnvelope<object>): string | undefined {
  if (event.header.event_type !== 'card.action.trigger') return undefined;
  const id = (event.event as Partial<CardActionTriggerEvent>).context?.open_message_id;
  return typeof id === 'string' ? id : undefined;
}

function idsOf(user: DirectoryUser): LarkUserIds {
  return { open_id: user.openId, user_id: user.userId, union_id: user.unionId };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
