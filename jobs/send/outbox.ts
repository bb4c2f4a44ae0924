import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { RecordedSendsRepository } from '../../db/recorded-sends-repository';
import { jobId, type OutboundJob } from '../queues';
import type { ReceiveIdType } from './lark-api';
import type { OutgoingMessage } from './messages';

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

/** One message to send, by receive id. */
export interface Send {
  receiveIdType: ReceiveIdType;
  receiveId: string;
  message: OutgoingMessage;
  uuid: string;
  /** Also buzz the user (加急) once it is delivered. */
  buzz?: boolean;
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
    /** Queues a job as it is (one recorded earlier). Its uuid is its job id: queuing it twice is one job. */
    enqueue,
    reply: (to: ReplyTo, message: OutgoingMessage, uuid: string) => enqueue({ kind: 'reply', ...to, uuid, ...message }),
    send: (
      receiveIdType: ReceiveIdType,
      receiveId: string,
      message: OutgoingMessage,
      uuid: string,
      options: { failureReport?: boolean; buzz?: boolean; pin?: boolean } = {},
    ) => enqueue({ kind: 'send', receiveIdType, receiveId, uuid, ...message, ...options }),
    updateCard: (messageId: string, card: object, uuid: string) =>
      enqueue({ kind: 'update', messageId, uuid, content: card as unknown as Record<string, unknown> }),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * Record, then send: for messages whose "already sent" matters beyond Lark's one-hour uuid window
 * (a digest, the bulletin). `decide` (the SQLite write that says they are due, such as a digest
 * marked delivered) and the record of the sends commit together; then they are queued. A crash after
 * the commit leaves them recorded, and `flush` at the next start (or on the decision's retry)
 * queues them; the outbound worker skips one that Lark already has, however late.
 */
export function createRecordedSender(outbox: Outbox, recorded: RecordedSendsRepository) {
  /** Queues the recorded sends Lark has not settled yet (of one source, or all); returns how many. */
  const flush = async (source?: string): Promise<number> => {
    const unsettled = await recorded.unsettled(source);
    for (const send of unsettled) await outbox.enqueue(send.job as OutboundJob);
    return unsettled.length;
  };
  return {
    async send(source: string, sends: Send[], decide: () => void): Promise<void> {
      const jobs = sends.map(
        (s): OutboundJob => ({
          kind: 'send',
          receiveIdType: s.receiveIdType,
          receiveId: s.receiveId,
          uuid: s.uuid,
          ...s.message,
          ...(s.buzz ? { buzz: true } : {}),
        }),
      );
      await recorded.recordWith(
        source,
        jobs.map((job) => ({ uuid: job.uuid, job })),
        decide,
      );
      await flush(source);
    },
    flush,
  };
}

export type RecordedSender = ReturnType<typeof createRecordedSender>;
