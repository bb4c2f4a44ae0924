/**
 * Public types of the Lark sandbox. Field names follow Lark's own where the value is Lark data
 * (events, API bodies); the sandbox's own records use camelCase.
 */

/** A person in the sandbox tenant. */
export interface SandboxUser {
  openId: string;
  /** Filled with a stable id derived from `openId` when omitted (Lark always has one). */
  userId?: string;
  /** Filled with a stable id derived from `openId` when omitted. */
  unionId?: string;
  name: string;
  mobile?: string;
  email?: string;
  /**
   * False: the user is outside the app's availability (可用范围). Lark refuses to message them
   * (230013) or to put them in a group (232043 at creation, 232024 when adding). Default true.
   */
  available?: boolean;
  /** The user has left the organisation (已离职): 230013 on sends, 232022 at group creation. Default false. */
  resigned?: boolean;
}

/** A group chat in the sandbox tenant. Single (p2p) chats are created on demand per user. */
export interface SandboxChat {
  chatId: string;
  name: string;
  memberOpenIds: string[];
  /** Whether the bot is in the group. Default true; false makes sends answer 230002. */
  botIsMember?: boolean;
}

/** Send limits, per Lark's documentation. */
export interface SandboxLimits {
  /** App-wide sends and replies per second (HTTP 429, code 99991400). Default 50. */
  appPerSecond?: number;
  /** App-wide sends and replies per minute (HTTP 429, code 99991400). Default 1000. */
  appPerMinute?: number;
  /** Messages into one group per second (HTTP 400, code 230020). Default 5. */
  perChatPerSecond?: number;
  /** Messages to one user per second (HTTP 400, code 230020). Default 5. */
  perUserPerSecond?: number;
  /** PATCH updates of one card per second (HTTP 400, code 230020). Default 5. */
  perMessageUpdatePerSecond?: number;
  /**
   * Groups the app may create per second (HTTP 400, code 232019). Lark documents the code
   * (触发群限流) but not its number; the default, 1, is the sandbox's strict choice.
   */
  chatCreatesPerSecond?: number;
  /**
   * Member additions to one group per second (HTTP 400, code 232019). Lark says concurrent calls on
   * one group may be refused and asks for serial calls; the default, 1, is the sandbox's strict choice.
   */
  chatMemberAddsPerSecond?: number;
  /** Members a group may hold (HTTP 400, code 232013). Default 5000, Lark's default for a normal group. */
  chatMembers?: number;
}

export interface LarkSandboxOptions {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  /** The bot's open_id, as GET /bot/v3/info reports it. */
  botOpenId?: string;
  /** The bot's name, as GET /bot/v3/info reports it. Default '招商助手'. */
  botName?: string;
  /** tenant_key put in events and API answers. */
  tenantKey?: string;
  users?: SandboxUser[];
  chats?: SandboxChat[];
  /** Port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /**
   * Clock in epoch milliseconds, used for token expiry, rate windows, the uuid window, card age,
   * create_time and event timestamps. Default `Date.now`.
   */
  now?: () => number;
  limits?: SandboxLimits;
}

/** One HTTP call the sandbox answered, in arrival order. */
export interface RecordedCall {
  method: string;
  /** Path without the query string, e.g. `/open-apis/im/v1/messages`. */
  path: string;
  query: Record<string, string>;
  /** Request headers, lower-cased names (as node gives them). */
  headers: Record<string, string>;
  /**
   * Parsed JSON body, or for multipart/form-data the fields, each file part summarised as
   * `{ filename, contentType, size }`; the raw text when neither parses; undefined when empty.
   */
  body: unknown;
  status: number;
  response: unknown;
  responseHeaders: Record<string, string>;
  /** Sandbox clock when the call arrived. */
  time: number;
}

/** The request part of a call, as `failNext` matchers see it. */
export type CallRequest = Pick<RecordedCall, 'method' | 'path' | 'query' | 'headers' | 'body'>;

/** A canned answer for `failNext`. The body is Lark's `{code, msg}`. */
export interface InjectedFailure {
  status: number;
  code: number;
  msg?: string;
  headers?: Record<string, string>;
}

export type ReceiveIdType = 'chat_id' | 'open_id' | 'user_id' | 'union_id' | 'email';

/** `file_type` of an upload: what Lark lets a file be sent as (opus → audio, mp4 → media, the rest → file). */
export type SandboxFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

/** A file the bot uploaded, as `file_name`, `file_type` and the bytes of `file` said. */
export interface SandboxFile {
  name: string;
  type: SandboxFileType;
  bytes: Buffer;
}

/** A later version of a card: by PATCH, or the card a callback was answered with. */
export interface CardUpdate {
  /** The parsed card. */
  content: unknown;
  time: number;
  source: 'patch' | 'callback';
}

/** A buzz (加急) on a bot message. */
export interface UrgentNotice {
  kind: 'app' | 'sms' | 'phone';
  /** open_ids of the users who were buzzed (the valid part of user_id_list). */
  openIds: string[];
  time: number;
}

/**
 * A message the bot delivered (send or reply). The object is live: later card updates and buzzes
 * show up on it.
 */
