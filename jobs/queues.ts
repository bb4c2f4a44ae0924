import { type ConnectionOptions, type DefaultJobOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SendTarget } from './send-limiter';

/**
 * The one contract between producers and processors: queue names, job names, payload schemas and
 * retry policy. Job ids are idempotency keys, so a repeated add is a no-op while the job exists.
 * BullMQ forbids integer-looking ids and ids with one colon, hence the `-` separators.
 */
export const QUEUE = {
  /** Lark events, stored durably by the webhook before it answers 200. */
  larkEvents: 'lark-events',
  /** Every message the bot sends or card it updates. */
  outbound: 'outbound',
  /** Milestone nudges, morning digests and the daily holiday-data check (jobs/reminders.ts). */
  reminders: 'reminders',
} as const;

/**
 * Lark wants a card callback answered within 3 s and the answer carries the toast and updated card,
 * so the webhook waits this long for the event's job, then answers "received" and the worker updates
 * the card through the API instead.
 */
export const CARD_ANSWER_WAIT_MS = 2_000;

/** What a card callback is answered with: a toast, and the card that replaces the one tapped. */
export interface CardCallbackResponse {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: object };
}

/** Runs one stored event. */
// biome-ignore lint/suspicious/noConfusingVoidType: a message handler answers nothing; a card action's handler answers the callback.
export type EventHandler = (eventId: string, payload: Record<string, unknown>) => Promise<CardCallbackResponse | void>;

export const larkEventJob = z.object({
  eventId: z.string().min(1),
  eventType: z.enum(['im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.deleted_v1']),
  receivedAt: z.number(),
  /** The SDK's decoded event: header fields and event fields merged into one object. */
  payload: z.record(z.string(), z.unknown()),
});
export type LarkEventJob = z.infer<typeof larkEventJob>;

const messageContent = z.record(z.string(), z.unknown());
export const outboundJob = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reply'),
    uuid: z.string().min(1).max(50),
    messageId: z.string(),
    /** The chat of the message replied to: the reply counts against its limit. */
    chatId: z.string().min(1),
    /** In a p2p chat, the user there: the reply counts against that user's limit instead. */
    p2pOpenId: z.string().min(1).optional(),
    msgType: z.enum(['text', 'interactive', 'post', 'file']),
    content: messageContent,
  }),
  z.object({
    kind: z.literal('send'),
    uuid: z.string().min(1).max(50),
    receiveIdType: z.enum(['chat_id', 'open_id', 'user_id', 'union_id', 'email']),
    receiveId: z.string(),
    msgType: z.enum(['text', 'interactive', 'post', 'file']),
    content: messageContent,
    /** A report of another send's failure: if it fails too, that is recorded but reported to no one. */
    failureReport: z.boolean().optional(),
    /** Also buzz the recipient (加急, urgent_app) once the message is delivered. */
    buzz: z.boolean().optional(),
    /** Also pin the message in its chat once delivered (a work group's project card). */
    pin: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('update'),
    uuid: z.string().min(1).max(50),
    messageId: z.string(),
    content: messageContent,
  }),
]);
export type OutboundJob = z.infer<typeof outboundJob>;

/** Whose Lark limit a job's call counts against (sends by chat_id → the group, other ids → the user). */
export function targetOf(job: OutboundJob): SendTarget {
  switch (job.kind) {
    case 'send':
      return { kind: job.receiveIdType === 'chat_id' ? 'chat' : 'user', key: `${job.receiveIdType}:${job.receiveId}` };
    case 'reply':
      return job.p2pOpenId === undefined ? { kind: 'chat', key: `chat_id:${job.chatId}` } : { kind: 'user', key: `open_id:${job.p2pOpenId}` };
    case 'update':
      return { kind: 'message', key: `message:${job.messageId}` };
  }
}

export const jobId = {
  larkEvent: (eventId: string) => `evt-${safeIdPart(eventId)}`,
  outbound: (uuid: string) => `out-${safeIdPart(uuid)}`,
};

function safeIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '-');
}

const retryPolicy: Record<keyof typeof QUEUE, DefaultJobOptions> = {
  // 12 tries over about half an hour; a job that still fails is kept 30 days for inspection.
  // Done jobs stay a minute: the webhook waiting for a card action's answer reads it from the job,
  // and a job removed the moment it finished would be missing. Dedupe after that is SQLite's.
  larkEvents: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 60 },
    removeOnFail: { age: 30 * 86_400 },
  },
  outbound: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 86_400 },
  },
  // Completed reminders are removed, so that their ids can be armed again (a date moved back).
  reminders: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 86_400 },
  },
};

/**
 * The event worker's options. A job whose worker dies mid-run stalls and is taken again; BullMQ
 * fails it after `maxStalledCount` stalls (default 1), and Lark, already answered 200, would not
 * push it again: a crash loop during a bad deploy would lose events. Handlers are idempotent, so
 * a stalled event is taken again however often.
 */
export const EVENT_WORKER_OPTIONS = { concurrency: 4, maxStalledCount: 1_000_000 } as const;

export interface Queues {
  larkEvents: Queue;
  outbound: Queue;
  reminders: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const larkEvents = new Queue(QUEUE.larkEvents, { connection, prefix, defaultJobOptions: retryPolicy.larkEvents });
  const outbound = new Queue(QUEUE.outbound, { connection, prefix, defaultJobOptions: retryPolicy.outbound });
  const reminders = new Queue(QUEUE.reminders, { connection, prefix, defaultJobOptions: retryPolicy.reminders });
  return {
    larkEvents,
    outbound,
    reminders,
    close: async () => {
      await Promise.all([larkEvents.close(), outbound.close(), reminders.close()]);
    },
  };
}

/**
 * The jobs whose ids `queue` does not hold, asked in one pipeline of EXISTS. Adding a job whose id
 * is held changes nothing, but BullMQ runs its whole add script for it and records a `duplicated`
 * event: a worker's start re-armed a province's reminders at that cost every time.
 */
export async function jobsNotHeld<J extends { opts: { jobId: string } }>(queue: Queue, jobs: J[]): Promise<J[]> {
  if (jobs.length === 0) return [];
  // BullMQ types its client narrowly; it is the ioredis client the queue was given.
  const pipeline = ((await queue.backend.client) as unknown as Redis).pipeline();
  for (const job of jobs) pipeline.exists(queue.toKey(job.opts.jobId));
  // One answer per command, in order; an error in any fails the rebuild rather than guessing.
  const answers = (await pipeline.exec())!;
  return jobs.filter((_, i) => {
    const [err, held] = answers[i]!;
    if (err) throw err;
    return held === 0;
  });
}
