/**
 * Groups and pins in the sandbox: creating a group (POST /im/v1/chats), adding members
 * (POST /im/v1/chats/:chat_id/members), pinning a message (POST /im/v1/pins) and listing the pins of
 * a chat (GET /im/v1/pins), with Lark's shapes, limits and codes. Each rule names the page of Lark's
 * documentation it comes from (open.feishu.cn; the same pages exist on open.larksuite.com). Where a
 * page is unclear, the stricter reading is taken and the rule says so.
 */
import {
  botManages,
  type CreatedGroup,
  type Directory,
  type DirectoryChat,
  type DirectoryUser,
  isReachable,
  isUserIdType,
  type UserIdType,
  userIdOf,
} from './directory';
import { fieldValidationFailed, imError, invalidParam, LarkApiError, LarkErrorCode } from './error-codes';
import { newChatId } from './ids';
import type { ApiRequest, ApiResponse, OpenApiConfig, Route } from './open-api';
import { SlidingWindowLimiter } from './rate-limiter';
import type { SandboxPin } from './types';

const DOCS = 'https://open.feishu.cn/document/server-docs';
/** The pages the rules come from. */
export const CHAT_DOCS = {
  createChat: `${DOCS}/group/chat/create`,
  addMembers: `${DOCS}/group/chat-member/create`,
  removeMembers: `${DOCS}/group/chat-member/delete`,
  botDeleted: `${DOCS}/group/chat-member/event/deleted`,
  /** succeed_type 0/2: empty or unknown app ids answer 232043; a p2p chat_id answers 232090. */
  addMembersIdChange: 'https://open.feishu.cn/document/faq/breaking-change/add-users-or-bots-to-a-group-changes',
  /** Since 2025-03-31: users the operator may not reach answer 232024 (succeed_type 0/2) or go to invalid_id_list (1). */
  addMembersControls: 'https://open.feishu.cn/document/platform-notices/breaking-change/additional-communication-controls-for-add-to-group-api',
  pinCreate: `${DOCS}/im-v1/pin/create`,
  pinList: `${DOCS}/im-v1/pin/list`,
  /** system, hongbao and video_chat messages cannot be pinned (230054). */
  unsupportedMessageTypes: 'https://open.feishu.cn/document/faq/breaking-change/unsupported-message-type-verification',
  /** 1000/min and 50/s per app and API (HTTP 429, 99991400) for every route here. */
  frequency: `${DOCS}/api-call-guide/frequency-control`,
  sendMessage: `${DOCS}/im-v1/message/create`,
} as const;

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
/** createChat: "持有相同 uuid + owner_id（若有）的请求 10 小时内只可成功创建 1 个群聊" (CHAT_DOCS.createChat). */
const CREATE_UUID_WINDOW_MS = 10 * HOUR;
/** createChat: uuid, user_id_list and bot_id_list carry 数据校验规则 (max length 50, 50, 5) (CHAT_DOCS.createChat). */
const UUID_MAX_CHARS = 50;
const CREATE_USERS_MAX = 50;
const BOTS_MAX = 5;
/**
 * createChat: "建议群名称不超过 60 字符", "群描述，建议不超过 100 字符" (CHAT_DOCS.createChat). Lark only
 * recommends these; the sandbox refuses longer ones (232001), the stricter reading.
 */
const NAME_MAX_CHARS = 60;
const DESCRIPTION_MAX_CHARS = 100;
/** createChat: "公开群名称的长度不得少于 2 个字符" (232020); a private group without a name is "(无主题)". */
const PUBLIC_NAME_MIN_CHARS = 2;
const UNNAMED = '(无主题)';
/** addMembers: "每次请求最多拉 50 个用户 … 最多同时邀请 5 个机器人" (CHAT_DOCS.addMembers). */
const ADD_USERS_MAX = 50;
/** pinCreate: "对同一条消息的 Pin 操作不能超过 5 QPS" (230047). */
const PINS_PER_MESSAGE_PER_SECOND = 5;
/** pinList: page_size 1–50, default 20 (数据校验规则). */
const PIN_PAGE_MAX = 50;
const PIN_PAGE_DEFAULT = 20;
/** unsupportedMessageTypes: the message types Pin answers 230054 for. */
const UNPINNABLE = new Set(['system', 'hongbao', 'video_chat']);
/**
 * The create answer's `avatar`. The sandbox keeps no images, so every group has this one. Uncertain:
 * the URL is a stand-in of the shape Lark answers, not a real default avatar.
 */
