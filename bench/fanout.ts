/**
 * The morning fan-out, through a running bot: N digest-sized cards to N different users, queued
 * at once through the bot's outbox (same Redis and queue prefix, from this process), timed until
 * the sandbox has them all, and set against the fastest Lark allows under 50/s and 1000/min. It
 * starts, as at 8:00, with nothing queued and Lark's windows empty.
 */
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { card, hr, markdown } from '../bot/common/card-kit';
import { redisOptions } from '../bot/process/app';
import { createQueues } from '../jobs/queues';
import { cardMessage } from '../jobs/send/messages';
import { createOutbox, idempotencyKey } from '../jobs/send/outbox';
import { larkLimits } from '../jobs/send-limiter';
import type { LarkSandbox, RecordedCall } from '../sandbox/lark-sandbox';

export interface FanoutTarget {
  sandbox: LarkSandbox;
  redisUrl: string;
  queuePrefix: string;
}

const isSend = (c: RecordedCall) => c.method === 'POST' && /^\/open-apis\/im\/v1\/messages(\/[^/]+\/reply)?$/.test(c.path);
const isThrottle = (c: RecordedCall) => c.status === 429 || (c.response as { code?: number } | undefined)?.code === 230020;

export async function measureFanout(bot: FanoutTarget, count: number) {
  const users = Array.from({ length: count }, (_, i) => ({ openId: `ou_fanout_${String(i).padStart(4, '0')}`, name: `干部F${i}` }));
  for (const u of users) bot.sandbox.addUser(u);
  const isFanout = (m: { recipientOpenId?: string }) => m.recipientOpenId?.startsWith('ou_fanout_') === true;
  const queues = createQueues(redisOptions(bot.redisUrl), bot.queuePrefix);
  try {
    const drainStarted = Date.now();
    await drained(queues.outbound);
    const lastSend = Math.max(0, ...bot.sandbox.calls.filter(isSend).map((c) => c.time));
    await new Promise((r) => setTimeout(r, lastSend + 60_000 + 100 - Date.now()));
    const drainSeconds = (Date.now() - drainStarted) / 1000;

    const message = cardMessage(digestCard());
    const outbox = createOutbox(queues.outbound);
    const run = randomBytes(4).toString('hex');
    const start = Date.now();
    await Promise.all(users.map((u) => outbox.send('open_id', u.openId, message, idempotencyKey('fanout', run, u.openId))));
    const queuedSeconds = (Date.now() - start) / 1000;
    const delivered = await bot.sandbox.waitForMessages(isFanout, { count, timeoutMs: 900_000 });

    const seconds = (Math.max(...delivered.map((m) => m.createTime)) - start) / 1000;
    const minimumSeconds = minimumSendMs(count) / 1000;
    return {
      count,
      cardBytes: Buffer.byteLength(JSON.stringify(message.content)),
      drainSeconds,
      queuedSeconds,
      seconds,
      minimumSeconds,
      share: minimumSeconds / seconds,
      throttled: bot.sandbox.calls.filter((c) => c.time >= start && isSend(c) && isThrottle(c)).length,
    };
  } finally {
    await queues.close();
  }
}

/** When the last of `n` sends could reach Lark at the earliest: a greedy schedule under both sliding windows. */
export function minimumSendMs(n: number): number {
  const windows = [
    { limit: larkLimits.appPerSecond, ms: 1_000 },
    { limit: larkLimits.appPerMinute, ms: 60_000 },
  ];
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    for (const w of windows) {
      // A window is full while its `limit`-th latest send is still inside it.
      const blocking = times[times.length - w.limit];
      if (blocking !== undefined) t = Math.max(t, blocking + w.ms);
    }
    times.push(t);
  }
  return t;
}

/** The replies the earlier runs left queued would otherwise be timed with the fan-out. */
async function drained(queue: Queue) {
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** About the size of a real morning digest: twelve items and how to answer them (~2 KB). */
function digestCard() {
  const items = Array.from({ length: 12 }, (_, i) =>
    markdown(
      `**ZS-2025-${String(i + 1).padStart(4, '0')} 富硒茶深加工项目${i + 1}**\n投产节点 2025-06-${String(10 + i).padStart(2, '0')}，还剩 ${i + 1} 个工作日`,
    ),
  );
  return card('📋 今日待办 · 2025-06-09', 'blue', [
    markdown('早上好！以下项目的关键节点临近或已逾期：'),
    hr(),
    ...items,
    hr(),
    markdown('回复 `/完成 项目编号 节点` 标记完成，`/延期 项目编号 节点 新日期 原因` 申请延期。'),
  ]);
}

export function formatFanout(r: Awaited<ReturnType<typeof measureFanout>>) {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `morning fan-out, ${r.count} digest cards (${(r.cardBytes / 1024).toFixed(1)} KB) to ${r.count} users, queued at once in ${r.queuedSeconds.toFixed(1)} s` +
      ` (after ${r.drainSeconds.toFixed(0)} s for earlier replies to drain and Lark's minute to clear):`,
    `  all delivered in ${r.seconds.toFixed(1)} s (${(r.count / r.seconds).toFixed(1)}/s); Lark's 50/s + 1000/min allow ${r.minimumSeconds.toFixed(1)} s at best: ${pct(r.share)} of the limit`,
    `  rate-limit answers from Lark (429 / 230020): ${r.throttled}`,
  ].join('\n');
}
