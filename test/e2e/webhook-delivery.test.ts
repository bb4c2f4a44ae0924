import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRedis, startLocalRedis } from '../../jobs/local-redis';
import { jobId } from '../../jobs/queues';
import { county, findFormButtonValue, type Harness, startHarness, textOf } from '../support/bot-harness';
import { tempDir } from '../support/temp-dir';

const projectCount = async (h: Harness) => (await h.app.store.db.select().from(h.app.store.tables.projects)).length;
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('webhook delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('has one effect for an event Lark delivers three times', async () => {
    const event = h.groupMessage(county.official, '/lead 康养中心 投资方:某康养集团 行业:文旅康养');
    const before = await projectCount(h);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await h.sandbox.deliverEvent(h.webhookUrl, event, { eventId: event.header.event_id }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
    // Once more after the first has been fully processed: the re-push hours later.
    await h.sandbox.deliverEvent(h.webhookUrl, event, { eventId: event.header.event_id });
    await settle();
    expect(h.sandbox.messages().filter((m) => m.replyTo === event.event.message.message_id)).toHaveLength(1);
    expect(await projectCount(h)).toBe(before + 1);
  });

  it('acks a message event within Lark’s 3 seconds, before the work is done', async () => {
    const started = Date.now();
    const answer = await h.sandbox.deliverEvent(h.webhookUrl, h.groupMessage(county.official, '/help'));
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses a forged signature and a wrong verification token, with no effect', async () => {
    const forged = h.groupMessage(county.official, '/lead 伪造项目 投资方:伪造公司');
    const wrongToken = h.groupMessage(county.official, '/lead 冒名项目 投资方:冒名公司');
    const before = await projectCount(h);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, forged, { forgeSignature: true })).status).not.toBe(200);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, wrongToken, { token: 'not-the-token' })).status).not.toBe(200);
    await h.sendAndWaitReplies(h.groupMessage(county.official, '/help'));
    const ids = [forged, wrongToken].map((e) => e.event.message.message_id);
    expect(h.sandbox.messages().filter((m) => ids.includes(m.replyTo ?? ''))).toEqual([]);
    expect(await projectCount(h)).toBe(before);
  });

  it('ignores an event replayed long after Lark stopped re-pushing it', async () => {
    const event = h.groupMessage(county.official, '/lead 过期项目 投资方:过期公司');
    event.header.create_time = String(Date.now() - 3 * 86_400_000);
    const before = await projectCount(h);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, event)).status).toBe(200);
    await settle();
    expect(await projectCount(h)).toBe(before);
  });

  it('reads a card callback’s date in microseconds, as Lark sends it, and ignores one older than the limit', async () => {
    const [formMessage] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/线索'));
    const submit = (name: string, ageMs: number) => {
      const event = h.sandbox.cardActionEvent({
        operatorOpenId: county.official.openId,
        messageId: formMessage!.messageId,
        value: findFormButtonValue(formMessage?.latestContent),
        formValue: { name, investor: `${name}公司` },
      });
      event.header.create_time = String((Date.now() - ageMs) * 1000);
      return h.sandbox.deliverEvent(h.webhookUrl, event);
    };
    const before = await projectCount(h);
    expect((await submit('三天前的表单', 3 * 86_400_000)).status).toBe(200);
    await settle();
    expect(await projectCount(h)).toBe(before);
    const fresh = await submit('刚提交的表单', 0);
    expect(fresh.body).toMatchObject({ toast: { type: 'success' } });
    expect(await projectCount(h)).toBe(before + 1);
  });

  it('ignores events dated more than a few minutes in the future, messages and card callbacks alike', async () => {
    const message = h.groupMessage(county.official, '/lead 未来项目 投资方:未来公司');
    message.header.create_time = String(Date.now() + 3_600_000);
    const [formMessage] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/线索'));
    const callback = h.sandbox.cardActionEvent({
      operatorOpenId: county.official.openId,
      messageId: formMessage!.messageId,
      value: findFormButtonValue(formMessage?.latestContent),
      formValue: { name: '未来表单', investor: '未来表单公司' },
    });
    callback.header.create_time = String((Date.now() + 3_600_000) * 1000);
    const before = await projectCount(h);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, message)).status).toBe(200);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, callback)).status).toBe(200);
    await settle();
    expect(await projectCount(h)).toBe(before);
    expect(h.sandbox.messages().filter((m) => m.replyTo === message.event.message.message_id)).toEqual([]);
  });

  it('handles an event Lark pushes again after its job had failed for good', async () => {
    const event = h.groupMessage(county.official, '/lead 失败重推项目 投资方:失败重推公司');
    const id = jobId.larkEvent(event.header.event_id);
    // The first push's job, failed for good (here: data the processor cannot read).
    await h.app.queues.larkEvents.add('im.message.receive_v1', { eventId: event.header.event_id }, { jobId: id });
    for (let i = 0; i < 100 && !(await (await h.app.queues.larkEvents.getJob(id))?.isFailed()); i++) await settle();
    const before = await projectCount(h);
    expect((await h.sandbox.deliverEvent(h.webhookUrl, event)).status).toBe(200);
    await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id);
    expect(await projectCount(h)).toBe(before + 1);
  });

  it('answers the URL verification challenge', async () => {
    const res = await fetch(h.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url_verification', token: 'verify-token', challenge: 'abc123' }),
    });
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('reports SQLite and Redis on /healthz', async () => {
    const res = await fetch(`${h.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: true, redis: true });
  });
});

describe('when Redis is down', () => {
  let redis: LocalRedis;
  let h: Harness;
  const dir = tempDir('redis-down');
  beforeAll(async () => {
    redis = await startLocalRedis({ dir: dir.path });
    h = await startHarness({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
    dir.remove();
  });

  it('answers non-200 so Lark re-pushes, and handles the re-push once Redis is back', async () => {
    await redis.stop();
    const event = h.groupMessage(county.official, '/lead 停电期间项目 投资方:坚持公司');
    const refused = await h.sandbox.deliverEvent(h.webhookUrl, event);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(503);

    redis = await startLocalRedis({ dir: dir.path, port: redis.port });
    let redelivered: Awaited<ReturnType<typeof h.sandbox.deliverEvent>> | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      redelivered = await h.sandbox.deliverEvent(h.webhookUrl, event, { eventId: event.header.event_id });
      if (redelivered.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(redelivered?.status).toBe(200);
    const [reply] = await h.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id, { timeoutMs: 15_000 });
    expect(textOf(reply)).toMatch(/ZS-\d{4}-\d{4}/);
    expect((await h.app.store.db.select().from(h.app.store.tables.projects)).filter((p) => p.name === '停电期间项目')).toHaveLength(1);
  });
});

describe('when Lark fails a send for a moment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('retries the reply and delivers it once', async () => {
    const isReply = (call: { method: string; path: string }) => call.method === 'POST' && call.path.endsWith('/reply');
    h.sandbox.failNext(1, { status: 500, code: 1, msg: 'internal error' }, isReply);
    h.sandbox.failNext(1, { status: 429, code: 99991400, msg: 'rate limited', headers: { 'x-ogw-ratelimit-reset': '1' } }, isReply);
    const event = h.groupMessage(county.official, '/help');
    const replies = await h.sendAndWaitReplies(event);
    await settle();
    expect(h.sandbox.calls.filter((c) => isReply(c) && c.status !== 200)).toHaveLength(2);
    expect(h.sandbox.messages().filter((m) => m.replyTo === event.event.message.message_id)).toHaveLength(replies.length);
    expect(replies).toHaveLength(1);
  });
});
