import * as lark from '@larksuiteoapi/node-sdk';
import { isAxiosError } from 'axios';
import { type Logger, sdkLogger } from '../base/logger';

export type ReceiveIdType = 'chat_id' | 'open_id' | 'user_id' | 'union_id' | 'email';
export type MsgType = 'text' | 'interactive' | 'post' | 'file';
/** What an upload is for Lark: `opus` and `mp4` are sent as audio and media, the others as `file`. */
export type UploadFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

export interface SentMessage {
  messageId: string;
  chatId: string | undefined;
}

/**
 * A Lark call that did not succeed. `retryable` separates a busy or broken moment (throttles, 5xx,
 * network) from a request Lark will never accept (bot not in the group, user outside the app).
 */
export class LarkCallError extends Error {
  constructor(
    readonly operation: string,
    readonly code: number | undefined,
    readonly httpStatus: number | undefined,
    readonly retryable: boolean,
    /** From `x-ogw-ratelimit-reset` on a gateway throttle. */
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(`${operation} failed: ${message} (http ${httpStatus ?? '-'}, code ${code ?? '-'})`);
  }
}

// 230020 and 99991400: message and gateway rates; 232019: too many group operations; 230047: too many pins of one message.
const THROTTLED = new Set([230020, 99991400, 232019, 230047]);
const EXPIRED_TOKEN = new Set([99991663, 99991661, 99991664]);

/**
 * The SDK's tenant-token cache, owned by this client: the SDK keeps a token until its own idea of
 * expiry, so a token Lark rejects earlier must be dropped here for the next call to fetch a new one.
 */
class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

  // biome-ignore lint/complexity/noBannedTypes: the SDK's Cache interface declares its keys `string | Symbol`.
  async get(key: string | Symbol, options?: { namespace?: string }) {
    const entry = this.values.get(`${options?.namespace ?? ''}/${String(key)}`);
    return entry && (!entry.expiresAt || entry.expiresAt > Date.now()) ? entry.value : undefined;
  }

  // biome-ignore lint/complexity/noBannedTypes: the SDK's Cache interface declares its keys `string | Symbol`.
  async set(key: string | Symbol, value: unknown, expiresAt?: number, options?: { namespace?: string }) {
    this.values.set(`${options?.namespace ?? ''}/${String(key)}`, { value, expiresAt });
    return true;
  }

  clear() {
    this.values.clear();
  }
}

/** The thin wrapper around the SDK client: every call the bot makes to Lark goes through here. */
export class LarkApi {
  private readonly client: lark.Client;
  private readonly tokens = new TokenCache();

  constructor(
    options: { appId: string; appSecret: string; domain: string },
    private readonly log: Logger,
  ) {
    this.client = new lark.Client({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.domain,
      cache: this.tokens,
      logger: sdkLogger(log),
      loggerLevel: lark.LoggerLevel.trace,
    });
  }

