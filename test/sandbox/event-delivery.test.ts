import type { Server } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { LarkSandbox } from '../../sandbox/lark-sandbox';
import { ALICE, formCard, GROUP, silentLogger, startSandbox, startSdkWebhook, textContent } from './support';

let sandbox: LarkSandbox | undefined;
let webhookServer: Server | undefined;
afterEach(async () => {
  await sandbox?.stop();
  await new Promise((resolve) => (webhookServer ? webhookServer.close(resolve) : resolve(undefined)));
  sandbox = undefined;
  webhookServer = undefined;
});

async function startWebhook(dispatcher: lark.EventDispatcher): Promise<string> {
  const { url, server } = await startSdkWebhook(dispatcher);
  webhookServer = server;
  return url;
}

async function setUp() {
  const started = await startSandbox();
  sandbox = started.sandbox;
  const received: Record<string, unknown>[] = [];
  const dispatcher = new lark.EventDispatcher({
    encryptKey: started.options.encryptKey,
    verificationToken: started.options.verificationToken,
    logger: silentLogger,
  }).register({
    'im.message.receive_v1': async (data: Record<string, unknown>) => {
      received.push(data);
    },
    'card.action.trigger': async (data: Record<string, unknown>) => {
      received.push(data);
      return { toast: { type: 'success', content: '已确认' } };
    },
  });
  const webhookUrl = await startWebhook(dispatcher);
  return { ...started, received, webhookUrl };
}

describe('event delivery', () => {
  it('delivers an encrypted, signed message event that the SDK decrypts', async () => {
    const { sandbox, options, received, webhookUrl } = await setUp();
    const event = sandbox.messageEvent({
      chatId: GROUP.chatId,
      chatType: 'group',
      senderOpenId: ALICE.openId,
      text: '@_user_1 /lead 富硒茶项目',
      mentions: [{ key: '@_user_1', openId: sandbox.botOpenId }],
    });

    const result = await sandbox.deliverEvent(webhookUrl, event);
    expect(result.status).toBe(200);
    expect(result.eventId).toBe(event.header.event_id);
    expect(received).toHaveLength(1);
    const data = received[0] as {
      event_id: string;
      event_type: string;
      token: string;
      sender: { sender_id: { open_id: string } };
      message: { chat_id: string; chat_type: string; content: string; mentions: { key: string; id: { open_id: string }; name: string }[] };
    };
    expect(data.event_type).toBe('im.message.receive_v1');
    expect(data.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(data.token).toBe(options.verificationToken);
    expect(data.sender.sender_id.open_id).toBe(ALICE.openId);
    expect(data.message).toMatchObject({ chat_id: GROUP.chatId, chat_type: 'group' });
    expect(JSON.parse(data.message.content)).toEqual({ text: '@_user_1 /lead 富硒茶项目' });
    expect(data.message.mentions).toEqual([
      expect.objectContaining({ key: '@_user_1', id: expect.objectContaining({ open_id: sandbox.botOpenId }), name: sandbox.botName }),
    ]);
  });

  it('does not hand a forged signature to the handler', async () => {
    const { sandbox, received, webhookUrl } = await setUp();
    const event = sandbox.messageEvent({ chatId: GROUP.chatId, chatType: 'group', senderOpenId: ALICE.openId, text: 'hi' });
    const result = await sandbox.deliverEvent(webhookUrl, event, { forgeSignature: true });
    expect(result.status).toBe(200);
    expect(received).toHaveLength(0);
  });

  it('redelivers with the same event_id, and can override the token or skip encryption', async () => {
    const { sandbox, received, webhookUrl } = await setUp();
    const event = sandbox.messageEvent({ chatType: 'p2p', senderOpenId: ALICE.openId, text: '/help' });
    await sandbox.deliverEvent(webhookUrl, event);
    await sandbox.deliverEvent(webhookUrl, event, { encrypt: false, token: 'wrong-token' });
    expect(received.map((d) => d.event_id)).toEqual([event.header.event_id, event.header.event_id]);
    expect(received.map((d) => d.token)).toEqual([event.header.token, 'wrong-token']);
    expect((received[0]?.message as { chat_id: string } | undefined)?.chat_id).toBe(sandbox.p2pChatId(ALICE.openId));
  });

  it('delivers a card action and returns the handler’s answer', async () => {
    const { sandbox, client, received, webhookUrl } = await setUp();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP.chatId, msg_type: 'interactive', content: JSON.stringify(formCard('预警')) },
    });
    const messageId = sent.data?.message_id ?? '';
    const event = sandbox.cardActionEvent({
      operatorOpenId: ALICE.openId,
      messageId,
      value: { action: 'acknowledge', warningId: 7 },
      formValue: { note: '已联系客商' },
    });

    const result = await sandbox.deliverEvent(webhookUrl, event);
    expect(result.body).toEqual({ toast: { type: 'success', content: '已确认' } });
    expect(received[0]).toMatchObject({
      event_type: 'card.action.trigger',
      operator: { open_id: ALICE.openId },
      action: { value: { action: 'acknowledge', warningId: 7 }, tag: 'button', form_value: { note: '已联系客商' } },
      context: { open_message_id: messageId, open_chat_id: GROUP.chatId },
    });
  });

  it('lets the bot reply to the message an event carried', async () => {
    const { sandbox, client } = await setUp();
    const event = sandbox.messageEvent({ chatId: GROUP.chatId, chatType: 'group', senderOpenId: ALICE.openId, text: '/stats' });
    const userMessageId = event.event.message.message_id;
    await client.im.v1.message.reply({ path: { message_id: userMessageId }, data: { msg_type: 'text', content: textContent('本季度 3 个项目') } });
    const [reply] = await sandbox.waitForMessages((m) => m.replyTo === userMessageId);
    expect(reply).toMatchObject({ chatId: GROUP.chatId, rootId: userMessageId, content: { text: '本季度 3 个项目' } });
  });
});
