import type { Server } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../jobs/base/logger';
import { LarkApi, LarkCallError } from '../../jobs/send/lark-api';
import { LarkErrorCode, type LarkSandbox, type SandboxUser } from '../../sandbox/lark-sandbox';
import {
  ALICE,
  BOB,
  CAROL,
  GROUP,
  GROUP_WITHOUT_BOT,
  larkFailure,
  manualClock,
  sharedCard,
  silentLogger,
  startSandbox,
  startSdkWebhook,
  textContent,
  uncachedClient,
} from './support';

/** Outside the app's availability (可用范围). */
const DAVE: SandboxUser = { openId: 'ou_dave', name: '赵六', available: false };
/** Left the organisation (已离职). */
const ERIN: SandboxUser = { openId: 'ou_erin', name: '钱七', resigned: true };
const SECOND = 1000;

let sandbox: LarkSandbox | undefined;
let webhookServer: Server | undefined;
let wsClient: lark.WSClient | undefined;
afterEach(async () => {
  wsClient?.close({ force: true });
  await sandbox?.stop();
  await new Promise((resolve) => (webhookServer ? webhookServer.close(resolve) : resolve(undefined)));
  sandbox = undefined;
  webhookServer = undefined;
  wsClient = undefined;
});

/** A sandbox on a hand-moved clock, with two more users: one outside the availability, one resigned. */
async function setUp(overrides: Parameters<typeof startSandbox>[0] = {}) {
  const clock = manualClock();
  const started = await startSandbox({ users: [ALICE, BOB, CAROL, DAVE, ERIN], now: clock.now, ...overrides });
  sandbox = started.sandbox;
  const { client } = started;
  /** Creates a group through the SDK, one sandbox second after the last, so the 1/s create limit never bites. */
  const createChat = (
    data: NonNullable<Parameters<typeof client.im.v1.chat.create>[0]>['data'],
    params: NonNullable<Parameters<typeof client.im.v1.chat.create>[0]>['params'] = {},
  ) => {
    clock.advance(SECOND);
    return client.im.v1.chat.create({ params, data });
  };
  const addMembers = (
    chatId: string,
    ids: string[],
    params: { member_id_type?: 'open_id' | 'user_id' | 'union_id' | 'app_id'; succeed_type?: number } = {},
  ) => {
    clock.advance(SECOND);
    return client.im.v1.chatMembers.create({ path: { chat_id: chatId }, params, data: { id_list: ids } });
  };
  const sendText = (chatId: string, text: string) =>
    client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: 'text', content: textContent(text) } });
  return { ...started, clock, createChat, addMembers, sendText };
}

async function projectGroup(s: Awaited<ReturnType<typeof setUp>>, ownerOpenId?: string) {
  const created = await s.createChat(
    {
      name: '专班·富硒茶深加工',
      description: 'ZS-2026-0001 专班',
      user_id_list: [ALICE.openId, BOB.openId],
      ...(ownerOpenId ? { owner_id: ownerOpenId } : {}),
    },
    ownerOpenId ? { set_bot_manager: true } : {},
  );
  return created.data?.chat_id ?? '';
}

/** A bot webhook as the SDK's docs build it, recording the events it is handed. */
async function startWebhook(options: { encryptKey: string; verificationToken: string }) {
  const received: Record<string, unknown>[] = [];
  const dispatcher = new lark.EventDispatcher({ ...options, logger: silentLogger }).register({
    'im.chat.member.bot.deleted_v1': async (data: Record<string, unknown>) => {
      received.push(data);
    },
  } as Record<string, (data: Record<string, unknown>) => Promise<void>>);
  const { url, server } = await startSdkWebhook(dispatcher);
  webhookServer = server;
  return { url, received };
}

