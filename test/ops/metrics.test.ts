import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { county, type Harness, startHarness } from '../support/bot-harness';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let h: Harness;
  const scrape = async () => {
    const res = await fetch(`${h.app.url}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** Scrapes until `series` has moved by at least `by` from `before` (the worker counts after it answers). */
  const moved = async (before: string, series: string, by = 1) => {
    for (let i = 0; i < 50; i++) {
      const now = await scrape();
      if (sample(now, series) - sample(before, series) >= by) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts an event received, acked, processed and its reply sent', async () => {
    const message = 'event_type="im.message.receive_v1"';
    const before = await scrape();
    await h.sendAndWaitReplies(h.groupMessage(county.official, '/help'));

    expect(await moved(before, `zs_webhook_ack_seconds_count{${message},status="200"}`)).toBe(true);
    expect(await moved(before, `zs_events_received_total{${message},result="stored"}`)).toBe(true);
    expect(await moved(before, `zs_events_processed_total{${message},outcome="ok"}`)).toBe(true);
    expect(await moved(before, 'zs_messages_total{result="sent"}')).toBe(true);
  });

  it('counts a redelivered event as a duplicate, and a forged one as refused', async () => {
    const event = h.groupMessage(county.official, '/help');
    await h.sendAndWaitReplies(event);
    const before = await scrape();
    await h.sandbox.deliverEvent(h.webhookUrl, event, { eventId: event.header.event_id });
    await h.sandbox.deliverEvent(h.webhookUrl, h.groupMessage(county.official, '/help'), { forgeSignature: true });

    expect(await moved(before, 'zs_events_received_total{event_type="im.message.receive_v1",result="duplicate"}')).toBe(true);
    expect(await moved(before, 'zs_webhook_ack_seconds_count{event_type="im.message.receive_v1",status="401"}')).toBe(true);
  });

  it('counts a send Lark throttles for its chat as a deferral', async () => {
    const isReply = (call: { method: string; path: string }) => call.method === 'POST' && call.path.endsWith('/reply');
    h.sandbox.failNext(1, { status: 400, code: 230020, msg: 'rate limited for this chat' }, isReply);
    const before = await scrape();
    await h.sendAndWaitReplies(h.groupMessage(county.official, '/help'));

    expect(await moved(before, 'zs_messages_total{result="deferred_target"}')).toBe(true);
    expect(await moved(before, 'zs_rate_limit_deferrals_total{scope="chat",source="lark"}')).toBe(true);
  });

  it('shows the jobs of every queue by state, and the process metrics', async () => {
    const body = await scrape();
    for (const queue of ['lark-events', 'outbound', 'reminders']) {
      expect(body).toContain(`zs_queue_jobs{queue="${queue}",state="waiting"}`);
    }
    // The daily checks are delayed jobs of the reminders queue.
    expect(sample(body, 'zs_queue_jobs{queue="reminders",state="delayed"}')).toBeGreaterThanOrEqual(3);
    expect(body).toContain('process_resident_memory_bytes');
  });
});
