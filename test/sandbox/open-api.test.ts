import { afterEach, describe, expect, it } from 'vitest';
import { LarkErrorCode, type LarkSandbox } from '../../sandbox/lark-sandbox';
import { ALICE, BOB, CAROL, GROUP, GROUP_WITHOUT_BOT, larkFailure, manualClock, sharedCard, startSandbox, textContent, uncachedClient } from './support';

let sandbox: LarkSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function setUp(overrides: Parameters<typeof startSandbox>[0] = {}) {
  const started = await startSandbox(overrides);
  sandbox = started.sandbox;
  return started;
}

describe('tokens and auth', () => {
  it('issues a tenant token at the top level and the SDK uses it', async () => {
    const { sandbox, client } = await setUp();
    await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent('hi') },
    });

    const [tokenCall, sendCall] = sandbox.calls;
    expect(tokenCall?.path).toBe('/open-apis/auth/v3/tenant_access_token/internal');
    const token = tokenCall?.response as { code: number; tenant_access_token: string; expire: number };
    expect(token.code).toBe(0);
    expect(token.tenant_access_token).toMatch(/^t-/);
    expect(token.expire).toBe(7200);
    expect(sendCall?.headers.authorization).toBe(`Bearer ${token.tenant_access_token}`);
  });

  it('refuses a wrong app secret with a Lark code and no token', async () => {
    const { sandbox, options } = await setUp();
    const response = await fetch(`${sandbox.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: options.appId, app_secret: 'wrong' }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.code).toBe(LarkErrorCode.appCredentialsInvalid);
    expect(body.tenant_access_token).toBeUndefined();
  });

  it('answers a missing token with 99991661 and a bad or expired one with 99991663', async () => {
    const clock = manualClock();
    const { sandbox, options } = await setUp({ now: clock.now });
    const botInfo = (authorization?: string) => fetch(`${sandbox.url}/open-apis/bot/v3/info`, { headers: authorization ? { authorization } : {} });

    const missing = await botInfo();
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: number }).code).toBe(LarkErrorCode.missingToken);

    const bad = await botInfo('Bearer t-not-a-real-token');
    expect(((await bad.json()) as { code: number }).code).toBe(LarkErrorCode.invalidToken);

    const tokenResponse = await fetch(`${sandbox.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: options.appId, app_secret: options.appSecret }),
    });
    const { tenant_access_token: token } = (await tokenResponse.json()) as { tenant_access_token: string };
    expect((await botInfo(`Bearer ${token}`)).status).toBe(200);
    clock.advance(2 * 60 * 60 * 1000);
    const expired = await botInfo(`Bearer ${token}`);
    expect(((await expired.json()) as { code: number }).code).toBe(LarkErrorCode.invalidToken);
  });

  it('answers an unknown path with 404 and a Lark body', async () => {
    const { sandbox } = await setUp();
    const response = await fetch(`${sandbox.url}/open-apis/im/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: number }).code).toBe(LarkErrorCode.notFound);
  });
});

describe('sending', () => {
  it('sends text to a group and replies to it', async () => {
    const { sandbox, client } = await setUp();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent('新线索已登记') },
    });
    expect(sent.code).toBe(0);
    expect(sent.data?.message_id).toMatch(/^om_/);
    expect(sent.data?.chat_id).toBe(GROUP.chatId);
    expect(sent.data?.sender?.sender_type).toBe('app');
    expect(sent.data?.body?.content).toBe(textContent('新线索已登记'));

    const reply = await client.im.v1.message.reply({
      path: { message_id: sent.data?.message_id ?? '' },
      data: { msg_type: 'text', content: textContent('收到') },
    });
    expect(reply.data?.parent_id).toBe(sent.data?.message_id);
    expect(reply.data?.root_id).toBe(sent.data?.message_id);

    const [first, second] = sandbox.messages();
    expect(first).toMatchObject({ chatId: GROUP.chatId, chatType: 'group', receiveIdType: 'chat_id', content: { text: '新线索已登记' } });
    expect(second).toMatchObject({ chatId: GROUP.chatId, replyTo: first?.messageId, content: { text: '收到' } });
  });

  it('sends to a user by email into that user’s single chat', async () => {
    const { sandbox, client } = await setUp();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'email' },
      data: { receive_id: BOB.email, msg_type: 'text', content: textContent('请跟进') },
    });
    expect(sent.data?.chat_id).toBe(sandbox.p2pChatId(BOB.openId));
    expect(sandbox.messages()[0]).toMatchObject({ chatType: 'p2p', recipientOpenId: BOB.openId, receiveId: BOB.email });
  });

  it('refuses a group the bot is not in (230002) and an unknown user (230013)', async () => {
    const { sandbox, client } = await setUp();
    const notInGroup = await larkFailure(
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: GROUP_WITHOUT_BOT.chatId, msg_type: 'text', content: textContent('hi') },
      }),
    );
    expect(notInGroup).toMatchObject({ status: 400, code: LarkErrorCode.botNotInChat });

    const unknownUser = await larkFailure(
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_nobody', msg_type: 'text', content: textContent('hi') },
      }),
    );
    expect(unknownUser).toMatchObject({ status: 400, code: LarkErrorCode.userOutsideAvailability });
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('validates msg_type, content and sizes like Lark', async () => {
    const { client } = await setUp();
    const send = (msg_type: string, content: string) =>
      larkFailure(client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: GROUP.chatId, msg_type, content } }));

    expect((await send('telegram', textContent('x'))).code).toBe(LarkErrorCode.imInvalidParam);
    expect((await send('text', 'not json')).code).toBe(LarkErrorCode.imInvalidParam);
    expect((await send('interactive', '{"schema":"2.0", broken')).code).toBe(LarkErrorCode.cardBuildFailed);
    expect((await send('text', textContent('字'.repeat(52 * 1024)))).code).toBe(LarkErrorCode.contentTooLong);
    const bigCard = { ...sharedCard('大卡片'), body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] } };
    expect((await send('interactive', JSON.stringify(bigCard))).code).toBe(LarkErrorCode.contentTooLong);
  });

  it('delivers one message per uuid within an hour', async () => {
    const clock = manualClock();
    const { sandbox, client } = await setUp({ now: clock.now });
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent('提醒'), uuid: 'nudge-42-7d' },
      });

    const first = await send();
    const second = await send();
    expect(second.data?.message_id).toBe(first.data?.message_id);
    expect(sandbox.messages()).toHaveLength(1);

    clock.advance(60 * 60 * 1000 + 1);
    const later = await send();
    expect(later.data?.message_id).not.toBe(first.data?.message_id);
    expect(sandbox.messages()).toHaveLength(2);
  });
});

describe('cards', () => {
  it('updates a shared card and keeps the history', async () => {
    const { sandbox, client } = await setUp();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'interactive', content: JSON.stringify(sharedCard('待确认')) },
    });
    const messageId = sent.data?.message_id ?? '';
    const patched = await client.im.v1.message.patch({
      path: { message_id: messageId },
      data: { content: JSON.stringify(sharedCard('已确认')) },
    });
    expect(patched.code).toBe(0);

    const [card] = sandbox.messages();
    expect(card?.content).toEqual(sharedCard('待确认'));
    expect(card?.latestContent).toEqual(sharedCard('已确认'));
    expect(card?.updates).toHaveLength(1);
  });

  it('refuses to update a non-shared card, a text message, or a card older than 14 days', async () => {
    const clock = manualClock();
    const { sandbox, client, options } = await setUp({ now: clock.now });
    const send = async (msg_type: string, content: string) =>
      (
        await client.im.v1.message.create({
          params: { receive_id_type: 'chat_id' },
          data: { receive_id: GROUP.chatId, msg_type, content },
        })
      ).data?.message_id ?? '';
    const patch = (messageId: string) =>
      larkFailure(
        uncachedClient(sandbox, options).im.v1.message.patch({
          path: { message_id: messageId },
          data: { content: JSON.stringify(sharedCard('新')) },
        }),
      );

    const v1CardWithoutUpdateMulti = { header: { title: { tag: 'plain_text', content: '旧' } }, elements: [] };
    expect((await patch(await send('interactive', JSON.stringify(v1CardWithoutUpdateMulti)))).code).toBe(LarkErrorCode.imInvalidParam);
    expect((await patch(await send('text', textContent('hi')))).code).toBe(LarkErrorCode.imInvalidParam);

    const oldCard = await send('interactive', JSON.stringify(sharedCard('旧')));
    clock.advance(15 * 24 * 60 * 60 * 1000);
    expect((await patch(oldCard)).code).toBe(LarkErrorCode.updateWindowExpired);
  });

  it('buzzes members of the chat and lists the rest as invalid', async () => {
    const { sandbox, client } = await setUp();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'interactive', content: JSON.stringify(sharedCard('督办')) },
    });
    const buzz = await client.im.v1.message.urgentApp({
      path: { message_id: sent.data?.message_id ?? '' },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: [ALICE.openId, 'ou_stranger'] },
    });
    expect(buzz.data?.invalid_user_id_list).toEqual(['ou_stranger']);
    expect(sandbox.messages()[0]?.urgent).toMatchObject([{ kind: 'app', openIds: [ALICE.openId] }]);

    const userMessage = sandbox.messageEvent({ chatId: GROUP.chatId, chatType: 'group', senderOpenId: BOB.openId, text: 'hi' });
    const notOurs = await larkFailure(
      client.im.v1.message.urgentApp({
        path: { message_id: userMessage.event.message.message_id },
        params: { user_id_type: 'open_id' },
        data: { user_id_list: [ALICE.openId] },
      }),
    );
    expect(notOurs.code).toBe(LarkErrorCode.botNotSender);
  });
});

describe('limits and injected failures', () => {
  it('allows 5 messages per second into one chat, then answers 230020', async () => {
    const clock = manualClock();
    const { client } = await setUp({ now: clock.now });
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent('刷屏') },
      });
    for (let i = 0; i < 5; i++) await send();
    expect(await larkFailure(send())).toMatchObject({ status: 400, code: LarkErrorCode.imRateLimited });

    clock.advance(1000);
    expect((await send()).code).toBe(0);
  });

  it('answers the app-wide limit with HTTP 429, 99991400 and x-ogw-ratelimit-reset', async () => {
    const clock = manualClock();
    const { client } = await setUp({ now: clock.now, limits: { appPerSecond: 3, appPerMinute: 5 } });
    const send = (openId: string) =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: openId, msg_type: 'text', content: textContent('通知') },
      });
    await send(ALICE.openId);
    await send(BOB.openId);
    await send(CAROL.openId);
    const perSecond = await larkFailure(send(ALICE.openId));
    expect(perSecond).toMatchObject({ status: 429, code: LarkErrorCode.gatewayRateLimited });
    expect(perSecond.headers['x-ogw-ratelimit-reset']).toBe('1');

    clock.advance(1000);
    await send(ALICE.openId);
    await send(BOB.openId);
    const perMinute = await larkFailure(send(CAROL.openId));
    expect(perMinute.status).toBe(429);
    expect(Number(perMinute.headers['x-ogw-ratelimit-reset'])).toBe(59);
  });

  it('fails the next matching calls as told, then behaves again', async () => {
    const { sandbox, client } = await setUp();
    sandbox.failNext(1, { status: 500, code: 1, msg: 'internal error' });
    sandbox.failNext(1, { status: 400, code: LarkErrorCode.botNotInChat }, (call) => call.path.endsWith('/reply'));
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent('x') },
      });

    expect(await larkFailure(send())).toMatchObject({ status: 500, code: 1 });
    const sent = await send();
    const reply = () =>
      client.im.v1.message.reply({ path: { message_id: sent.data?.message_id ?? '' }, data: { msg_type: 'text', content: textContent('y') } });
    expect(await larkFailure(reply())).toMatchObject({ status: 400, code: LarkErrorCode.botNotInChat });
    expect((await reply()).code).toBe(0);
    expect(sandbox.messages()).toHaveLength(2);
  });
});

describe('directory', () => {
  it('finds users by email and mobile, and lists misses without user_id', async () => {
    const { client } = await setUp();
    const found = await client.contact.v3.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { emails: [ALICE.email, 'nobody@county.gov.cn'], mobiles: ['13800000002'] },
    });
    expect(found.data?.user_list).toEqual([
      expect.objectContaining({ user_id: ALICE.openId, email: ALICE.email }),
      { email: 'nobody@county.gov.cn' },
      expect.objectContaining({ user_id: BOB.openId, mobile: '13800000002' }),
    ]);
  });

  it('reports the bot under `bot`', async () => {
    const { sandbox, client } = await setUp({ botName: '招商助手' });
    const info = await client.request<{ code: number; bot: { open_id: string; app_name: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' });
    expect(info.code).toBe(0);
    expect(info.bot).toMatchObject({ open_id: sandbox.botOpenId, app_name: '招商助手' });
  });

  it('pages through chat members without the bot', async () => {
    const { sandbox, client } = await setUp();
    sandbox.addChat({ ...GROUP, memberOpenIds: [...GROUP.memberOpenIds, sandbox.botOpenId] });
    const first = await client.im.v1.chatMembers.get({ path: { chat_id: GROUP.chatId }, params: { member_id_type: 'open_id', page_size: 2 } });
    expect(first.data).toMatchObject({ has_more: true, member_total: 3 });
    expect(first.data?.items?.map((m) => m.name)).toEqual([ALICE.name, BOB.name]);

    const second = await client.im.v1.chatMembers.get({
      path: { chat_id: GROUP.chatId },
      params: { member_id_type: 'open_id', page_size: 2, page_token: first.data?.page_token ?? '' },
    });
    expect(second.data).toMatchObject({ has_more: false, items: [{ member_id: CAROL.openId, member_id_type: 'open_id' }] });

    const notMember = await larkFailure(client.im.v1.chatMembers.get({ path: { chat_id: GROUP_WITHOUT_BOT.chatId }, params: { member_id_type: 'open_id' } }));
    expect(notMember.code).toBe(LarkErrorCode.operatorNotInChat);
  });
});

describe('waitForMessages', () => {
  it('resolves when enough messages match and rejects on timeout', async () => {
    const { sandbox, client } = await setUp();
    const waiting = sandbox.waitForMessages((m) => m.chatId === GROUP.chatId, { count: 2 });
    for (const text of ['一', '二']) {
      await client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: GROUP.chatId, msg_type: 'text', content: textContent(text) },
      });
    }
    expect((await waiting).map((m) => m.content)).toEqual([{ text: '一' }, { text: '二' }]);

    await expect(sandbox.waitForMessages((m) => m.msgType === 'post', { timeoutMs: 50 })).rejects.toThrow(/waitForMessages/);
  });
});