describe('creating a group (POST /im/v1/chats)', () => {
  it("answers Lark's chat object and puts the group in the directory with the bot as owner", async () => {
    const s = await setUp();
    const created = await s.createChat({ name: '专班·富硒茶深加工', description: 'ZS-2026-0001 专班', user_id_list: [ALICE.openId, BOB.openId] });

    expect(created.code).toBe(0);
    expect(created.data).toMatchObject({
      chat_id: expect.stringMatching(/^oc_[0-9a-f]{32}$/),
      name: '专班·富硒茶深加工',
      description: 'ZS-2026-0001 专班',
      chat_mode: 'group',
      chat_type: 'private',
      group_message_type: 'chat',
      chat_tag: 'inner',
      external: false,
      tenant_key: s.sandbox.tenantKey,
      membership_approval: 'no_approval_required',
      add_member_permission: 'all_members',
    });
    // The bot owns it: Lark leaves owner_id out.
    expect(created.data?.owner_id).toBeUndefined();
    const chatId = created.data?.chat_id ?? '';
    expect(s.sandbox.createdChats()).toEqual([
      expect.objectContaining({ chatId, name: '专班·富硒茶深加工', memberOpenIds: [ALICE.openId, BOB.openId], botIsMember: true }),
    ]);

    // It is a group like any other: its members are listed, messages reach it, events come from it.
    const members = await s.client.im.v1.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' } });
    expect(members.data?.items?.map((m) => m.member_id)).toEqual([ALICE.openId, BOB.openId]);
    const sent = await s.sendText(chatId, '专班群已建立');
    expect(sent.data?.chat_id).toBe(chatId);
    const event = s.sandbox.messageEvent({
      chatId,
      chatType: 'group',
      senderOpenId: BOB.openId,
      text: '@_user_1 /项目',
      mentions: [{ key: '@_user_1', openId: s.sandbox.botOpenId }],
    });
    expect(event.event.message.chat_id).toBe(chatId);
  });

  it("offers the group's members, and only them, in a card's person picker", async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    const card = {
      ...sharedCard('指派'),
      body: {
        elements: [
          {
            tag: 'form',
            name: 'f',
            elements: [
              { tag: 'select_person', name: 'who' },
              {
                tag: 'button',
                name: 'ok',
                text: { tag: 'plain_text', content: '确定' },
                form_action_type: 'submit',
                behaviors: [{ type: 'callback', value: { a: 1 } }],
              },
            ],
          },
        ],
      },
    };
    const sent = await s.client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card) },
    });
    const pick = (who: string) => () =>
      s.sandbox.cardActionEvent({ operatorOpenId: ALICE.openId, messageId: sent.data?.message_id ?? '', value: { a: 1 }, formValue: { who } });
    expect(pick(BOB.openId)).not.toThrow();
    expect(pick(CAROL.openId)).toThrow(/does not offer/);
  });

  it('makes owner_id the owner, answers it in the asked id type, and adds the owner as a member', async () => {
    const s = await setUp();
    const created = await s.createChat({ name: '专班', owner_id: CAROL.openId, user_id_list: [ALICE.openId] }, { set_bot_manager: true });
    expect(created.data).toMatchObject({ owner_id: CAROL.openId, owner_id_type: 'open_id' });
    expect(s.sandbox.createdChats()[0]).toMatchObject({ ownerOpenId: CAROL.openId, memberOpenIds: [CAROL.openId, ALICE.openId] });
  });

  it('creates one group per uuid and owner within 10 hours, answering the same group again', async () => {
    const s = await setUp();
    const create = (name: string, owner_id?: string) =>
      s.createChat({ name, user_id_list: [ALICE.openId], ...(owner_id ? { owner_id } : {}) }, { uuid: 'project-ZS-2026-0001' });
    const first = await create('专班一');
    const again = await create('专班一（重试）');
    expect(again.data?.chat_id).toBe(first.data?.chat_id);
    expect(again.data?.name).toBe('专班一');
    expect(s.sandbox.createdChats()).toHaveLength(1);

    // The window is keyed on uuid + owner_id.
    const otherOwner = await create('专班二', BOB.openId);
    expect(otherOwner.data?.chat_id).not.toBe(first.data?.chat_id);

    // Ten hours on: a fresh token (the SDK caches on the real clock), and a second group for the uuid.
    s.clock.advance(10 * 60 * 60 * SECOND);
    const later = await uncachedClient(s.sandbox, s.options).im.v1.chat.create({ params: { uuid: 'project-ZS-2026-0001' }, data: { name: '专班三' } });
    expect(later.data?.chat_id).not.toBe(first.data?.chat_id);
    expect(s.sandbox.createdChats()).toHaveLength(3);
  });

  it('refuses the whole request for an unknown, unavailable or resigned user, or an unknown owner: no group is made', async () => {
    const s = await setUp();
    const refused = (data: Parameters<typeof s.createChat>[0]) => larkFailure(s.createChat(data));
    expect(await refused({ name: '专班', user_id_list: [ALICE.openId, 'ou_nobody'] })).toMatchObject({ status: 400, code: LarkErrorCode.unavailableIds });
    expect(await refused({ name: '专班', user_id_list: [ALICE.openId, DAVE.openId] })).toMatchObject({ status: 400, code: LarkErrorCode.unavailableIds });
    expect(await refused({ name: '专班', user_id_list: [ERIN.openId] })).toMatchObject({ status: 400, code: LarkErrorCode.userResigned });
    expect(await refused({ name: '专班', owner_id: 'ou_nobody' })).toMatchObject({ status: 400, code: LarkErrorCode.invalidUserId });
    expect(await refused({ name: '专班', bot_id_list: ['cli_someotherbot000'] })).toMatchObject({ status: 400, code: LarkErrorCode.unavailableIds });
    expect(s.sandbox.createdChats()).toHaveLength(0);
  });

  it('refuses over-long lists, names and descriptions, and bad settings', async () => {
    const s = await setUp();
    const refused = (data: Parameters<typeof s.createChat>[0], params: Parameters<typeof s.createChat>[1] = {}) => larkFailure(s.createChat(data, params));
    const fiftyOne = Array.from({ length: 51 }, () => ALICE.openId);
    expect(await refused({ name: '专班', user_id_list: fiftyOne })).toMatchObject({ status: 400, code: LarkErrorCode.fieldValidationFailed });
    expect(await refused({ name: '专班' }, { uuid: 'u'.repeat(51) })).toMatchObject({ status: 400, code: LarkErrorCode.fieldValidationFailed });
    expect(await refused({ name: '项'.repeat(61) })).toMatchObject({ status: 400, code: LarkErrorCode.chatInvalidParam });
    expect(await refused({ name: '专班', description: '述'.repeat(101) })).toMatchObject({ status: 400, code: LarkErrorCode.chatInvalidParam });
    expect(await refused({ name: '专班', chat_mode: 'topic' })).toMatchObject({ status: 400, code: LarkErrorCode.chatInvalidParam });
    expect(await refused({ name: '专班', chat_type: 'public', join_message_visibility: 'everyone' })).toMatchObject({ code: LarkErrorCode.chatInvalidParam });
    expect(await refused({ chat_type: 'public' })).toMatchObject({ status: 400, code: LarkErrorCode.publicNameMissing });
    expect(await refused({ name: '班', chat_type: 'public' })).toMatchObject({ status: 400, code: LarkErrorCode.publicNameTooShort });
    expect(await refused({ name: '专班', external: true })).toMatchObject({ status: 400, code: LarkErrorCode.externalChatNotAllowed });
    expect(s.sandbox.createdChats()).toHaveLength(0);

    // 60 characters and 100 are fine; a private group without a name is "(无主题)".
    expect((await s.createChat({ name: '项'.repeat(60), description: '述'.repeat(100) })).code).toBe(0);
    expect((await s.createChat({})).data?.name).toBe('(无主题)');
  });

  it('answers 232019 to a second group within a second, and the gateway 429 past 50 a second', async () => {
    const s = await setUp({ limits: { chatCreatesPerSecond: 1, appPerSecond: 2 } });
    const create = () => s.client.im.v1.chat.create({ data: { name: '专班' } });
    expect((await create()).code).toBe(0);
    expect(await larkFailure(create())).toMatchObject({ status: 400, code: LarkErrorCode.chatRateLimited });
    expect(await larkFailure(create())).toMatchObject({ status: 429, code: LarkErrorCode.gatewayRateLimited });
    s.clock.advance(SECOND);
    expect((await create()).code).toBe(0);
  });
});

