/**
 * The ack figure's load generator, in a process of its own (`node --import tsx bench/ack-load.ts`,
 * the load as JSON on stdin, the times as JSON on stdout): events go out on schedule and their
 * answers are timed on an event loop nothing else uses. On the bench's main thread the sandbox
 * also answers the bot's sends (card checks, large JSON), and a reply timed there counted that
 * work as the bot's. Open loop: each event is sent on schedule whether or not earlier ones were
 * answered, so slow answers count.
 *
 * Lark's servers are not on the bot's machine, but this process is: it encrypts and signs every
 * event before the clock starts (dated for when it goes out) and posts them with node:http on
 * kept-alive connections. Encrypting as it went and posting with fetch, it used as much CPU as
 * the web process it measured, and took it from the web process.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { larkEventRequest } from '../sandbox/event-delivery';
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
const firstAt = Date.now();
const requests = events.map((event, i) => larkEventRequest(event, { encryptKey, now: firstAt + (i * 1000) / ratePerSecond }));
const agent = new Agent({ keepAlive: true });

/** Posts one prepared event; resolves with the HTTP status once the whole answer is in. */
function post({ body, headers }: (typeof requests)[number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(webhookUrl, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let refused = 0;
const started = performance.now();
const inFlight: Promise<void>[] = [];
for (const [i, prepared] of requests.entries()) {
  const wait = started + (i * 1000) / ratePerSecond - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const sentAt = performance.now();
  inFlight.push(
    post(prepared).then((status) => {
      latencies.push(performance.now() - sentAt);
      if (status !== 200) refused += 1;
    }),
  );
}
await Promise.all(inFlight);
agent.destroy();
process.stdout.write(JSON.stringify({ latencies, refused, sendSeconds: (performance.now() - started) / 1000 } satisfies AckTimes));
