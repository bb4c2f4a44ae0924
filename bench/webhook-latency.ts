/**
 * Issue 2's figures, through the real bot, the real SDK and the sandbox:
 *  - webhook ack latency for signed, encrypted message events at a steady rate, sent and timed by
 *    a process of their own (bench/ack-load.ts);
 *  - command → reply latency: from posting `/线索 …` to the sandbox receiving the bot's reply.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import type { LarkSandbox, SandboxUser } from '../sandbox/lark-sandbox';
import type { AckLoad, AckTimes } from './ack-load';
import { ms, percentile } from './stats';

/** Where the events go: the sandbox delivers them to the bot's webhook, encrypted with the app's key. */
export interface BenchTarget {
  sandbox: LarkSandbox;
  webhookUrl: string;
  encryptKey: string;
}

export const benchUsers: SandboxUser[] = Array.from({ length: 200 }, (_, i) => ({
  openId: `ou_bench_${String(i).padStart(3, '0')}`,
  name: `干部${i}`,
}));

export async function measureAckLatency(bot: BenchTarget, ratePerSecond: number, seconds: number) {
  const total = ratePerSecond * seconds;
  const events = Array.from({ length: total }, (_, i) =>
    bot.sandbox.messageEvent({ chatType: 'p2p', senderOpenId: benchUsers[i % benchUsers.length]!.openId, text: '/帮助' }),
  );
  const load: AckLoad = { webhookUrl: bot.webhookUrl, encryptKey: bot.encryptKey, events, ratePerSecond };
  const generator = spawn(process.execPath, ['--import', 'tsx', 'bench/ack-load.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  generator.stdin.end(JSON.stringify(load));
  const [output, [code]] = await Promise.all([text(generator.stdout), once(generator, 'exit')]);
  if (code !== 0) throw new Error(`the ack load generator exited with code ${code}`);
  const { latencies, refused, sendSeconds } = JSON.parse(output) as AckTimes;
  const ids = new Set(events.map((e) => e.event.message.message_id));
  return {
    events: total,
    refused,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    sendSeconds,
    // Lark lets an app send 50/s and 1000/min, so most replies are still queued at this point.
    answeredSoFar: bot.sandbox.messages().filter((m) => ids.has(m.replyTo ?? '')).length,
  };
}

/** Commands are paced under Lark's 50 sends/s per app, so no reply waits on a throttle. */
export async function measureCommandToReply(bot: BenchTarget, commands: number, intervalMs = 30) {
  const latencies: number[] = [];
  for (let i = 0; i < commands; i++) {
    const pace = new Promise((r) => setTimeout(r, intervalMs));
    const event = bot.sandbox.messageEvent({
      chatType: 'p2p',
      senderOpenId: benchUsers[i % benchUsers.length]!.openId,
      text: `/线索 基准项目${i} 投资方:基准企业${i}有限公司 金额:${1000 + i}万 行业:工业制造`,
    });
    const sentAt = performance.now();
    const reply = bot.sandbox.waitForMessages((m) => m.replyTo === event.event.message.message_id, { timeoutMs: 10_000 });
    await bot.sandbox.deliverEvent(bot.webhookUrl, event);
    await reply;
    latencies.push(performance.now() - sentAt);
    await pace;
  }
  return { commands, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}

export function formatAck(r: Awaited<ReturnType<typeof measureAckLatency>>, rate: number) {
  return [
    `webhook ack, ${r.events} signed+encrypted message events at ${rate}/s over ${r.sendSeconds.toFixed(1)} s:`,
    `  p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   max ${ms(r.max)}   non-200: ${r.refused}`,
    `  replies delivered by then: ${r.answeredSoFar} of ${r.events} (the rest queue behind Lark's 1000 sends/min)`,
  ].join('\n');
}

export function formatReply(r: Awaited<ReturnType<typeof measureCommandToReply>>) {
  return [`command → reply (/线索 registering a project), ${r.commands} sequential commands:`, `  p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   max ${ms(r.max)}`].join(
    '\n',
  );
}