const DEFAULT_AVATAR = 'https://s1-imfile.feishucdn.com/static-resource/v1/default-avatar~100x100.jpg';

const VISIBILITY = ['only_owner', 'all_members', 'not_anyone'] as const;
const OWNER_OR_ALL = ['only_owner', 'all_members'] as const;
const RESTRICTED = ['all_members', 'not_anyone'] as const;

export interface ChatApiDeps {
  config: OpenApiConfig;
  directory: Directory;
  /** The chat and msg_type of a message the sandbox knows (the bot's or a user's). */
  message(messageId: string): { chatId: string; msgType: string } | undefined;
  /** The gateway's per-app, per-API limit (HTTP 429, 99991400). */
  takeAppQuota(api: string): void;
  /** Tells listeners (waitForMessages, the chat page) that something changed. */
  notify(): void;
}

/** The settings a create request asked for, checked. */
interface GroupSpec {
  name: string;
  description: string;
  i18nNames?: { zh_cn?: string; en_us?: string; ja_jp?: string };
  ownerId?: string;
  userIds: string[];
  botIds: string[];
  groupMessageType: 'chat' | 'thread';
  chatType: 'private' | 'public';
  joinMessageVisibility: string;
  leaveMessageVisibility: string;
  membershipApproval: CreatedGroup['membershipApproval'];
  urgentSetting: string;
  videoConferenceSetting: string;
  editPermission: string;
  pinManageSetting: CreatedGroup['pinManageSetting'];
  hideMemberCountSetting: string;
  restrictedMode: { status: boolean; screenshot: string; download: string; message: string };
}

/** Groups and pins: the routes, and the state they keep beyond the directory. */
export class ChatApi {
  private readonly createdByUuid = new Map<string, { response: Record<string, unknown>; time: number }>();
  private readonly pinsByMessage = new Map<string, SandboxPin>();
  private readonly creates: SlidingWindowLimiter;
  private readonly memberAdds: SlidingWindowLimiter;
  private readonly pinsPerMessage = new SlidingWindowLimiter(PINS_PER_MESSAGE_PER_SECOND, SECOND);

  constructor(private readonly deps: ChatApiDeps) {
    this.creates = new SlidingWindowLimiter(deps.config.limits.chatCreatesPerSecond, SECOND);
    this.memberAdds = new SlidingWindowLimiter(deps.config.limits.chatMemberAddsPerSecond, SECOND);
  }

  routes(route: (method: string, pattern: RegExp, handle: Route['handle']) => Route): Route[] {
    return [
      route('POST', /^\/open-apis\/im\/v1\/chats$/, (r) => this.createChat(r)),
      route('POST', /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/, (r) => this.addMembers(r)),
      route('POST', /^\/open-apis\/im\/v1\/pins$/, (r) => this.pin(r)),
      route('GET', /^\/open-apis\/im\/v1\/pins$/, (r) => this.listPins(r)),
    ];
  }

  /** The pins of a chat (or of every chat), newest first. */
  pins(chatId?: string): SandboxPin[] {
    return [...this.pinsByMessage.values()].filter((p) => chatId === undefined || p.chatId === chatId).sort((a, b) => b.createTime - a.createTime);
  }

  // --- POST /im/v1/chats -----------------------------------------------------------------------