  async send(receiveIdType: ReceiveIdType, receiveId: string, msgType: MsgType, content: object, uuid: string): Promise<SentMessage> {
    const res = await this.call('im.message.create', () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: receiveIdType },
        data: { receive_id: receiveId, msg_type: msgType, content: JSON.stringify(content), uuid },
      }),
    );
    return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
  }

  async reply(messageId: string, msgType: MsgType, content: object, uuid: string): Promise<SentMessage> {
    const res = await this.call('im.message.reply', () =>
      this.client.im.v1.message.reply({
        path: { message_id: messageId },
        data: { msg_type: msgType, content: JSON.stringify(content), uuid },
      }),
    );
    return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
  }

  async updateCard(messageId: string, card: object): Promise<void> {
    await this.call('im.message.patch', () => this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }));
  }

  /** 加急: makes a bot message ring for these users in Lark (for the leader's stall notice). */
  async buzz(messageId: string, openIds: string[]): Promise<void> {
    await this.call('im.message.urgentApp', () =>
      this.client.im.v1.message.urgentApp({ path: { message_id: messageId }, params: { user_id_type: 'open_id' }, data: { user_id_list: openIds } }),
    );
  }

  /** Uploads a file (at most 30 MB, not empty) to send as a file message; returns its file_key. */
  async uploadFile(fileName: string, bytes: Buffer, fileType: UploadFileType = 'xls'): Promise<string> {
    // The SDK hands back only the answer's `data` for uploads: no code, and null when code ≠ 0.
    const res = await this.call<{ code?: number; msg?: string; data: { file_key?: string } | null }>('im.file.create', async () => ({
      data: await this.client.im.v1.file.create({ data: { file_type: fileType, file_name: fileName, file: bytes } }),
    }));
    const fileKey = res.data?.file_key;
    if (!fileKey) throw new LarkCallError('im.file.create', undefined, 200, true, undefined, 'no file_key in answer');
    return fileKey;
  }

  /** The bot's own open_id, to tell whether a group message @-mentions it. */
  async botOpenId(): Promise<string> {
    const res = await this.call('bot.info', () =>
      this.client.request<{ code: number; msg: string; bot?: { open_id?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' }),
    );
    const openId = res.bot?.open_id;
    if (!openId) throw new LarkCallError('bot.info', res.code, 200, true, undefined, 'no bot.open_id in answer');
    return openId;
  }

  /** Resolves mobiles and emails to open_ids; a miss is simply absent from the map. */
  async openIdsByContact(query: { mobiles?: string[]; emails?: string[] }): Promise<Map<string, string>> {
    const res = await this.call('contact.user.batchGetId', () => this.client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: query }));
    const found = new Map<string, string>();
    for (const user of res.data?.user_list ?? []) {
      const key = user.mobile ?? user.email;
      if (key && user.user_id) found.set(key, user.user_id);
    }
    return found;
  }

  /**
   * Creates a group (a project's 专班群) with the bot and these users in it; returns its chat_id.
   * Lark refuses the whole request when any id is unusable (232043 unknown or outside the app's
   * availability, 232022 resigned): it creates no group and lists no invalid ids, so there are none
   * to return. At most 50 users; a name of at most 60 characters, a description of at most 100.
   * `uuid` makes a retry answer the same group for 10 hours (Lark keys it on uuid + owner). With
   * `ownerOpenId` that user owns the group and the bot is its manager (set_bot_manager); without it
   * the bot owns the group, and Lark then lets nobody remove the bot.
   */
  async createChat(input: { name: string; description?: string; userOpenIds: string[]; uuid: string; ownerOpenId?: string }): Promise<{ chatId: string }> {
    const res = await this.call('im.chat.create', () =>
      this.client.im.v1.chat.create({
        params: { user_id_type: 'open_id', uuid: input.uuid, ...(input.ownerOpenId === undefined ? {} : { set_bot_manager: true }) },
        data: {
          name: input.name,
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.ownerOpenId === undefined ? {} : { owner_id: input.ownerOpenId }),
          user_id_list: input.userOpenIds,
          chat_mode: 'group',
          chat_type: 'private',
        },
      }),
    );
    const chatId = res.data?.chat_id;
    if (!chatId) throw new LarkCallError('im.chat.create', res.code, 200, true, undefined, 'no chat_id in answer');
    return { chatId };
  }

  /**
   * Adds users to a group the bot is in (at most 50 a call). Lark adds every usable id
   * (succeed_type 1) and reports the others: `refusedOpenIds` (unknown, resigned, outside the
   * app's availability) and `pendingOpenIds` (waiting for an owner's approval). Throws when none
   * can be added (232027), the bot is not in the group (232011) or the group is full (232013).
   */
  async addChatMembers(chatId: string, openIds: string[]): Promise<{ refusedOpenIds: string[]; pendingOpenIds: string[] }> {
    const res = await this.call('im.chatMembers.create', () =>
      this.client.im.v1.chatMembers.create({
        path: { chat_id: chatId },
        params: { member_id_type: 'open_id', succeed_type: 1 },
        data: { id_list: openIds },
      }),
    );
    return {
      refusedOpenIds: [...(res.data?.invalid_id_list ?? []), ...(res.data?.not_existed_id_list ?? [])],
      pendingOpenIds: res.data?.pending_approval_id_list ?? [],
    };
  }

  /** Pins a message (the project card) in its chat; pinning it again is harmless (Lark answers the existing pin). */
  async pinMessage(messageId: string): Promise<void> {
    await this.call('im.pin.create', () => this.client.im.v1.pin.create({ data: { message_id: messageId } }));
  }

  /** One call; a rejected tenant token is dropped and the call made once more with a fresh one. */
  private async call<T extends { code?: number; msg?: string }>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.callOnce(operation, run);
    } catch (err) {
      if (!(err instanceof LarkCallError && err.code !== undefined && EXPIRED_TOKEN.has(err.code))) throw err;
      this.tokens.clear();
      return this.callOnce(operation, run);
    }
  }

  private async callOnce<T extends { code?: number; msg?: string }>(operation: string, run: () => Promise<T>): Promise<T> {
    let res: T;
    try {
      res = await run();
    } catch (err) {
      throw this.classify(operation, err);
    }
    if (res.code !== undefined && res.code !== 0) {
      throw new LarkCallError(operation, res.code, 200, THROTTLED.has(res.code) || EXPIRED_TOKEN.has(res.code), undefined, res.msg ?? '');
    }
    return res;
  }

  private classify(operation: string, err: unknown): LarkCallError {
    if (err instanceof LarkCallError) return err;
    if (!isAxiosError(err)) return new LarkCallError(operation, undefined, undefined, true, undefined, String(err));
    const status = err.response?.status;
    const body = err.response?.data as { code?: number; msg?: string } | undefined;
    const code = body?.code;
    const reset = Number(err.response?.headers?.['x-ogw-ratelimit-reset']);
    const retryable = status === undefined || status >= 500 || status === 429 || (code !== undefined && (THROTTLED.has(code) || EXPIRED_TOKEN.has(code)));
    this.log.debug({ operation, status, code }, 'lark call failed');
    return new LarkCallError(operation, code, status, retryable, Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined, body?.msg ?? err.message);
  }
}
