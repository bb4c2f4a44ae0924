import { type CardContext, CardRefusal, checkCard, MAX_CARD_BYTES } from './card-rules';
import { ChatApi } from './chat-api';
import { type Directory, type DirectoryChat, isReachable, isUserIdType, userIdOf } from './directory';
import { fieldValidationFailed, imError, imRateLimited, invalidParam, LarkApiError, LarkErrorCode } from './error-codes';
import { newFileKey, newMessageId, newTenantAccessToken, newThreadId } from './ids';
import { isFormFile } from './multipart';
import { SlidingWindowLimiter } from './rate-limiter';
import type { ReceiveIdType, SandboxFile, SandboxFileType, SandboxPin, SentMessage } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Lark's tenant_access_token lives 2 h; within 30 min of expiry the endpoint hands out a new one. */
const TOKEN_LIFETIME_MS = 2 * HOUR;
const TOKEN_RENEW_BEFORE_MS = 30 * MINUTE;
const UUID_WINDOW_MS = HOUR;
/** A JSON 2.0 card answers taps and takes updates for 14 days (card-json-v2-breaking-changes-release-notes). */
export const CARD_UPDATE_WINDOW_MS = 14 * DAY;
const TEXT_LIMIT_BYTES = 150 * 1024;
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system']);
const RECEIVE_ID_TYPES = new Set<string>(['chat_id', 'open_id', 'user_id', 'union_id', 'email']);
const FILE_LIMIT_BYTES = 30 * 1024 * 1024;
const FILE_TYPES = new Set<string>(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);
/** Messages whose content is `{file_key}`, and the upload type each needs (any other for `file`). */
const FILE_MESSAGE_TYPES: Record<string, SandboxFileType | undefined> = { audio: 'opus', media: 'mp4', file: undefined };
const TOKEN_HINT = 'Please make a request with token attached.';

export interface OpenApiConfig {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tenantKey: string;
  now: () => number;
  limits: {
    appPerSecond: number;
    appPerMinute: number;
    perChatPerSecond: number;
    perUserPerSecond: number;
    perMessageUpdatePerSecond: number;
    chatCreatesPerSecond: number;
    chatMemberAddsPerSecond: number;
    chatMembers: number;
  };
}

/** A parsed request, as route handlers see it. */
export interface ApiRequest {
  /** Path parameters, in the order the route's pattern captures them. */
  params: string[];
  query: Record<string, string>;
  body: Record<string, unknown>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** False only for the token endpoint. */
  authenticated: boolean;
  handle(request: ApiRequest): ApiResponse;
}

/** Any message in a chat: the bot's (with its SentMessage) or a user's (from an event). */
interface StoredMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The content string as last set. */
  content: string;
  createTime: number;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  /** Present for the bot's own messages. */
  sent?: SentMessage;
  /** The message object answered when the bot sent it; a uuid repeat answers it again. */
  response?: Record<string, unknown>;
}

interface Delivery {
  chat: DirectoryChat;
  msgType: string;
  content: string;
  parsed: unknown;
  uuid?: string;
  receiveId?: string;
  receiveIdType?: ReceiveIdType;
  parent?: StoredMessage;
  replyInThread?: boolean;
}

/**
 * The Lark Open API endpoints the bot uses, over in-memory state. Handlers throw LarkApiError for
 * Lark's error answers; the HTTP layer turns those into `{code, msg}` bodies.
 */
export class OpenApi {
  /** Messages the bot delivered, in order. */
  readonly sent: SentMessage[] = [];
  readonly routes: Route[];

  private readonly messages = new Map<string, StoredMessage>();
  private readonly files = new Map<string, SandboxFile>();
  private readonly byUuid = new Map<string, { message: StoredMessage; time: number }>();
  private readonly tokenExpiry = new Map<string, number>();
  private currentToken: { token: string; expiresAt: number } | undefined;
  private readonly appPerSecond: SlidingWindowLimiter;
  private readonly appPerMinute: SlidingWindowLimiter;
  private readonly perChat: SlidingWindowLimiter;
  private readonly perUser: SlidingWindowLimiter;
  private readonly perMessageUpdate: SlidingWindowLimiter;
  private readonly listeners = new Set<() => void>();
  private readonly chats: ChatApi;