  /**
   * Creates a group with the bot in it (its owner, unless owner_id names a user) and puts it in the
   * directory, so that messages, events and card pickers work in it like in any group.
   */
  private createChat({ query, body }: ApiRequest): ApiResponse {
    this.deps.takeAppQuota('im.chat.create');
    const idType = query.user_id_type ?? 'open_id';
    if (!isUserIdType(idType)) throw chatParam('user_id_type must be one of open_id, user_id, union_id');
    const setBotManager = booleanParam(query.set_bot_manager, 'set_bot_manager');
    const uuid = query.uuid === undefined || query.uuid === '' ? undefined : query.uuid;
    if (uuid !== undefined && [...uuid].length > UUID_MAX_CHARS) throw fieldValidationFailed(`uuid: at most ${UUID_MAX_CHARS} characters`);
    const spec = groupSpec(body);

    const owner = spec.ownerId === undefined ? undefined : this.owner(idType, spec.ownerId);
    const members = this.invitedUsers(idType, spec.userIds);
    const unknownBots = spec.botIds.filter((id) => id !== this.deps.config.appId);
    // CHAT_DOCS.createChat: 232043 covers "bot_id_list 和 user_id_list"; the sandbox tenant has no other bot.
    if (unknownBots.length > 0) throw chatError(LarkErrorCode.unavailableIds, 'Your request contains unavailable ids.', unknownBots);

    // Lark keys the window on uuid + owner_id and creates one group: a repeat answers that group.
    // Uncertain: the page says only that one group is created; answering the first group's data
    // (rather than an error) is how Lark answers a repeated message uuid.
    const now = this.deps.config.now();
    const uuidKey = uuid === undefined ? undefined : `${uuid}\u0000${spec.ownerId ?? ''}`;
    const prior = uuidKey === undefined ? undefined : this.createdByUuid.get(uuidKey);
    if (prior !== undefined && now - prior.time < CREATE_UUID_WINDOW_MS) return success(prior.response);

    if (this.creates.waitMs('app', now) > 0) throw chatError(LarkErrorCode.chatRateLimited, 'The request has been rate limited.');
    this.creates.record('app', now);

    const memberOpenIds = unique([...(owner === undefined ? [] : [owner.openId]), ...members.map((u) => u.openId)]);
    const chat = this.deps.directory.addCreatedGroup({
      chatId: newChatId(),
      name: spec.name,
      memberOpenIds,
      created: {
        description: spec.description,
        i18nNames: spec.i18nNames,
        ownerOpenId: owner?.openId,
        // set_bot_manager only means something when a user owns the group.
        botIsManager: owner !== undefined && setBotManager,
        chatType: spec.chatType,
        membershipApproval: spec.membershipApproval,
        pinManageSetting: spec.pinManageSetting,
        createTime: now,
      },
    });
    const response = this.createAnswer(chat, spec, owner, idType);
    if (uuidKey !== undefined) this.createdByUuid.set(uuidKey, { response, time: now });
    this.deps.notify();
    return success(response);
  }

  /** owner_id: a user of the tenant (232030), not resigned (232022), in the app's availability (232043). */
  private owner(idType: UserIdType, ownerId: string): DirectoryUser {
    const user = ownerId === '' ? undefined : this.deps.directory.findUser(idType, ownerId);
    if (user === undefined) throw chatError(LarkErrorCode.invalidUserId, 'Your request specifies a user_id which is invalid.', [ownerId]);
    if (user.resigned === true) throw chatError(LarkErrorCode.userResigned, 'User has already resigned.', [ownerId]);
    if (user.available === false) throw chatError(LarkErrorCode.unavailableIds, 'Your request contains unavailable ids.', [ownerId]);
    return user;
  }

  /**
   * user_id_list. Lark's create page lists no invalid_id_list in its answer, only refusals: an
   * unknown or unavailable id refuses the whole request (232043), a resigned user too (232022).
   * Users outside the app's availability are not named on that page; the sandbox counts them as
   * unavailable ids (232043), the stricter reading.
   */
  private invitedUsers(idType: UserIdType, ids: string[]): DirectoryUser[] {
    const found = ids.map((id) => ({ id, user: id === '' ? undefined : this.deps.directory.findUser(idType, id) }));
    const unavailable = found.filter(({ user }) => user === undefined || user.available === false).map(({ id }) => id);
    if (unavailable.length > 0) throw chatError(LarkErrorCode.unavailableIds, 'Your request contains unavailable ids.', unavailable);
    const resigned = found.filter(({ user }) => user?.resigned === true).map(({ id }) => id);
    if (resigned.length > 0) throw chatError(LarkErrorCode.userResigned, 'User has already resigned.', resigned);
    return found.map(({ user }) => user as DirectoryUser);
  }