describe('adding members (POST /im/v1/chats/:chat_id/members)', () => {
  it('adds users and answers the three lists, empty', async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    const added = await s.addMembers(chatId, [CAROL.openId, ALICE.openId]);
    expect(added.code).toBe(0);
    expect(added.data).toEqual({ invalid_id_list: [], not_existed_id_list: [], pending_approval_id_list: [] });
    expect(s.sandbox.createdChats()[0]?.memberOpenIds).toEqual([ALICE.openId, BOB.openId, CAROL.openId]);
  });

  it('by default refuses unknown ids (99992351) and users outside the availability (232024), and adds around resigned ones', async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    expect(await larkFailure(s.addMembers(chatId, [CAROL.openId, 'ou_nobody']))).toMatchObject({ status: 400, code: LarkErrorCode.openIdsNotExisted });
    expect(await larkFailure(s.addMembers(chatId, [CAROL.openId, DAVE.openId]))).toMatchObject({ status: 400, code: LarkErrorCode.userNotVisibleToApp });
    expect(await larkFailure(s.addMembers(chatId, [CAROL.openId, '']))).toMatchObject({ status: 400, code: LarkErrorCode.unavailableIds });
    expect(s.sandbox.createdChats()[0]?.memberOpenIds).not.toContain(CAROL.openId);

    const withResigned = await s.addMembers(chatId, [CAROL.openId, ERIN.openId]);
    expect(withResigned.data?.invalid_id_list).toEqual([ERIN.openId]);
    expect(s.sandbox.createdChats()[0]?.memberOpenIds).toContain(CAROL.openId);
  });

  it('with succeed_type 1 adds what it can and lists the rest; with 2 refuses any unusable id', async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    const partial = await s.addMembers(chatId, [CAROL.openId, DAVE.openId, ERIN.openId, 'ou_nobody'], { succeed_type: 1 });
    expect(partial.data).toEqual({ invalid_id_list: [ERIN.openId, DAVE.openId], not_existed_id_list: ['ou_nobody'], pending_approval_id_list: [] });
    expect(s.sandbox.createdChats()[0]?.memberOpenIds).toContain(CAROL.openId);

    expect(await larkFailure(s.addMembers(chatId, [ERIN.openId], { succeed_type: 2 }))).toMatchObject({ code: LarkErrorCode.unavailableIds });
    // Nothing usable at all.
    expect(await larkFailure(s.addMembers(chatId, ['ou_nobody'], { succeed_type: 1 }))).toMatchObject({ code: LarkErrorCode.noValidMembers });
    expect(await larkFailure(s.addMembers(chatId, []))).toMatchObject({ status: 400, code: LarkErrorCode.noValidMembers });
  });

  it('accepts user_id and union_id, and refuses an unknown one with its own code', async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    // Carol's user_id, read back as Lark would show it.
    await s.addMembers(chatId, [CAROL.openId]);
    const members = await s.client.im.v1.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'user_id' } });
    const carolUserId = members.data?.items?.find((m) => m.name === CAROL.name)?.member_id ?? '';
    expect((await s.addMembers(chatId, [carolUserId], { member_id_type: 'user_id' })).code).toBe(0);
    expect(await larkFailure(s.addMembers(chatId, ['nobody'], { member_id_type: 'user_id' }))).toMatchObject({ code: LarkErrorCode.userIdsNotExisted });
    expect(await larkFailure(s.addMembers(chatId, ['on_nobody'], { member_id_type: 'union_id' }))).toMatchObject({ code: LarkErrorCode.unionIdsNotExisted });
  });

  it('refuses an unknown chat, a single chat, a group without the bot, too many ids and a full group', async () => {
    const s = await setUp({ limits: { chatMembers: 3 } });
    const chatId = await projectGroup(s);
    expect(await larkFailure(s.addMembers('oc_nothing', [CAROL.openId]))).toMatchObject({ status: 400, code: LarkErrorCode.invalidChatId });
    expect(await larkFailure(s.addMembers(s.sandbox.p2pChatId(ALICE.openId), [CAROL.openId]))).toMatchObject({ code: LarkErrorCode.unsupportedChatType });
    expect(await larkFailure(s.addMembers(GROUP_WITHOUT_BOT.chatId, [CAROL.openId]))).toMatchObject({ status: 400, code: LarkErrorCode.operatorNotInChat });
    const fiftyOne = Array.from({ length: 51 }, () => CAROL.openId);
    expect(await larkFailure(s.addMembers(chatId, fiftyOne))).toMatchObject({ status: 400, code: LarkErrorCode.chatInvalidParam });

    expect((await s.addMembers(chatId, [CAROL.openId])).code).toBe(0); // 3 of 3
    s.sandbox.addUser({ openId: 'ou_frank', name: '孙八' });
    expect(await larkFailure(s.addMembers(chatId, ['ou_frank']))).toMatchObject({ status: 400, code: LarkErrorCode.chatMemberLimit });
  });

  it('answers 232019 to a second addition to the same group within a second', async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    const add = (id: string) => s.client.im.v1.chatMembers.create({ path: { chat_id: chatId }, data: { id_list: [id] } });
    expect((await add(CAROL.openId)).code).toBe(0);
    expect(await larkFailure(add(CAROL.openId))).toMatchObject({ status: 400, code: LarkErrorCode.chatRateLimited });
  });

  it('leaves invitations pending in a group that asks for approval when the bot neither owns nor manages it', async () => {
    const s = await setUp();
    const created = await s.createChat({ name: '专班', owner_id: ALICE.openId, membership_approval: 'approval_required' });
    const chatId = created.data?.chat_id ?? '';
    const added = await s.addMembers(chatId, [CAROL.openId]);
    expect(added.data?.pending_approval_id_list).toEqual([CAROL.openId]);
    expect(s.sandbox.createdChats()[0]?.memberOpenIds).toEqual([ALICE.openId]);
  });
});