export interface SentMessage {
  messageId: string;
  chatId: string;
  chatType: 'group' | 'p2p';
  /** For a p2p chat: the user on the other side. */
  recipientOpenId?: string;
  /** For sends: the receive_id and its type as the bot passed them. */
  receiveId?: string;
  receiveIdType?: ReceiveIdType;
  /** For replies: the message replied to (parent_id). */
  replyTo?: string;
  rootId?: string;
  /** Set when the reply was sent with reply_in_thread. */
  threadId?: string;
  msgType: string;
  /**
   * The parsed `content` as first sent: `{text}` for text, the card object for interactive,
   * `{file_key}` for file (read the file with `sandbox.file(file_key)`).
   */
  content: unknown;
  /** The parsed content after the latest update; equals `content` until a PATCH. */
  latestContent: unknown;
  updates: CardUpdate[];
  urgent: UrgentNotice[];
  uuid?: string;
  /** Epoch ms (sandbox clock). */
  createTime: number;
}

/** Schema 2.0 event envelope, as Lark posts it (before encryption). */
export interface LarkEventEnvelope<E = Record<string, unknown>> {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    /** Epoch ms as a string; epoch µs for card.action.trigger, as Lark sends it. */
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: E;
}

export interface MessageEventInput {
  /** Required for groups; for p2p it defaults to the sender's single chat with the bot. */
  chatId?: string;
  chatType: 'group' | 'p2p';
  senderOpenId: string;
  /** The text as Lark shows it to the bot: each @ is a placeholder such as `@_user_1`. */
  text: string;
  /** One entry per placeholder; ids and a missing name are filled from the directory. */
  mentions?: { key: string; openId: string; name?: string }[];
  /** Default: a fresh om_ id. */
  messageId?: string;
  /** Set when the user replied to a message; root_id follows that message's root. */
  parentId?: string;
}

export interface CardActionEventInput {
  operatorOpenId: string;
  messageId: string;
  /** Default: the chat of `messageId` when the sandbox knows that message. */
  chatId?: string;
  value?: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  /** The component's tag. Default 'button'. */
  tag?: string;
  /** The component's name. */
  name?: string;
}

export interface DeliverEventOptions {
  /** Overrides header.event_id (a redelivery reuses the first delivery's id). */
  eventId?: string;
  /** Overrides header.token, to test a wrong verification token. */
  token?: string;
  /** Sends a signature that does not match the body. */
  forgeSignature?: boolean;
  /** Encrypt the body with the encrypt key. Default true. */
  encrypt?: boolean;
  /** Give up after this long (real ms). Default 10 000. Lark itself waits 3 s. */
  timeoutMs?: number;
}

export interface DeliveryResult {
  /** The webhook's HTTP status; 0 when Lark sent nothing (a tap on an expired card). */
  status: number;
  /** Parsed JSON answer; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  eventId: string;
  /** A card callback's answer that Lark would refuse: the code the client shows, and why. */
  answerRefused?: { code: number; msg: string };
  /** A tap Lark does not pass on: what the client shows instead. */
  notSent?: string;
}

/** The three ids Lark gives a user in events. */
export interface LarkUserIds {
  open_id: string;
  user_id: string;
  union_id: string;
}

/** `event` of im.message.receive_v1. */
export interface MessageReceiveEvent {
  sender: { sender_id: LarkUserIds; sender_type: 'user'; tenant_key: string };
  message: {
    message_id: string;
    root_id?: string;
    parent_id?: string;
    create_time: string;
    update_time: string;
    chat_id: string;
    chat_type: 'group' | 'p2p';
    message_type: 'text';
    /** JSON string, e.g. `{"text":"@_user_1 /lead 富硒茶项目"}`. */
    content: string;
    /** Absent when the text mentions nobody. */
    mentions?: { key: string; id: LarkUserIds; name: string; tenant_key: string }[];
  };
}

/** `event` of im.chat.member.bot.deleted_v1: the bot was removed from a group. */
export interface ChatMemberBotDeletedEvent {
  chat_id: string;
  /** Who removed the bot. */
  operator_id: LarkUserIds;
  external: boolean;
  operator_tenant_key: string;
  name: string;
  /** Present when the group has names in other languages. */
  i18n_names?: { zh_cn?: string; en_us?: string; ja_jp?: string };
}

/** A group the bot created with POST /im/v1/chats, as the sandbox holds it now. */
export interface CreatedChatInfo {
  chatId: string;
  name: string;
  description: string;
  /** Everyone in the group but the bot. */
  memberOpenIds: string[];
  /** Undefined when the bot owns the group. */
  ownerOpenId?: string;
  /** False once the bot was removed (removeBotFromChat). */
  botIsMember: boolean;
  /** Epoch ms (sandbox clock). */
  createTime: number;
}

/** A pinned message, as GET /im/v1/pins lists it. */
export interface SandboxPin {
  messageId: string;
  chatId: string;
  /** The app_id when the bot pinned it. */
  operatorId: string;
  operatorIdType: 'app_id' | 'open_id';
  /** Epoch ms (sandbox clock). */
  createTime: number;
}

/** `event` of card.action.trigger. */
export interface CardActionTriggerEvent {
  operator: LarkUserIds & { tenant_key: string };
  /** Token for delayed card updates (c-…). */
  token: string;
  action: {
    value: Record<string, unknown>;
    tag: string;
    name?: string;
    form_value?: Record<string, unknown>;
  };
  host: 'im_message';
  context: { open_message_id: string; open_chat_id: string };
}