  /** The create answer (CHAT_DOCS.createChat, 响应体): owner_id and owner_id_type only when a user owns it. */
  private createAnswer(chat: DirectoryChat, spec: GroupSpec, owner: DirectoryUser | undefined, idType: UserIdType): Record<string, unknown> {
    return {
      chat_id: chat.chatId,
      avatar: DEFAULT_AVATAR,
      name: chat.name,
      description: spec.description,
      i18n_names: spec.i18nNames ?? {},
      ...(owner === undefined ? {} : { owner_id: userIdOf(owner, idType), owner_id_type: idType }),
      urgent_setting: spec.urgentSetting,
      video_conference_setting: spec.videoConferenceSetting,
      pin_manage_setting: spec.pinManageSetting,
      add_member_permission: 'all_members',
      share_card_permission: 'allowed',
      at_all_permission: 'all_members',
      edit_permission: spec.editPermission,
      group_message_type: spec.groupMessageType,
      chat_mode: 'group',
      chat_type: spec.chatType,
      chat_tag: 'inner',
      external: false,
      tenant_key: this.deps.config.tenantKey,
      join_message_visibility: spec.joinMessageVisibility,
      leave_message_visibility: spec.leaveMessageVisibility,
      membership_approval: spec.membershipApproval,
      moderation_permission: 'all_members',
      restricted_mode_setting: {
        status: spec.restrictedMode.status,
        screenshot_has_permission_setting: spec.restrictedMode.screenshot,
        download_has_permission_setting: spec.restrictedMode.download,
        message_has_permission_setting: spec.restrictedMode.message,
      },
      hide_member_count_setting: spec.hideMemberCountSetting,
    };
  }

  // --- POST /im/v1/chats/:chat_id/members ------------------------------------------------------