  constructor(
    private readonly config: OpenApiConfig,
    private readonly directory: Directory,
  ) {
    const { limits } = config;
    this.appPerSecond = new SlidingWindowLimiter(limits.appPerSecond, SECOND);
    this.appPerMinute = new SlidingWindowLimiter(limits.appPerMinute, MINUTE);
    this.perChat = new SlidingWindowLimiter(limits.perChatPerSecond, SECOND);
    this.perUser = new SlidingWindowLimiter(limits.perUserPerSecond, SECOND);
    this.perMessageUpdate = new SlidingWindowLimiter(limits.perMessageUpdatePerSecond, SECOND);

    const message = (suffix = '') => new RegExp(`^/open-apis/im/v1/messages/([^/]+)${suffix}$`);
    const route = (method: string, pattern: RegExp, handle: Route['handle'], authenticated = true): Route => ({
      method,
      pattern,
      handle,
      authenticated,
    });
    this.routes = [
      route('POST', /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/, (r) => this.issueToken(r), false),
      route('POST', /^\/open-apis\/im\/v1\/messages$/, (r) => this.send(r)),
      route('POST', /^\/open-apis\/im\/v1\/files$/, (r) => this.uploadFile(r)),
      route('POST', message('/reply'), (r) => this.reply(r)),
      route('PATCH', message(), (r) => this.updateCard(r)),
      route('PATCH', message('/urgent_app'), (r) => this.buzz(r, 'app')),
      route('PATCH', message('/urgent_sms'), (r) => this.buzz(r, 'sms')),
      route('PATCH', message('/urgent_phone'), (r) => this.buzz(r, 'phone')),
      route('POST', /^\/open-apis\/contact\/v3\/users\/batch_get_id$/, (r) => this.batchGetId(r)),
      route('GET', /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/, (r) => this.chatMembers(r)),
      route('GET', /^\/open-apis\/bot\/v3\/info$/, () => this.botInfo()),
    ];
    this.chats = new ChatApi({
      config,
      directory,
      message: (id) => this.messages.get(id),
      takeAppQuota: (api) => this.takeAppQuota(api),
      notify: () => this.notify(),
    });
    this.routes.push(...this.chats.routes(route));
  }

  /** Pinned messages of a chat (or of all chats), newest first. */
  pins(chatId?: string): SandboxPin[] {
    return this.chats.pins(chatId);
  }