describe('pins (POST and GET /im/v1/pins)', () => {
  it("pins the bot's message, answers the same pin again, and lists pins newest first", async () => {
    const s = await setUp();
    const chatId = await projectGroup(s);
    const card = await s.client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(sharedCard('ZS-2026-0001 富硒茶深加工')) },
    });
    const cardId = card.data?.message_id ?? '';
    const pinned = await s.client.im.v1.pin.create({ data: { message_id: cardId } });
    expect(pinned.data?.pin).toEqual({
      message_id: cardId,
      chat_id: chatId,
      operator_id: s.options.appId,
      operator_id_type: 'app_id',
      create_time: String(s.clock.now()),
    });

    s.clock.advance(SECOND);
    const again = await s.client.im.v1.pin.create({ data: { message_id: cardId } });
    expect(again.data?.pin).toEqual(pinned.data?.pin);

    const user = s.sandbox.messageEvent({ chatId, chatType: 'group', senderOpenId: ALICE.openId, text: '客商下周来考察' });
    await s.client.im.v1.pin.create({ data: { message_id: user.event.message.message_id } });
    const list = await s.client.im.v1.pin.list({ params: { chat_id: chatId } });
    expect(list.data?.items?.map((p) => p.message_id)).toEqual([user.event.message.message_id, cardId]);
    expect(list.data?.has_more).toBe(false);
    expect(list.data?.page_token).toBeUndefined();
    expect(s.sandbox.pins(chatId)).toHaveLength(2);

    const firstPage = await s.client.im.v1.pin.list({ params: { chat_id: chatId, page_size: 1 } });
    expect(firstPage.data).toMatchObject({ has_more: true, items: [{ message_id: user.event.message.message_id }] });
    const secondPage = await s.client.im.v1.pin.list({ params: { chat_id: chatId, page_size: 1, page_token: firstPage.data?.page_token } });
    expect(secondPage.data?.items?.map((p) => p.message_id)).toEqual([cardId]);
  });

  it('refuses an unknown message, a bad page size, and more than 5 pins of one message a second', async () => {
    const s = await setUp();
    const sent = await s.sendText(GROUP.chatId, '公告');
    const messageId = sent.data?.message_id ?? '';
    expect(await larkFailure(s.client.im.v1.pin.create({ data: { message_id: 'om_nothing' } }))).toMatchObject({
      status: 400,
      code: LarkErrorCode.imInvalidParam,
    });
    expect(await larkFailure(s.client.im.v1.pin.list({ params: { chat_id: GROUP.chatId, page_size: 51 } }))).toMatchObject({
      code: LarkErrorCode.fieldValidationFailed,
    });
    expect(await larkFailure(s.client.im.v1.pin.list({ params: { chat_id: 'oc_nothing' } }))).toMatchObject({ code: LarkErrorCode.imInvalidParam });
    for (let i = 0; i < 5; i++) expect((await s.client.im.v1.pin.create({ data: { message_id: messageId } })).code).toBe(0);
    expect(await larkFailure(s.client.im.v1.pin.create({ data: { message_id: messageId } }))).toMatchObject({
      status: 400,
      code: LarkErrorCode.pinRateLimited,
    });
  });

  it('refuses a pin where only the owner may pin and the bot neither owns nor manages the group', async () => {
    const s = await setUp();
    const created = await s.createChat({ name: '专班', owner_id: ALICE.openId, pin_manage_setting: 'only_owner' });
    const chatId = created.data?.chat_id ?? '';
    const sent = await s.sendText(chatId, '项目卡片');
    expect(await larkFailure(s.client.im.v1.pin.create({ data: { message_id: sent.data?.message_id ?? '' } }))).toMatchObject({
      status: 400,
      code: LarkErrorCode.pinNoPermission,
    });

    const managed = await s.createChat({ name: '专班二', owner_id: ALICE.openId, pin_manage_setting: 'only_owner' }, { set_bot_manager: true });
    const card = await s.sendText(managed.data?.chat_id ?? '', '项目卡片');
    expect((await s.client.im.v1.pin.create({ data: { message_id: card.data?.message_id ?? '' } })).code).toBe(0);
  });
});