  /**
   * Adds users (or, with member_id_type app_id, bots) to a group the bot is in. `succeed_type`
   * decides what an unusable id does (CHAT_DOCS.addMembers): 0 (default) refuses unknown and
   * unreachable ids and lists resigned users in invalid_id_list while adding the rest; 1 adds every
   * usable id and lists the others (invalid_id_list: resigned, outside the availability;
   * not_existed_id_list: unknown); 2 refuses any unusable id.
   */
  private addMembers({ params, query, body }: ApiRequest): ApiResponse {
    this.deps.takeAppQuota('im.chatMembers.create');
    const idType = query.member_id_type ?? 'open_id';
    if (!isUserIdType(idType) && idType !== 'app_id') throw chatParam('member_id_type must be one of open_id, user_id, union_id, app_id');
    const succeedType = query.succeed_type === undefined ? 0 : Number(query.succeed_type);
    if (succeedType !== 0 && succeedType !== 1 && succeedType !== 2) throw chatParam('succeed_type must be 0, 1 or 2');
    const ids = body.id_list;
    if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))) throw chatParam('id_list must be a list of ids');
    // "成员列表不可为空"; 232027 is "成员 ID 列表为空或不存在有效的成员".
    if (ids === undefined || ids.length === 0) throw noValidMembers();
    const idList = ids as string[];
    if (idList.length > (idType === 'app_id' ? BOTS_MAX : ADD_USERS_MAX)) {
      throw chatParam(`at most ${ADD_USERS_MAX} users or ${BOTS_MAX} bots a request`);
    }

    const chat = this.deps.directory.chat(params[0] ?? '');
    if (chat === undefined) throw chatError(LarkErrorCode.invalidChatId, 'Your request specifies a chat_id which is invalid.');
    // CHAT_DOCS.addMembersIdChange: a single chat's id answers 232090.
    if (chat.type !== 'group') throw chatError(LarkErrorCode.unsupportedChatType, 'Unsupported chat type.');
    if (!chat.botIsMember) throw chatError(LarkErrorCode.operatorNotInChat, 'Operator can NOT be out of the chat.');

    const now = this.deps.config.now();
    if (this.memberAdds.waitMs(chat.chatId, now) > 0) throw chatError(LarkErrorCode.chatRateLimited, 'The request has been rate limited.');
    this.memberAdds.record(chat.chatId, now);

    const sorted = idType === 'app_id' ? this.sortBots(idList) : this.sortUsers(chat, idType, idList);
    const { newUsers, alreadyIn, resigned, unreachable, unknown, emptyOrUnknownApp } = sorted;
    if (succeedType !== 1) {
      // CHAT_DOCS.addMembersIdChange: empty ids and unknown app ids answer 232043 for 0 and 2.
      if (emptyOrUnknownApp.length > 0) throw chatError(LarkErrorCode.unavailableIds, 'Your request contains unavailable ids.', emptyOrUnknownApp);
      if (unknown.length > 0) throw notExisted(idType as UserIdType, unknown);
      // CHAT_DOCS.addMembersControls: users the app may not reach answer 232024 for 0 and 2.
      if (unreachable.length > 0) {
        throw chatError(
          LarkErrorCode.userNotVisibleToApp,
          'Users do not have the visibility of the app, or the operator does not have collaboration permissions with the target users.',
          unreachable,
        );
      }
      if (succeedType === 2 && resigned.length > 0) throw chatError(LarkErrorCode.unavailableIds, 'Your request contains unavailable ids.', resigned);
    }
    // Uncertain: when nothing in the list can be added (all resigned, or succeed_type 1 with only
    // unusable ids) the sandbox answers 232027 ("不存在有效的成员") rather than an empty success.
    if (newUsers.length + alreadyIn.length === 0) throw noValidMembers();

    // A group that asks for approval takes new members from its owner and managers only; anyone
    // else's invitations wait (pending_approval_id_list).
    const pending = chat.created?.membershipApproval === 'approval_required' && !botManages(chat) ? newUsers : [];
    const added = pending.length > 0 ? [] : newUsers;
    const limit = this.deps.config.limits.chatMembers;
    if (chat.memberOpenIds.length + added.length > limit) {
      throw chatError(LarkErrorCode.chatMemberLimit, 'You have reached the limit of maximum number of members a chat can have.');
    }
    chat.memberOpenIds.push(...added.map((u) => u.user.openId));
    if (added.length > 0) this.deps.notify();
    return success({
      invalid_id_list: succeedType === 1 ? [...resigned, ...unreachable] : resigned,
      not_existed_id_list: succeedType === 1 ? [...unknown, ...emptyOrUnknownApp] : [],
      pending_approval_id_list: pending.map((u) => u.id),
    });
  }

  private sortUsers(chat: DirectoryChat, idType: UserIdType, ids: string[]) {
    const sorted = emptySort();
    const seen = new Set<string>();
    for (const id of ids) {
      const user = id === '' ? undefined : this.deps.directory.findUser(idType, id);
      if (id === '') sorted.emptyOrUnknownApp.push(id);
      else if (user === undefined) sorted.unknown.push(id);
      else if (user.resigned === true) sorted.resigned.push(id);
      else if (!isReachable(user)) sorted.unreachable.push(id);
      else if (chat.memberOpenIds.includes(user.openId)) sorted.alreadyIn.push(id);
      else if (!seen.has(user.openId)) {
        seen.add(user.openId);
        sorted.newUsers.push({ id, user });
      }
    }
    return sorted;
  }

  /** member_id_type app_id: the sandbox tenant has one bot, this app, already in the group. */
  private sortBots(ids: string[]) {
    const sorted = emptySort();
    for (const id of ids) {
      if (id === this.deps.config.appId) sorted.alreadyIn.push(id);
      else sorted.emptyOrUnknownApp.push(id);
    }
    return sorted;
  }

  // --- POST /im/v1/pins, GET /im/v1/pins -------------------------------------------------------

  /**
   * Pins a message of a chat the bot is in. A message already pinned answers its existing pin
   * (CHAT_DOCS.pinCreate: "如果消息已经被 Pin，则该接口会返回该 Pin 的操作信息").
   */
  private pin({ body }: ApiRequest): ApiResponse {
    this.deps.takeAppQuota('im.pin.create');
    const messageId = body.message_id;
    if (typeof messageId !== 'string' || messageId === '') throw invalidParam('message_id is required');
    const message = this.deps.message(messageId);
    // Uncertain: the pin page has no code of its own for an unknown message; 230001 is its bad-parameter code.
    if (message === undefined) throw invalidParam('invalid message_id');
    const chat = this.deps.directory.chat(message.chatId);
    if (chat === undefined) throw imError(LarkErrorCode.pinChatNotExist, 'The chat not exist.');
    this.requireBotIn(chat);
    if (UNPINNABLE.has(message.msgType)) throw imError(LarkErrorCode.unsupportedMessageType, 'This operation is not supported for this message type.');
    const now = this.deps.config.now();
    if (this.pinsPerMessage.waitMs(messageId, now) > 0) throw imError(LarkErrorCode.pinRateLimited, 'Pin/Unpin message trigger message_id limit.');
    this.pinsPerMessage.record(messageId, now);

    const existing = this.pinsByMessage.get(messageId);
    if (existing !== undefined) return success({ pin: pinObject(existing) });
    if (chat.created?.pinManageSetting === 'only_owner' && !botManages(chat)) {
      throw imError(LarkErrorCode.pinNoPermission, 'No Permission to Pin/Unpin messages in the chat.');
    }
    const pin: SandboxPin = { messageId, chatId: chat.chatId, operatorId: this.deps.config.appId, operatorIdType: 'app_id', createTime: now };
    this.pinsByMessage.set(messageId, pin);
    this.deps.notify();
    return success({ pin: pinObject(pin) });
  }

  /** GET /im/v1/pins?chat_id=…: the chat's pins in a time range, newest first, paged. */
  private listPins({ query }: ApiRequest): ApiResponse {
    this.deps.takeAppQuota('im.pin.list');
    const chatId = query.chat_id;
    if (chatId === undefined || chatId === '') throw invalidParam('chat_id is required');
    const pageSize = query.page_size === undefined ? PIN_PAGE_DEFAULT : Number(query.page_size);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > PIN_PAGE_MAX) throw fieldValidationFailed(`page_size: from 1 to ${PIN_PAGE_MAX}`);
    const start = timeParam(query.start_time, 'start_time');
    const end = timeParam(query.end_time, 'end_time');
    // "传值时需小于 end_time 值" (CHAT_DOCS.pinList).
    if (start !== undefined && end !== undefined && start >= end) throw invalidParam('start_time must be less than end_time');
    const offset = query.page_token ? pageOffset(query.page_token) : 0;
    const chat = this.deps.directory.chat(chatId);
    // Uncertain: the list page has no code of its own for an unknown chat; 230001 is its bad-parameter code.
    if (chat === undefined) throw invalidParam('invalid chat_id');
    this.requireBotIn(chat);

    const inRange = this.pins(chat.chatId).filter((p) => (start === undefined || p.createTime >= start) && (end === undefined || p.createTime <= end));
    const next = offset + pageSize;
    const hasMore = next < inRange.length;
    return success({
      items: inRange.slice(offset, next).map(pinObject),
      has_more: hasMore,
      // "当 has_more 为 true 时，会同时返回新的 page_token，否则不返回 page_token".
      ...(hasMore ? { page_token: Buffer.from(`pins:${next}`).toString('base64') } : {}),
    });
  }

  /** The bot must be in the chat (230002); in a single chat, the user must be reachable (230013). */
  private requireBotIn(chat: DirectoryChat): void {
    if (!chat.botIsMember) throw imError(LarkErrorCode.botNotInChat, 'The bot can not be outside the group.');
    const user = chat.p2pOpenId === undefined ? undefined : this.deps.directory.user(chat.p2pOpenId);
    if (user !== undefined && !isReachable(user)) throw imError(LarkErrorCode.userOutsideAvailability, 'Bot has NO availability to this user.');
  }
}

