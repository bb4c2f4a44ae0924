import { newChatId, stableId } from './ids';
import type { SandboxChat, SandboxUser } from './types';

/** A user with every id filled in. */
export type DirectoryUser = SandboxUser & { userId: string; unionId: string };

/** A group, or a bot↔user single chat. `memberOpenIds` excludes the bot. */
export interface DirectoryChat {
  chatId: string;
  name: string;
  type: 'group' | 'p2p';
  memberOpenIds: string[];
  botIsMember: boolean;
  /** For p2p: the user. */
  p2pOpenId?: string;
  /** Set for groups the bot created with POST /im/v1/chats. */
  created?: CreatedGroup;
}

/** What a group created through the API carries beyond a seeded one. */
export interface CreatedGroup {
  description: string;
  i18nNames?: { zh_cn?: string; en_us?: string; ja_jp?: string };
  /** The user who owns the group; undefined when the bot does (no owner_id at creation). */
  ownerOpenId?: string;
  /** set_bot_manager at creation: the bot is a manager of a group a user owns. */
  botIsManager: boolean;
  chatType: 'private' | 'public';
  membershipApproval: 'no_approval_required' | 'approval_required';
  pinManageSetting: 'only_owner' | 'all_members';
  createTime: number;
}

export type UserIdType = 'open_id' | 'user_id' | 'union_id';

/** The tenant's people and chats, in memory. */
export class Directory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly chats = new Map<string, DirectoryChat>();
  private readonly p2pChatIdByOpenId = new Map<string, string>();

  /** Adds a user, or replaces the one with the same open_id. */
  addUser(user: SandboxUser): void {
    this.users.set(user.openId, {
      ...user,
      userId: user.userId ?? stableId('', `user_id:${user.openId}`, 8),
      unionId: user.unionId ?? stableId('on_', `union_id:${user.openId}`, 32),
    });
  }

  /** Adds a group, or replaces the one with the same chat_id. */
  addChat(chat: SandboxChat): void {
    this.chats.set(chat.chatId, {
      chatId: chat.chatId,
      name: chat.name,
      type: 'group',
      memberOpenIds: [...chat.memberOpenIds],
      botIsMember: chat.botIsMember ?? true,
    });
  }

  /** Adds a group created through the API (the bot is in it). */
  addCreatedGroup(chat: { chatId: string; name: string; memberOpenIds: string[]; created: CreatedGroup }): DirectoryChat {
    const group: DirectoryChat = { ...chat, type: 'group', memberOpenIds: [...chat.memberOpenIds], botIsMember: true };
    this.chats.set(group.chatId, group);
    return group;
  }

  /** Every group created through the API, oldest first. */
  createdGroups(): DirectoryChat[] {
    return [...this.chats.values()].filter((chat) => chat.created !== undefined);
  }

  user(openId: string): DirectoryUser | undefined {
    return this.users.get(openId);
  }

  /** Finds a user by any id Lark accepts as a receive_id. Emails compare case-insensitively. */
  findUser(idType: UserIdType | 'email', id: string): DirectoryUser | undefined {
    for (const user of this.users.values()) {
      if (idType === 'email') {
        if (user.email !== undefined && user.email.toLowerCase() === id.toLowerCase()) return user;
      } else if (userIdOf(user, idType) === id) {
        return user;
      }
    }
    return undefined;
  }

  /** Finds a user by mobile number, ignoring punctuation and a +86 country code. */
  findUserByMobile(mobile: string): DirectoryUser | undefined {
    const wanted = normalizeMobile(mobile);
    for (const user of this.users.values()) {
      if (user.mobile !== undefined && normalizeMobile(user.mobile) === wanted) return user;
    }
    return undefined;
  }

  chat(chatId: string): DirectoryChat | undefined {
    return this.chats.get(chatId);
  }

  /** The bot's single chat with `openId`, created on first use (as Lark does on the first message). */
  p2pChat(openId: string, chatId?: string): DirectoryChat {
    const existing = this.p2pChatIdByOpenId.get(openId);
    if (existing !== undefined) {
      const chat = this.chats.get(existing);
      if (chat !== undefined) return chat;
    }
    const chat: DirectoryChat = {
      chatId: chatId ?? newChatId(),
      name: this.users.get(openId)?.name ?? '',
      type: 'p2p',
      memberOpenIds: [openId],
      botIsMember: true,
      p2pOpenId: openId,
    };
    this.chats.set(chat.chatId, chat);
    this.p2pChatIdByOpenId.set(openId, chat.chatId);
    return chat;
  }
}

/** Whether the app may reach this user: in its availability (可用范围) and not resigned. */
export function isReachable(user: DirectoryUser): boolean {
  return user.available !== false && user.resigned !== true;
}

/** Whether the bot may act as owner or manager in a group (add with approval, pin when only_owner). */
export function botManages(chat: DirectoryChat): boolean {
  return chat.created === undefined || chat.created.ownerOpenId === undefined || chat.created.botIsManager;
}

export function userIdOf(user: DirectoryUser, idType: UserIdType): string {
  switch (idType) {
    case 'open_id':
      return user.openId;
    case 'user_id':
      return user.userId;
    case 'union_id':
      return user.unionId;
  }
}

export function isUserIdType(value: unknown): value is UserIdType {
  return value === 'open_id' || value === 'user_id' || value === 'union_id';
}

function normalizeMobile(mobile: string): string {
  const digits = mobile.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}
