import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { jobId, type OutboundJob } from '../jobs/queues';
import type { ReceiveIdType } from './lark-api';
import type { Card, OutgoingMessage } from './cards/card-kit';

/**
 * Lark's `uuid` (≤ 50 chars) for a send, derived from what the send is for, so that a retried job
 * or a re-run handler produces the same uuid and Lark delivers the message once.
 */
export function idempotencyKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 40);
}

/** The message a reply answers, and where it is: Lark counts the reply against that chat or user. */
export interface ReplyTo {
  messageId: string;
  chatId: string;
  /** Set in a p2p chat: the user there. */
  p2pOpenId?: string;
}

/**
 * Every message the bot sends is queued here; the outbound worker talks to Lark, within Lark's
 * limits, and reports sends Lark refuses for good.
 */
export function createOutbox(queue: Queue) {
  const enqueue = async (job: OutboundJob) => {
    await queue.add(job.kind, job, { jobId: jobId.outbound(job.uuid) });
  };
  return {
    reply: (to: ReplyTo, message: OutgoingMessage, uuid: string) => enqueue({ kind: 'reply', ...to, uuid, ...message }),
    send: (receiveIdType: ReceiveIdType, receiveId: string, message: OutgoingMessage, uuid: string, options: { failureReport?: boolean; buzz?: boolean } = {}) =>
      enqueue({ kind: 'send', receiveIdType, receiveId, uuid, ...message, ...options }),
    updateCard: (messageId: string, card: Card, uuid: string) =>
      enqueue({ kind: 'update', messageId, uuid, content: card as unknown as Record<string, unknown> }),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