/** Checks a create request's body against CHAT_DOCS.createChat's 请求体. */
function groupSpec(body: Record<string, unknown>): GroupSpec {
  const name = optionalString(body.name, 'name');
  const description = optionalString(body.description, 'description') ?? '';
  if (name !== undefined && chars(name) > NAME_MAX_CHARS) throw chatParam(`name: at most ${NAME_MAX_CHARS} characters (Lark recommends it)`);
  if (chars(description) > DESCRIPTION_MAX_CHARS) throw chatParam(`description: at most ${DESCRIPTION_MAX_CHARS} characters (Lark recommends it)`);
  const i18nNames = i18n(body.i18n_names);
  // The sandbox keeps no uploaded images, so no image_key can name an avatar.
  if (body.avatar !== undefined && body.avatar !== '') throw chatParam('avatar: unknown image_key');
  const ownerId = optionalString(body.owner_id, 'owner_id');
  const userIds = stringList(body.user_id_list, 'user_id_list', CREATE_USERS_MAX);
  const botIds = stringList(body.bot_id_list, 'bot_id_list', BOTS_MAX);
  // "调用 API 只能创建普通消息群": chat_mode group only.
  oneOf(body.chat_mode, 'chat_mode', ['group'] as const, 'group');
  const chatType = oneOf(body.chat_type, 'chat_type', ['private', 'public'] as const, 'private');
  // CHAT_DOCS.createChat: an external group needs the bot's external-sharing ability (232033).
  if (body.external === true) {
    throw chatError(
      LarkErrorCode.externalChatNotAllowed,
      'The operator or invited bots does NOT have the authority to manage external chats without the scope.',
    );
  }
  if (chatType === 'public' && (name === undefined || name === ''))
    throw chatError(LarkErrorCode.publicNameMissing, "Public group chat's name should not be empty.");
  if (chatType === 'public' && chars(name ?? '') < PUBLIC_NAME_MIN_CHARS) {
    throw chatError(LarkErrorCode.publicNameTooShort, 'Name can NOT be less than two characters for public chats.');
  }
  return {
    name: name === undefined || name === '' ? UNNAMED : name,
    description,
    i18nNames,
    ownerId,
    userIds,
    botIds,
    groupMessageType: oneOf(body.group_message_type, 'group_message_type', ['chat', 'thread'] as const, 'chat'),
    chatType,
    joinMessageVisibility: oneOf(body.join_message_visibility, 'join_message_visibility', VISIBILITY, 'all_members'),
    leaveMessageVisibility: oneOf(body.leave_message_visibility, 'leave_message_visibility', VISIBILITY, 'all_members'),
    membershipApproval: oneOf(body.membership_approval, 'membership_approval', ['no_approval_required', 'approval_required'] as const, 'no_approval_required'),
    urgentSetting: oneOf(body.urgent_setting, 'urgent_setting', OWNER_OR_ALL, 'all_members'),
    videoConferenceSetting: oneOf(body.video_conference_setting, 'video_conference_setting', OWNER_OR_ALL, 'all_members'),
    editPermission: oneOf(body.edit_permission, 'edit_permission', OWNER_OR_ALL, 'all_members'),
    pinManageSetting: oneOf(body.pin_manage_setting, 'pin_manage_setting', OWNER_OR_ALL, 'all_members'),
    hideMemberCountSetting: oneOf(body.hide_member_count_setting, 'hide_member_count_setting', ['all_members', 'only_owner'] as const, 'all_members'),
    restrictedMode: restrictedMode(body.restricted_mode_setting),
  };
}

