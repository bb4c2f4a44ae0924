import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { LarkSandbox, LongConnectionClientConfig } from '../../sandbox/lark-sandbox';
import { ALICE, GROUP, silentLogger, startSandbox } from './support';

let sandbox: LarkSandbox | undefined;
let client: lark.WSClient | undefined;
afterEach(async () => {
  client?.close({ force: true });
  await sandbox?.stop();
  client = undefined;
  sandbox = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** The real SDK WSClient against a fresh sandbox, handing each event to `handle`. */
async function connect(handle: (data: Record<string, unknown>) => unknown, clientConfig: Partial<LongConnectionClientConfig> = {}) {
  const started = await startSandbox();
  sandbox = started.sandbox;
  sandbox.longConnection.configure(clientConfig);
  const errors: unknown[][] = [];
  const dispatcher = new lark.EventDispatcher({ logger: silentLogger }).register({
    'im.message.receive_v1': async (data: Record<string, unknown>) => handle(data),
    'card.action.trigger': async (data: Record<string, unknown>) => handle(data),
  } as Record<string, (data: Record<string, unknown>) => Promise<unknown>>);
  client = new lark.WSClient({
    appId: started.options.appId,
    appSecret: started.options.appSecret,
    domain: sandbox.url,
    logger: { ...silentLogger, error: (...msg: unknown[]) => void errors.push(msg) },
  });
  await client.start({ eventDispatcher: dispatcher });
  const s = sandbox;
  await until(() => s.longConnection.connected === 1);
  return { sandbox: s, options: started.options, errors };
}

const message = (s: LarkSandbox, text: string) => s.messageEvent({ chatId: GROUP.chatId, chatType: 'group', senderOpenId: ALICE.openId, text });

describe('the long-connection endpoint', () => {
  it('hands out a WebSocket URL and the client config for the right credentials only', async () => {
    const started = await startSandbox();
    sandbox = started.sandbox;
    const ask = async (AppSecret: string) =>
      (await fetch(`${started.sandbox.url}/callback/ws/endpoint`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ AppID: started.options.appId, AppSecret }),
      }).then((r) => r.json())) as { code: number; data: { URL?: string; ClientConfig?: object } };

    const granted = await ask(started.options.appSecret);
    expect(granted.code).toBe(0);
    expect(granted.data.URL).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/v2\?.*&device_id=\w+&service_id=\d+&ticket=\w+$/);
    expect(granted.data.ClientConfig).toEqual({
      PingInterval: expect.any(Number),
      ReconnectCount: -1,
      ReconnectInterval: expect.any(Number),
      ReconnectNonce: expect.any(Number),
    });
    expect((await ask('wrong')).code).toBe(514);
  });
});

describe('the long connection, with the real WSClient', () => {
  it('pushes an event the client hands to its dispatcher, with header and event merged, and records the answer', async () => {
    const received: Record<string, unknown>[] = [];
    const { sandbox: s } = await connect((data) => void received.push(data));
    const event = message(s, 'hello');

    const answer = await s.pushEvent(event);
    expect(answer).toEqual({ code: 200, body: undefined });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      event_id: event.header.event_id,
      event_type: 'im.message.receive_v1',
      message: { message_id: event.event.message.message_id },
    });
    expect(s.longConnection.pushes).toEqual([expect.objectContaining({ eventId: event.header.event_id, fragments: 1, answer })]);
  });

  it('returns what the handler answers, as Lark reads a card callback’s toast and card', async () => {
    const { sandbox: s } = await connect(() => ({ toast: { type: 'success', content: '已登记' } }));
    const answer = await s.pushEvent(message(s, 'card'));
    expect(answer).toEqual({ code: 200, body: { toast: { type: 'success', content: '已登记' } } });
  });

  it('answers 500 for a handler that throws', async () => {
    const { sandbox: s } = await connect(() => {
      throw new Error('store down');
    });
    expect((await s.pushEvent(message(s, 'x'))).code).toBe(500);
  });

  it('splits an event over several frames that the client puts back together', async () => {
    const received: Record<string, unknown>[] = [];
    const { sandbox: s } = await connect((data) => void received.push(data));
    const text = '富硒茶'.repeat(500);
    await s.pushEvent(message(s, text), { fragments: 3 });
    expect(s.longConnection.pushes[0]?.fragments).toBe(3);
    expect((received[0] as { message: { content: string } }).message.content).toBe(JSON.stringify({ text }));
  });

  it('answers pings with pongs whose config the client adopts', async () => {
    const { sandbox: s, errors } = await connect(() => undefined, { PingInterval: 1 });
    // The endpoint said ping every second: pings at 0, 1 and 2 s (the 2 s one is already scheduled
    // when the 1 s ping's pong says every hour), then none.
    s.longConnection.configure({ PingInterval: 3600 });
    await sleep(3_500);
    expect(s.longConnection.stats.pings).toBe(3);
    expect(errors).toEqual([]);
  });

  it('cuts connections on demand, refuses new ones while down, and the client comes back by itself', async () => {
    const received: Record<string, unknown>[] = [];
    const { sandbox: s } = await connect((data) => void received.push(data), { ReconnectInterval: 1, ReconnectNonce: 0 });
    s.dropConnections({ downForMs: 1_500 });
    await until(() => s.longConnection.connected === 0);
    // Pushed during the outage: it waits for the client to be back.
    const answer = await s.pushEvent(message(s, 'after the outage'), { timeoutMs: 8_000 });
    expect(answer.code).toBe(200);
    expect(received).toHaveLength(1);
    expect(s.longConnection.stats.refused).toBeGreaterThan(0);
    expect(s.longConnection.stats.accepted).toBe(2);
  });

  it('rejects a push when no client is connected', async () => {
    const started = await startSandbox();
    sandbox = started.sandbox;
    await expect(started.sandbox.pushEvent(message(started.sandbox, 'nobody'), { timeoutMs: 200 })).rejects.toThrow(/no long-connection client/);
  });
});