  /** Finds the route for a call; `params` are the captured path parameters. */
  match(method: string, path: string): { route: Route; params: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (found === null) continue;
      try {
        return { route, params: found.slice(1).map((p) => decodeURIComponent(p)) };
      } catch {
        return undefined; // malformed %-escape: no such resource
      }
    }
    return undefined;
  }

  /** Throws Lark's auth errors unless `authorization` carries a live tenant_access_token. */
  authenticate(authorization: string | undefined): void {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    // HTTP status for both codes is not documented; 400 is what the gateway is reported to send.
    if (token === undefined) {
      throw new LarkApiError(400, LarkErrorCode.missingToken, `Missing access token for authorization. ${TOKEN_HINT}`);
    }
    const expiresAt = this.tokenExpiry.get(token);
    if (expiresAt === undefined || expiresAt <= this.config.now()) {
      throw new LarkApiError(400, LarkErrorCode.invalidToken, `Invalid access token for authorization. ${TOKEN_HINT}`);
    }
  }

  /** Calls `listener` after every delivery, card update or buzz. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records a user's message (from an event) so the bot can reply to it.
   * Returns the root_id Lark would report for it.
   */
  recordUserMessage(input: { messageId: string; chatId: string; text: string; createTime: number; parentId?: string }): string | undefined {
    const parent = input.parentId === undefined ? undefined : this.messages.get(input.parentId);
    const rootId = input.parentId === undefined ? undefined : (parent?.rootId ?? input.parentId);
    this.messages.set(input.messageId, {
      messageId: input.messageId,
      chatId: input.chatId,
      msgType: 'text',
      content: JSON.stringify({ text: input.text }),
      createTime: input.createTime,
      rootId,
      parentId: input.parentId,
      threadId: parent?.threadId,
    });
    return rootId;
  }

  /** A file uploaded with POST /im/v1/files. */
  file(fileKey: string): SandboxFile | undefined {
    return this.files.get(fileKey);
  }

  /** The chat a known message is in. */
  chatOfMessage(messageId: string): string | undefined {
    return this.messages.get(messageId)?.chatId;
  }

  /** A known message's current content (a card's latest version), parsed, and when it was sent. */
  messageContent(messageId: string): { content: unknown; createTime: number } | undefined {
    const message = this.messages.get(messageId);
    return message && { content: JSON.parse(message.content) as unknown, createTime: message.createTime };
  }

  /** A card callback answered with a card: Lark shows it in place of the card that was tapped. */
  applyAnsweredCard(messageId: string, card: unknown): void {
    const message = this.messages.get(messageId);
    if (message?.sent === undefined) return;
    message.content = JSON.stringify(card);
    message.sent.updates.push({ content: card, time: this.config.now(), source: 'callback' });
    message.sent.latestContent = card;
    this.notify();
  }

  // --- endpoints -------------------------------------------------------------------------------

  /** POST /auth/v3/tenant_access_token/internal. Errors answer HTTP 200 with a code, as Lark does. */
  private issueToken({ body }: ApiRequest): ApiResponse {
    const { app_id: appId, app_secret: appSecret } = body;
    if (typeof appId !== 'string' || appId === '' || typeof appSecret !== 'string' || appSecret === '') {
      return { status: 200, body: { code: LarkErrorCode.invalidParam, msg: 'invalid param' } };
    }
    if (appId !== this.config.appId) {
      return { status: 200, body: { code: LarkErrorCode.appCredentialsInvalid, msg: 'app id not exists' } };
    }
    if (appSecret !== this.config.appSecret) {
      return { status: 200, body: { code: LarkErrorCode.appCredentialsInvalid, msg: 'app secret invalid' } };
    }
    const now = this.config.now();
    let current = this.currentToken;
    if (current === undefined || current.expiresAt - now < TOKEN_RENEW_BEFORE_MS) {
      current = { token: newTenantAccessToken(), expiresAt: now + TOKEN_LIFETIME_MS };
      this.currentToken = current;
      this.tokenExpiry.set(current.token, current.expiresAt);
    }
    const expire = Math.floor((current.expiresAt - now) / SECOND);
    return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: current.token, expire } };
  }

  /** POST /im/v1/messages?receive_id_type=… */
  private send({ query, body }: ApiRequest): ApiResponse {
    const receiveIdType = query.receive_id_type;
    if (!isReceiveIdType(receiveIdType)) {
      throw fieldValidationFailed('receive_id_type must be one of chat_id, open_id, user_id, union_id, email');
    }
    this.takeAppQuota('send');
    const message = this.messageBody(body);
    const receiveId = body.receive_id;
    if (typeof receiveId !== 'string' || receiveId === '') throw invalidParam('receive_id is required');
    const chat = this.resolveReceiver(receiveIdType, receiveId);
    return this.deliver({ ...message, chat, receiveId, receiveIdType });
  }

  /** POST /im/v1/messages/:message_id/reply */
  private reply({ params, body }: ApiRequest): ApiResponse {
    this.takeAppQuota('send');
    const message = this.messageBody(body);
    const parent = this.messages.get(params[0] ?? '');
    if (parent === undefined) throw invalidParam('invalid message_id');
    const chat = this.directory.chat(parent.chatId);
    if (chat === undefined) throw invalidParam('the chat of this message does not exist');
    this.requireBotIn(chat);
    this.requireReachable(chat);
    return this.deliver({ ...message, chat, parent, replyInThread: body.reply_in_thread === true });
  }

  /**
   * POST /im/v1/files, multipart/form-data: keeps the file and answers its file_key. Lark refuses
   * empty files and files over 30 MB.
   */
  private uploadFile({ body }: ApiRequest): ApiResponse {
    this.takeAppQuota('upload');
    const { file_type: type, file_name: name, file } = body;
    if (typeof type !== 'string' || !FILE_TYPES.has(type)) {
      throw badRequest(LarkErrorCode.fileInvalidParam, 'Invalid request param: file_type must be one of opus, mp4, pdf, doc, xls, ppt, stream.');
    }
    if (typeof name !== 'string' || name === '') throw badRequest(LarkErrorCode.fileInvalidParam, 'Invalid request param: file_name is required.');
    if (!isFormFile(file)) throw badRequest(LarkErrorCode.fileInvalidParam, 'Invalid request param: file is required.');
    if (file.bytes.length === 0) throw badRequest(LarkErrorCode.fileEmpty, "File's size can't be 0.");
    if (file.bytes.length > FILE_LIMIT_BYTES) throw badRequest(LarkErrorCode.fileTooLarge, 'The file size exceed the max value.');
    const fileKey = newFileKey();
    // A copy: the part is a view into the whole request body.
    this.files.set(fileKey, { name, type: type as SandboxFileType, bytes: Buffer.from(file.bytes) });
    return success({ file_key: fileKey });
  }

  /** PATCH /im/v1/messages/:message_id: replace a shared card. */
  private updateCard({ params, body }: ApiRequest): ApiResponse {
    const message = this.messages.get(params[0] ?? '');
    if (message === undefined) throw invalidParam('invalid message_id');
    if (message.sent === undefined) {
      throw imError(LarkErrorCode.noPermission, 'Lack of necessary permissions.', 'the app did not send this message');
    }
    if (message.msgType !== 'interactive') throw invalidParam('This message is NOT a card');
    const now = this.config.now();
    if (now - message.createTime > CARD_UPDATE_WINDOW_MS) {
      throw imError(LarkErrorCode.updateWindowExpired, 'Message has expired when updating message', 'Message can only be updated within fourteen days.');
    }
    const { content, parsed } = parseContent('interactive', body.content);
    this.checkCard(parsed);
    // Lark requires a shared card both before and after the update.
    if (!isSharedCard(JSON.parse(message.content)) || !isSharedCard(parsed)) {
      throw invalidParam('both the sent card and the new one must be shared (config.update_multi true)');
    }
    if (this.perMessageUpdate.waitMs(message.messageId, now) > 0) {
      throw imRateLimited(`a card may be updated ${this.perMessageUpdate.limit} times per second`);
    }
    this.perMessageUpdate.record(message.messageId, now);
    message.content = content;
    message.sent.updates.push({ content: parsed, time: now, source: 'patch' });
    message.sent.latestContent = parsed;
    this.notify();
    return success({});
  }

  /** PATCH /im/v1/messages/:message_id/urgent_app|urgent_sms|urgent_phone */
  private buzz({ params, query, body }: ApiRequest, kind: 'app' | 'sms' | 'phone'): ApiResponse {
    const idType = query.user_id_type;
    if (!isUserIdType(idType)) throw fieldValidationFailed('user_id_type must be one of open_id, user_id, union_id');
    const ids = body.user_id_list;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      throw invalidParam('user_id_list must be a non-empty list of ids');
    }
    const message = this.messages.get(params[0] ?? '');
    if (message === undefined) throw invalidParam('invalid message_id');
    if (message.sent === undefined) throw imError(LarkErrorCode.botNotSender, 'Bot is NOT the sender of the message.');
    const chat = this.directory.chat(message.chatId);
    if (chat === undefined) throw invalidParam('the chat of this message does not exist');
    this.requireBotIn(chat);
    const buzzed: string[] = [];
    const invalid: string[] = [];
    for (const id of ids as string[]) {
      const user = this.directory.findUser(idType, id);
      if (user !== undefined && chat.memberOpenIds.includes(user.openId)) buzzed.push(user.openId);
      else invalid.push(id);
    }
    if (buzzed.length > 0) {
      message.sent.urgent.push({ kind, openIds: buzzed, time: this.config.now() });
      this.notify();
    }
    return success({ invalid_user_id_list: invalid });
  }

  /** POST /contact/v3/users/batch_get_id: a miss is listed without user_id. */
  private batchGetId({ query, body }: ApiRequest): ApiResponse {
    const idType = query.user_id_type ?? 'open_id';
    if (!isUserIdType(idType)) throw fieldValidationFailed('user_id_type must be one of open_id, user_id, union_id');
    const emails = optionalStringList(body.emails, 'emails');
    const mobiles = optionalStringList(body.mobiles, 'mobiles');
    const status = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
    const userList = [
      ...emails.map((email) => {
        const user = this.directory.findUser('email', email);
        return user === undefined ? { email } : { user_id: userIdOf(user, idType), email, status };
      }),
      ...mobiles.map((mobile) => {
        const user = this.directory.findUserByMobile(mobile);
        return user === undefined ? { mobile } : { user_id: userIdOf(user, idType), mobile, status };
      }),
    ];
    return success({ user_list: userList });
  }

  /** GET /im/v1/chats/:chat_id/members: people only (Lark leaves bots out), paged. */
  private chatMembers({ params, query }: ApiRequest): ApiResponse {
    const idType = query.member_id_type ?? 'open_id';
    if (!isUserIdType(idType)) {
      throw badRequest(LarkErrorCode.chatInvalidParam, 'member_id_type must be one of open_id, user_id, union_id');
    }
    const pageSize = query.page_size === undefined ? 20 : Number(query.page_size);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      throw badRequest(LarkErrorCode.chatInvalidParam, 'page_size must be an integer from 1 to 100');
    }
    const offset = query.page_token ? decodePageToken(query.page_token) : 0;
    const chat = this.directory.chat(params[0] ?? '');
    if (chat === undefined) {
      throw badRequest(LarkErrorCode.invalidChatId, 'Your request specifies a chat_id which is invalid.');
    }
    if (!chat.botIsMember) throw badRequest(LarkErrorCode.operatorNotInChat, 'Operator can NOT be out of the chat.');
    const members = chat.memberOpenIds.filter((openId) => openId !== this.config.botOpenId);
    const page = members.slice(offset, offset + pageSize).map((openId) => {
      const user = this.directory.user(openId);
      return {
        member_id: user === undefined ? openId : userIdOf(user, idType),
        member_id_type: idType,
        name: user?.name ?? '',
        tenant_key: this.config.tenantKey,
      };
    });
    const next = offset + pageSize;
    const hasMore = next < members.length;
    return success({
      items: page,
      page_token: hasMore ? encodePageToken(next) : '',
      has_more: hasMore,
      member_total: members.length,
    });
  }

  /** GET /bot/v3/info: the answer carries `bot`, not `data`. */
  private botInfo(): ApiResponse {
    return {
      status: 200,
      body: {
        code: 0,
        msg: 'ok',
        bot: {
          activate_status: 2,
          app_name: this.config.botName,
          avatar_url: '',
          ip_white_list: [],
          open_id: this.config.botOpenId,
        },
      },
    };
  }

  // --- shared steps ----------------------------------------------------------------------------

  /**
   * App-wide gateway limits (sends and replies share one; uploads, group creation, member
   * additions and pins have their own of the same size): HTTP 429 with the seconds until a slot frees.
   */
  private takeAppQuota(api: string): void {
    const now = this.config.now();
    const waitMs = Math.max(this.appPerSecond.waitMs(api, now), this.appPerMinute.waitMs(api, now));
    if (waitMs > 0) {
      throw new LarkApiError(429, LarkErrorCode.gatewayRateLimited, 'request trigger frequency limit', {
        'x-ogw-ratelimit-reset': String(Math.ceil(waitMs / SECOND)),
      });
    }
    this.appPerSecond.record(api, now);
    this.appPerMinute.record(api, now);
  }

  /** msg_type, content and uuid of a send or reply, checked; a file message's file_key must fit. */
  private messageBody(body: Record<string, unknown>): Pick<Delivery, 'msgType' | 'content' | 'parsed' | 'uuid'> {
    const { msgType, content, parsed } = parseContent(body.msg_type, body.content);
    if (msgType === 'interactive') this.checkCard(parsed);
    if (msgType in FILE_MESSAGE_TYPES) {
      const fileKey = (parsed as Record<string, unknown>).file_key;
      const file = typeof fileKey === 'string' ? this.files.get(fileKey) : undefined;
      // Uncertain: Lark documents no code of its own for an unknown file_key; 230001 is its bad-content code.
      if (file === undefined) throw invalidParam('invalid file_key');
      const wanted = FILE_MESSAGE_TYPES[msgType];
      if (wanted !== undefined ? file.type !== wanted : file.type === 'opus' || file.type === 'mp4') {
        throw imError(LarkErrorCode.fileTypeMismatch, 'The type of file upload does not match the type of message being sent.');
      }
    }
    return { msgType, content, parsed, uuid: parseUuid(body.uuid) };
  }

  /** What a card may refer to: the tenant's users, by open_id or user_id. */
  readonly cardContext: CardContext = {
    isUser: (id) => this.directory.user(id) !== undefined || this.directory.findUser('user_id', id) !== undefined,
  };

  /** Lark builds a card when it is sent or updated, and refuses one its JSON 2.0 rules do not allow. */
  private checkCard(card: unknown): void {
    try {
      checkCard(card, this.cardContext);
    } catch (error) {
      if (error instanceof CardRefusal) throw new LarkApiError(400, LarkErrorCode.cardBuildFailed, error.message);
      throw error;
    }
  }

  private resolveReceiver(idType: ReceiveIdType, receiveId: string): DirectoryChat {
    if (idType === 'chat_id') {
      const chat = this.directory.chat(receiveId);
      if (chat === undefined) throw invalidParam('invalid receive_id');
      this.requireBotIn(chat);
      this.requireReachable(chat);
      return chat;
    }
    // Unknown, outside the app's availability, or resigned: all 230013 (sendMessage's error table).
    const user = this.directory.findUser(idType, receiveId);
    if (user === undefined || !isReachable(user)) {
      throw imError(LarkErrorCode.userOutsideAvailability, 'Bot has NO availability to this user.');
    }
    return this.directory.p2pChat(user.openId);
  }

  private requireBotIn(chat: DirectoryChat): void {
    if (!chat.botIsMember) throw imError(LarkErrorCode.botNotInChat, 'The bot can not be outside the group.');
  }

  /** A single chat whose user the app may no longer reach (availability, resigned): 230013. */
  private requireReachable(chat: DirectoryChat): void {
    const user = chat.p2pOpenId === undefined ? undefined : this.directory.user(chat.p2pOpenId);
    if (user !== undefined && !isReachable(user)) {
      throw imError(LarkErrorCode.userOutsideAvailability, 'Bot has NO availability to this user.');
    }
  }

  /** Applies the uuid window and the per-chat/per-user limit, then stores the message. */
  private deliver(d: Delivery): ApiResponse {
    const now = this.config.now();
    if (d.uuid !== undefined) {
      const prior = this.byUuid.get(d.uuid);
      if (prior !== undefined && now - prior.time < UUID_WINDOW_MS) return success(prior.message.response);
    }

    const toUser = d.chat.p2pOpenId;
    const [limiter, key] = toUser === undefined ? [this.perChat, d.chat.chatId] : [this.perUser, toUser];
    if (limiter.waitMs(key, now) > 0) {
      throw imRateLimited(`${toUser === undefined ? 'chat' : 'user'} ${key} may get ${limiter.limit} messages per second`);
    }
    limiter.record(key, now);

    const parent = d.parent;
    const threadId = parent === undefined ? undefined : (parent.threadId ?? (d.replyInThread ? newThreadId() : undefined));
    const stored: StoredMessage = {
      messageId: newMessageId(),
      chatId: d.chat.chatId,
      msgType: d.msgType,
      content: d.content,
      createTime: now,
      rootId: parent === undefined ? undefined : (parent.rootId ?? parent.messageId),
      parentId: parent?.messageId,
      threadId,
    };
    stored.response = this.messageObject(stored);
    stored.sent = {
      messageId: stored.messageId,
      chatId: stored.chatId,
      chatType: d.chat.type,
      recipientOpenId: toUser,
      receiveId: d.receiveId,
      receiveIdType: d.receiveIdType,
      replyTo: stored.parentId,
      rootId: stored.rootId,
      threadId,
      msgType: d.msgType,
      content: d.parsed,
      latestContent: d.parsed,
      updates: [],
      urgent: [],
      uuid: d.uuid,
      createTime: now,
    };
    this.messages.set(stored.messageId, stored);
    if (d.uuid !== undefined) this.byUuid.set(d.uuid, { message: stored, time: now });
    this.sent.push(stored.sent);
    this.notify();
    return success(stored.response);
  }

  /** Lark's message object, as send and reply answer it. */
  private messageObject(m: StoredMessage): Record<string, unknown> {
    return {
      message_id: m.messageId,
      ...(m.rootId === undefined ? {} : { root_id: m.rootId }),
      ...(m.parentId === undefined ? {} : { parent_id: m.parentId }),
      ...(m.threadId === undefined ? {} : { thread_id: m.threadId }),
      msg_type: m.msgType,
      create_time: String(m.createTime),
      update_time: String(m.createTime),
      deleted: false,
      updated: false,
      chat_id: m.chatId,
      sender: { id: this.config.appId, id_type: 'app_id', sender_type: 'app', tenant_key: this.config.tenantKey },
      body: { content: m.content },
    };
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function success(data: unknown): ApiResponse {
  return { status: 200, body: { code: 0, msg: 'success', data } };
}

/** Chat and upload errors answer HTTP 400 with Lark's short message (no `ext`). */
function badRequest(code: number, msg: string): LarkApiError {
  return new LarkApiError(400, code, msg);
}

/** Validates msg_type and content the way Lark does; returns the parsed content. */
function parseContent(msgType: unknown, content: unknown): { msgType: string; content: string; parsed: unknown } {
  if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) throw invalidParam('invalid msg_type');
  if (typeof content !== 'string' || content === '') throw invalidParam('content is required and must be a JSON string');
  const limit = msgType === 'text' ? TEXT_LIMIT_BYTES : MAX_CARD_BYTES;
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > limit) {
    throw imError(
      LarkErrorCode.contentTooLong,
      'The length of the message content reaches its limit.',
      `${msgType} content is ${bytes} bytes, the limit is ${limit}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    if (msgType === 'interactive') {
      throw imError(LarkErrorCode.cardBuildFailed, 'Failed to create card content', 'the card is not a JSON object');
    }
    throw invalidParam('content is not a JSON object');
  }
  if (msgType === 'text' && typeof parsed.text !== 'string') throw invalidParam('text content needs a "text" string');
  return { msgType, content, parsed };
}

/**
 * A card is shared (updatable for everyone) when config.update_multi is true. JSON 2.0 cards are
 * shared unless they say otherwise; template cards carry their config in the template.
 */
function isSharedCard(card: unknown): boolean {
  if (!isRecord(card)) return false;
  if (card.type === 'template') return true;
  const updateMulti = isRecord(card.config) ? card.config.update_multi : undefined;
  return card.schema === '2.0' ? updateMulti !== false : updateMulti === true;
}

function isReceiveIdType(value: unknown): value is ReceiveIdType {
  return typeof value === 'string' && RECEIVE_ID_TYPES.has(value);
}

function parseUuid(uuid: unknown): string | undefined {
  if (uuid === undefined || uuid === '') return undefined;
  if (typeof uuid !== 'string' || uuid.length > 50) throw invalidParam('uuid must be a string of at most 50 characters');
  return uuid;
}

function optionalStringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string') || value.length > 50) {
    throw fieldValidationFailed(`${field} must be a list of at most 50 strings`);
  }
  return value as string[];
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodePageToken(token: string): number {
  const offset = Number(/^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString())?.[1]);
  if (!Number.isInteger(offset)) throw badRequest(LarkErrorCode.chatInvalidParam, 'invalid page_token');
  return offset;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