/**
 * restricted_mode_setting: on (status true), not all three may be all_members; off, none may be
 * not_anyone (CHAT_DOCS.createChat).
 */
function restrictedMode(value: unknown): GroupSpec['restrictedMode'] {
  if (value === undefined) return { status: false, screenshot: 'all_members', download: 'all_members', message: 'all_members' };
  if (!isRecord(value)) throw chatParam('restricted_mode_setting must be an object');
  if (value.status !== undefined && typeof value.status !== 'boolean') throw chatParam('restricted_mode_setting.status must be a boolean');
  const status = value.status === true;
  const mode = {
    status,
    screenshot: oneOf(value.screenshot_has_permission_setting, 'screenshot_has_permission_setting', RESTRICTED, 'all_members'),
    download: oneOf(value.download_has_permission_setting, 'download_has_permission_setting', RESTRICTED, 'all_members'),
    message: oneOf(value.message_has_permission_setting, 'message_has_permission_setting', RESTRICTED, 'all_members'),
  };
  const settings = [mode.screenshot, mode.download, mode.message];
  if (status && settings.every((s) => s === 'all_members')) throw chatParam('restricted mode on needs at least one setting not_anyone');
  if (!status && settings.includes('not_anyone')) throw chatParam('restricted mode off allows no setting not_anyone');
  return mode;
}