describe('the bot removed from a group', () => {
  it('is told by a signed, encrypted im.chat.member.bot.deleted_v1 event, and is refused there from then on', async () => {
    const s = await setUp();
    const webhook = await startWebhook(s.options);
    const chatId = await projectGroup(s, ALICE.openId);
    const card = await s.sendText(chatId, '项目卡片');
    const cardId = card.data?.message_id ?? '';

    const event = s.sandbox.removeBotFromChat(chatId, ALICE.openId);
    const delivered = await s.sandbox.deliverEvent(webhook.url, event);
    expect(delivered.status).toBe(200);
    expect(webhook.received).toEqual([
      expect.objectContaining({
        event_type: 'im.chat.member.bot.deleted_v1',
        chat_id: chatId,
        name: '专班·富硒茶深加工',
        external: false,
        operator_tenant_key: s.sandbox.tenantKey,
        operator_id: expect.objectContaining({ open_id: ALICE.openId }),
      }),
    ]);
    expect(s.sandbox.createdChats()[0]?.botIsMember).toBe(false);

    // As in a group the bot was never in: sends and replies 230002, pins 230002, member calls 232011.
    expect(await larkFailure(s.sendText(chatId, '还在吗'))).toMatchObject({ status: 400, code: LarkErrorCode.botNotInChat });
    const reply = s.client.im.v1.message.reply({ path: { message_id: cardId }, data: { msg_type: 'text', content: textContent('回复') } });
    expect(await larkFailure(reply)).toMatchObject({ status: 400, code: LarkErrorCode.botNotInChat });
    expect(await larkFailure(s.client.im.v1.pin.create({ data: { message_id: cardId } }))).toMatchObject({ status: 400, code: LarkErrorCode.botNotInChat });
    expect(await larkFailure(s.client.im.v1.pin.list({ params: { chat_id: chatId } }))).toMatchObject({ code: LarkErrorCode.botNotInChat });
    expect(await larkFailure(s.addMembers(chatId, [CAROL.openId]))).toMatchObject({ status: 400, code: LarkErrorCode.operatorNotInChat });
    expect(await larkFailure(s.client.im.v1.chatMembers.get({ path: { chat_id: chatId } }))).toMatchObject({ code: LarkErrorCode.operatorNotInChat });
    // Lark sends the bot no message events from there.
    expect(() => s.sandbox.messageEvent({ chatId, chatType: 'group', senderOpenId: ALICE.openId, text: 'hi' })).toThrow(/not in/);
  });

  it('reaches a bot on the long connection the same way', async () => {
    const s = await setUp();
    const received: Record<string, unknown>[] = [];
    const dispatcher = new lark.EventDispatcher({ logger: silentLogger }).register({
      'im.chat.member.bot.deleted_v1': async (data: Record<string, unknown>) => {
        received.push(data);
      },
    } as Record<string, (data: Record<string, unknown>) => Promise<void>>);
    wsClient = new lark.WSClient({ appId: s.options.appId, appSecret: s.options.appSecret, domain: s.sandbox.url, logger: silentLogger });
    await wsClient.start({ eventDispatcher: dispatcher });
    const chatId = await projectGroup(s, ALICE.openId);

    const answer = await s.sandbox.pushEvent(s.sandbox.removeBotFromChat(chatId, ALICE.openId));
    expect(answer.code).toBe(200);
    expect(received).toEqual([expect.objectContaining({ event_type: 'im.chat.member.bot.deleted_v1', chat_id: chatId })]);
  });

  it('cannot be done to the owner, nor by a member who is not the owner', async () => {
    const s = await setUp();
    const botOwned = await projectGroup(s);
    expect(() => s.sandbox.removeBotFromChat(botOwned, ALICE.openId)).toThrow(/232076/);
    const aliceOwned = await projectGroup(s, ALICE.openId);
    expect(() => s.sandbox.removeBotFromChat(aliceOwned, BOB.openId)).toThrow(/only the owner/);
    expect(() => s.sandbox.removeBotFromChat(aliceOwned, CAROL.openId)).toThrow(/not in/);
    // A seeded group records no owner: any member may.
    expect(() => s.sandbox.removeBotFromChat(GROUP.chatId, CAROL.openId)).not.toThrow();
  });
});

