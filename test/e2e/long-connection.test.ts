import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { county, type Harness, startHarness, textOf } from '../support/bot-harness';

/** The bot in LARK_MODE=websocket: Lark's events come over the long connection it holds. */
describe('events over the long connection', () => {
  let h: Harness;
  const projectRows = () => h.app.store.db.select().from(h.app.store.tables.projects);
  const projectCount = async () => (await projectRows()).length;
  const repliesTo = (event: ReturnType<Harness['groupMessage']>) => h.sandbox.messages().filter((m) => m.replyTo === event.event.message.message_id);

  beforeAll(async () => {
    h = await startHarness();
    // Reconnect at once after a loss, then every second (Lark's own values are minutes).
    h.sandbox.longConnection.configure({ ReconnectInterval: 1, ReconnectNonce: 0 });
    await h.restart({ LARK_MODE: 'websocket' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers /help pushed over the socket', async () => {
    const event = h.groupMessage(county.official, '/help');
    const answer = await h.sandbox.pushEvent(event);
    expect(answer.code).toBe(200);
    const [reply] = await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
    expect(textOf(reply)).toContain('/线索');
    expect((await (await fetch(`${h.app.url}/healthz`)).json()) as object).toMatchObject({ ok: true, lark: true });
  });

  it('answers a card action pushed over the socket with the worker’s toast and card', async () => {
    const ask = h.groupMessage(county.official, '/线索');
    await h.sandbox.pushEvent(ask);
    const [form] = await h.sandbox.waitForMessages((m) => m.replyTo === ask.event.message.message_id);
    const submit = /"form_action_type":"submit","behaviors":\[\{"type":"callback","value":(\{[^}]*\})/.exec(JSON.stringify(form!.latestContent));
    const answer = await h.sandbox.pushEvent(
      h.sandbox.cardActionEvent({
        operatorOpenId: county.official.openId,
        messageId: form!.messageId,
        value: JSON.parse(submit![1]!) as Record<string, unknown>,
        formValue: {
          name: '长连接测试项目',
          investor: '长连接测试公司',
          amount: '800万',
          industry: '新社区工厂',
          channel: 'targeted',
          owner: [county.official.openId],
        },
      }),
    );
    expect(answer.code).toBe(200);
    const body = answer.body as { toast?: { type: string }; card?: { data: unknown } };
    expect(body.toast?.type).toBe('success');
    const project = (await projectRows()).find((p) => p.name === '长连接测试项目');
    expect(JSON.stringify(body.card?.data)).toContain(project!.code);
  });

  it('comes back after the connection is lost and handles a later event', async () => {
    const accepted = h.sandbox.longConnection.stats.accepted;
    h.sandbox.dropConnections({ downForMs: 1_500 });
    const event = h.groupMessage(county.official, '/help');
    // Pushed while the bot is away: it goes out once the bot is connected again.
    expect((await h.sandbox.pushEvent(event, { timeoutMs: 10_000 })).code).toBe(200);
    await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
    expect(h.sandbox.longConnection.stats.accepted).toBe(accepted + 1);
    expect(h.sandbox.longConnection.stats.refused).toBeGreaterThan(0);
  });

  it('has one effect for an event pushed twice', async () => {
    const event = h.groupMessage(county.official, '/lead 长连接重复项目 投资方:重复推送公司 行业:文旅康养');
    const before = await projectCount();
    const answers = [await h.sandbox.pushEvent(event), await h.sandbox.pushEvent(event)];
    expect(answers.map((a) => a.code)).toEqual([200, 200]);
    await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
    // Once more after the first is fully processed, as Lark re-pushes an unacknowledged event later.
    expect((await h.sandbox.pushEvent(event)).code).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(event)).toHaveLength(1);
    expect(await projectCount()).toBe(before + 1);
  });
});