function i18n(value: unknown): GroupSpec['i18nNames'] {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw chatParam('i18n_names must be an object');
  const names: NonNullable<GroupSpec['i18nNames']> = {};
  for (const key of ['zh_cn', 'en_us', 'ja_jp'] as const) {
    const name = optionalString(value[key], `i18n_names.${key}`);
    if (name === undefined) continue;
    // "建议不超过 60 字符": refused beyond, as for name.
    if (chars(name) > NAME_MAX_CHARS) throw chatParam(`i18n_names.${key}: at most ${NAME_MAX_CHARS} characters (Lark recommends it)`);
    names[key] = name;
  }
  return names;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw chatParam(`${field} must be a string`);
  return value;
}

/** A list with a documented maximum length (数据校验规则): the gateway's field validation refuses a longer one. */
function stringList(value: unknown, field: string, max: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw chatParam(`${field} must be a list of strings`);
  if (value.length > max) throw fieldValidationFailed(`${field}: at most ${max} items`);
  return value as string[];
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw chatParam(`${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function booleanParam(value: string | undefined, field: string): boolean {
  if (value === undefined || value === '') return false;
  if (value !== 'true' && value !== 'false') throw chatParam(`${field} must be true or false`);
  return value === 'true';
}

function timeParam(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value)) throw invalidParam(`${field} must be a timestamp in milliseconds`);
  return Number(value);
}

function pageOffset(token: string): number {
  const offset = Number(/^pins:(\d+)$/.exec(Buffer.from(token, 'base64').toString())?.[1]);
  if (!Number.isInteger(offset)) throw invalidParam('invalid page_token');
  return offset;
}

function emptySort() {
  return {
    newUsers: [] as { id: string; user: DirectoryUser }[],
    alreadyIn: [] as string[],
    resigned: [] as string[],
    unreachable: [] as string[],
    unknown: [] as string[],
    emptyOrUnknownApp: [] as string[],
  };
}

function pinObject(pin: SandboxPin): Record<string, unknown> {
  return {
    message_id: pin.messageId,
    chat_id: pin.chatId,
    operator_id: pin.operatorId,
    operator_id_type: pin.operatorIdType,
    create_time: String(pin.createTime),
  };
}

/** Group errors answer HTTP 400 with Lark's short message; the sandbox adds the ids it refused. */
function chatError(code: number, msg: string, ids?: string[]): LarkApiError {
  return new LarkApiError(400, code, ids === undefined || ids.length === 0 ? msg : `${msg} ids: ${JSON.stringify(ids)}`);
}

function chatParam(detail: string): LarkApiError {
  return new LarkApiError(400, LarkErrorCode.chatInvalidParam, `Your request contains an invalid request parameter. ${detail}`);
}

function noValidMembers(): LarkApiError {
  return chatError(LarkErrorCode.noValidMembers, 'There are no valid members in the ID list specified in your request.');
}

/** The gateway's answer to ids it cannot resolve (CHAT_DOCS.addMembers: 99992351, 99992360, 99992364). */
function notExisted(idType: UserIdType, ids: string[]): LarkApiError {
  const code = { open_id: LarkErrorCode.openIdsNotExisted, user_id: LarkErrorCode.userIdsNotExisted, union_id: LarkErrorCode.unionIdsNotExisted }[idType];
  const msg = idType === 'open_id' ? `these open ids not existed: ${JSON.stringify(ids)}` : 'Your request contains not existed id.';
  return new LarkApiError(400, code, msg);
}

function success(data: unknown): ApiResponse {
  return { status: 200, body: { code: 0, msg: 'success', data } };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Characters as Lark counts them (code points, so 一 is one). */
function chars(text: string): number {
  return [...text].length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