describe('users outside the app', () => {
  it('are refused as message receivers with 230013, like unknown users', async () => {
    const s = await setUp();
    for (const user of [DAVE, ERIN]) {
      const send = s.client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: user.openId, msg_type: 'text', content: textContent('hi') },
      });
      expect(await larkFailure(send)).toMatchObject({ status: 400, code: LarkErrorCode.userOutsideAvailability });
    }
  });
});

describe('LarkApi: createChat, addChatMembers, pinMessage', () => {
  async function api() {
    const s = await setUp();
    return { ...s, larkApi: new LarkApi({ ...s.options, domain: s.sandbox.url }, createLogger('silent')) };
  }

  it('creates a group once per uuid, adds members reporting the refused ones, and pins the project card', async () => {
    const { sandbox: sb, clock, larkApi } = await api();
    const input = {
      name: '专班·富硒茶深加工',
      description: 'ZS-2026-0001',
      userOpenIds: [ALICE.openId, BOB.openId],
      uuid: 'zs-2026-0001-group',
      ownerOpenId: ALICE.openId,
    };
    const { chatId } = await larkApi.createChat(input);
    expect(sb.createdChats()).toEqual([expect.objectContaining({ chatId, ownerOpenId: ALICE.openId, memberOpenIds: [ALICE.openId, BOB.openId] })]);
    clock.advance(SECOND);
    expect(await larkApi.createChat(input)).toEqual({ chatId });
    expect(sb.createdChats()).toHaveLength(1);

    const added = await larkApi.addChatMembers(chatId, [CAROL.openId, DAVE.openId, 'ou_nobody']);
    expect(added).toEqual({ refusedOpenIds: [DAVE.openId, 'ou_nobody'], pendingOpenIds: [] });
    expect(sb.createdChats()[0]?.memberOpenIds).toContain(CAROL.openId);

    const card = await larkApi.send('chat_id', chatId, 'interactive', sharedCard('ZS-2026-0001'), 'card-1');
    await larkApi.pinMessage(card.messageId);
    await larkApi.pinMessage(card.messageId);
    expect(sb.pins(chatId).map((p) => p.messageId)).toEqual([card.messageId]);
  });

  it("surfaces Lark's refusals as final LarkCallErrors with their codes", async () => {
    const { sandbox: sb, clock, larkApi } = await api();
    const unavailable = await larkApi.createChat({ name: '专班', userOpenIds: [DAVE.openId], uuid: 'u-1' }).catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(LarkCallError);
    expect(unavailable).toMatchObject({ code: LarkErrorCode.unavailableIds, httpStatus: 400, retryable: false });

    clock.advance(SECOND);
    const { chatId } = await larkApi.createChat({ name: '专班', userOpenIds: [ALICE.openId], uuid: 'u-2', ownerOpenId: ALICE.openId });
    sb.removeBotFromChat(chatId, ALICE.openId);
    expect(await larkApi.addChatMembers(chatId, [BOB.openId]).catch((e: unknown) => e)).toMatchObject({
      code: LarkErrorCode.operatorNotInChat,
      retryable: false,
    });
    expect(await larkApi.pinMessage('om_nothing').catch((e: unknown) => e)).toMatchObject({ code: LarkErrorCode.imInvalidParam, retryable: false });
  });
});
