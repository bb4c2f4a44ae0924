/**
 * The ack figure's load generator, in a process of its own (`node --import tsx bench/ack-load.ts`,
 * the load as JSON on stdin, the times as JSON on stdout): events go out on schedule and their
 * answers are timed on an event loop nothing else uses. On the bench's main thread the sandbox
 * also answers the bot's sends (card checks, large JSON), and a reply timed there counted that
 * work as the bot's. Open loop: each event is sent on schedule whether or not earlier ones were
 * answered, so slow answers count.
 */
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { postEvent } from '../sandbox/event-delivery';
import type { LarkEventEnvelope } from '../sandbox/types';

export interface AckLoad {
  webhookUrl: string;
  encryptKey: string;
  events: LarkEventEnvelope<object>[];
  ratePerSecond: number;
}

export interface AckTimes {
  latencies: number[];
  refused: number;
  sendSeconds: number;
}

const { webhookUrl, encryptKey, events, ratePerSecond } = JSON.parse(await text(process.stdin)) as AckLoad;
const latencies: number[] = [];
let refused = 0;
const started = performance.now();
const inFlight: Promise<void>[] = [];
for (const [i, event] of events.entries()) {
  const wait = started + (i * 1000) / ratePerSecond - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const sentAt = performance.now();
  inFlight.push(
    postEvent(webhookUrl, event, { encryptKey, now: Date.now() }).then((res) => {
      latencies.push(performance.now() - sentAt);
      if (res.status !== 200) refused += 1;
    }),
  );
}
await Promise.all(inFlight);
process.stdout.write(JSON.stringify({ latencies, refused, sendSeconds: (performance.now() - started) / 1000 } satisfies AckTimes));
