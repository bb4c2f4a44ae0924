import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../jobs/base/metrics';
import { textMessage } from '../../jobs/send/messages';
import { createOutbox, idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import type { RecordedCall } from '../../sandbox/lark-sandbox';
import { county, GROUP, type Harness, startHarness } from '../support/bot-harness';

const codeOf = (call: RecordedCall) => (call.response as { code?: number } | undefined)?.code;
/** How often Lark's 429 has paused every send, across the process (the metric is process-wide). */
const appPausesByLark = async () =>
  (await metrics.rateLimitDeferrals.get()).values.find((v) => v.labels.scope === 'app' && v.labels.source === 'lark')?.value ?? 0;
const isSend = (call: { method: string; path: string }) => call.method === 'POST' && /^\/open-apis\/im\/v1\/messages(\/[^/]+\/reply)?$/.test(call.path);

describe('sending within Lark’s limits', () => {
  let h: Harness;
  let outbox: Outbox;
  beforeAll(async () => {
    h = await startHarness();
    outbox = createOutbox(h.app.queues.outbound);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('delivers 30 messages to one group in a burst, and Lark never has to throttle the group', async () => {
    const firstCall = h.sandbox.calls.length;
    const events = Array.from({ length: 15 }, () => h.groupMessage(county.official, '/帮助'));
    const replyTo = new Set(events.map((e) => e.event.message.message_id));
    const started = Date.now();
    await Promise.all([
      ...events.map((e) => h.sandbox.deliverEvent(h.webhookUrl, e)),
      ...Array.from({ length: 15 }, (_, i) => outbox.send('chat_id', GROUP, textMessage(`通知 ${i}`), idempotencyKey('burst', String(i)))),
    ]);
    const delivered = await h.sandbox.waitForMessages((m) => m.chatId === GROUP && m.createTime >= started, { count: 30, timeoutMs: 9_000 });

    expect(delivered).toHaveLength(30);
    expect(delivered.filter((m) => replyTo.has(m.replyTo ?? ''))).toHaveLength(15);
    const calls = h.sandbox.calls.slice(firstCall).filter(isSend);
    expect(calls.filter((c) => c.status !== 200).map((c) => [c.status, codeOf(c)])).toEqual([]);
  });

  it('rides out a storm of 429s: every message delivered once, no limit exceeded', async () => {
    const users = Array.from({ length: 30 }, (_, i) => ({ openId: `ou_storm_${i}`, name: `用户${i}` }));
    for (const u of users) h.sandbox.addUser(u);
    const firstCall = h.sandbox.calls.length;
    const pausesBefore = await appPausesByLark();
    const storm = { status: 429, code: 99991400, msg: 'injected storm', headers: { 'x-ogw-ratelimit-reset': '1' } };
    h.sandbox.failNext(32, storm, isSend);
    // Three each: the per-user limit is in play as well as the app's.
    await Promise.all(
      users.flatMap((u) => [0, 1, 2].map((k) => outbox.send('open_id', u.openId, textMessage(`第 ${k} 条`), idempotencyKey('storm', u.openId, String(k))))),
    );
    const delivered = await h.sandbox.waitForMessages((m) => m.recipientOpenId?.startsWith('ou_storm_') === true, { count: 90, timeoutMs: 9_000 });
    await new Promise((r) => setTimeout(r, 300));

    const calls = h.sandbox.calls.slice(firstCall).filter(isSend);
    expect(new Set(delivered.map((m) => m.uuid)).size).toBe(90);
    expect(h.sandbox.messages().filter((m) => m.recipientOpenId?.startsWith('ou_storm_'))).toHaveLength(90);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(90);
    // Only the injected 429s: the sandbox's own limits (429, 230020) never answered.
    const throttled = calls.filter((c) => c.status !== 200);
    expect(throttled.map((c) => (c.response as { msg?: string }).msg)).toEqual(Array(32).fill(storm.msg));
    // Each 429 paused the whole queue (counted, not timed: a busy machine stretches any window).
    expect((await appPausesByLark()) - pausesBefore).toBe(32);
  });
});
