import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import express from 'express';
import { LarkSandbox, type LarkSandboxOptions } from '../../sandbox/lark-sandbox';

export const ALICE = { openId: 'ou_alice', name: '张三', email: 'zhangsan@county.gov.cn', mobile: '13800000001' };
export const BOB = { openId: 'ou_bob', name: '李四', email: 'lisi@county.gov.cn', mobile: '+86 138-0000-0002' };
export const CAROL = { openId: 'ou_carol', name: '王五' };
export const GROUP = { chatId: 'oc_investment', name: '招商工作群', memberOpenIds: ['ou_alice', 'ou_bob', 'ou_carol'] };
export const GROUP_WITHOUT_BOT = { chatId: 'oc_no_bot', name: '无机器人群', memberOpenIds: ['ou_alice'], botIsMember: false };

/** The SDK logs every failed call at error level; failures are what these tests provoke. */
export const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 5, 1, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/**
 * A started sandbox and a real SDK client pointed at it. Each call uses a fresh appId because the
 * SDK caches tenant tokens per appId for the whole process.
 */
export async function startSandbox(overrides: Partial<LarkSandboxOptions> = {}) {
  const appId = `cli_${randomBytes(8).toString('hex')}`;
  const options: LarkSandboxOptions = {
    appId,
    appSecret: 'secret-for-tests',
    encryptKey: 'encrypt-key-for-tests',
    verificationToken: 'verification-token-for-tests',
    users: [ALICE, BOB, CAROL],
    chats: [GROUP, GROUP_WITHOUT_BOT],
    ...overrides,
  };
  const sandbox = await LarkSandbox.start(options);
  const client = new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: sandbox.url,
    logger: silentLogger,
  });
  return { sandbox, client, options };
}

/**
 * An SDK client that fetches a token before every call. Needed after moving the sandbox clock past
 * a token's expiry: the SDK caches tokens on the real clock and would keep sending the stale one.
 */
export function uncachedClient(sandbox: LarkSandbox, options: LarkSandboxOptions) {
  return new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: sandbox.url,
    logger: silentLogger,
    cache: { get: async () => undefined, set: async () => true },
  });
}

/** What a failed SDK call carried: HTTP status, Lark code and response headers. */
export async function larkFailure(call: Promise<unknown>): Promise<{ status: number; code: number; headers: Record<string, string> }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: { code: number }; headers: Record<string, string> } }).response;
    if (response === undefined) throw error;
    return { status: response.status, code: response.data.code, headers: response.headers };
  }
  throw new Error('expected the call to fail');
}

export const textContent = (text: string) => JSON.stringify({ text });

export function sharedCard(title: string) {
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
    body: { elements: [{ tag: 'markdown', content: `**${title}**` }] },
  };
}

/** A shared card with a form of one text input, `note`, and its submit button. */
export function formCard(title: string) {
  const card = sharedCard(title);
  return {
    ...card,
    body: {
      elements: [
        {
          tag: 'form',
          name: 'form',
          elements: [
            { tag: 'input', name: 'note', placeholder: { tag: 'plain_text', content: '说明' } },
            {
              tag: 'button',
              name: 'submit',
              text: { tag: 'plain_text', content: '确认' },
              form_action_type: 'submit',
              behaviors: [{ type: 'callback', value: { action: 'acknowledge' } }],
            },
          ],
        },
      ],
    },
  };
}

/** A bot webhook built the way the SDK's docs say (express.json() then adaptExpress): its URL, and the server to close. */
export async function startSdkWebhook(dispatcher: lark.EventDispatcher): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(express.json());
  app.post('/webhook/event', lark.adaptExpress(dispatcher, { autoChallenge: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`, server };
}
