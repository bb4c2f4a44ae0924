import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

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
} as const;

export const larkEventJob = z.object({
  eventId: z.string().min(1),
  eventType: z.enum(['im.message.receive_v1', 'card.action.trigger']),
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
    msgType: z.enum(['text', 'interactive', 'post']),
    content: messageContent,
  }),
  z.object({
    kind: z.literal('send'),
    uuid: z.string().min(1).max(50),
    receiveIdType: z.enum(['chat_id', 'open_id', 'user_id', 'union_id', 'email']),
    receiveId: z.string(),
    msgType: z.enum(['text', 'interactive', 'post']),
    content: messageContent,
  }),
  z.object({
    kind: z.literal('update'),
    uuid: z.string().min(1).max(50),
    messageId: z.string(),
    content: messageContent,
  }),
]);
export type OutboundJob = z.infer<typeof outboundJob>;

export const jobId = {
  larkEvent: (eventId: string) => `evt-${safeIdPart(eventId)}`,
  outbound: (uuid: string) => `out-${safeIdPart(uuid)}`,
};

function safeIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '-');
}

const retryPolicy: Record<keyof typeof QUEUE, DefaultJobOptions> = {
  // 12 tries over about half an hour; a job that still fails is kept 30 days for inspection.
  larkEvents: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 86_400 },
  },
  outbound: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { age: 30 * 86_400 },
  },
};

export interface Queues {
  larkEvents: Queue;
  outbound: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const larkEvents = new Queue(QUEUE.larkEvents, { connection, prefix, defaultJobOptions: retryPolicy.larkEvents });
  const outbound = new Queue(QUEUE.outbound, { connection, prefix, defaultJobOptions: retryPolicy.outbound });
  return {
    larkEvents,
    outbound,
    close: async () => {
      await Promise.all([larkEvents.close(), outbound.close()]);
    },
  };
}
