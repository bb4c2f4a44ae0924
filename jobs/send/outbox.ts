import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { RecordedSendsRepository } from '../../db/recorded-sends-repository';
import { inPacedBatches, type Pace } from '../base/paced-batches';
import { jobId, type OutboundJob } from '../queues';
import type { ReceiveIdType } from './lark-api';
import type { OutgoingMessage } from './messages';

/**
 * A stall scan's cards are the morning's notices, and the scan waits for them a chunk at a time:
 * larger batches and shorter pauses than the reminders' rebuild.
 */
const ENQUEUE_PACE: Pace = { size: 200, restPerBusy: 1 };

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
    /** Queues many such jobs, in pipelines of a few hundred rather than a round trip each. */
    async enqueueMany(jobs: OutboundJob[]): Promise<void> {
      await inPacedBatches(jobs, ENQUEUE_PACE, (batch) =>
        queue.addBulk(batch.map((job) => ({ name: job.kind, data: job, opts: { jobId: jobId.outbound(job.uuid) } }))),
      );
    },
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
  /** Queues the recorded sends Lark has not settled yet (of one source, or all, but `except`); returns how many. */
  const flush = async (source?: string, except?: ReadonlySet<string>): Promise<number> => {
    let queued = 0;
    for await (const page of recorded.unsettled(source, { except })) {
      await outbox.enqueueMany(page.map((send) => send.job as OutboundJob));
      queued += page.length;
    }
    return queued;
  };
  /** `decide` writes what makes the sends due and answers them, inside the transaction that records them. */
  const decideAndSend = async (source: string, decide: () => Promise<Send[]>): Promise<void> => {
    let jobs: OutboundJob[] = [];
    const fresh = await recorded.recordWith(source, async () => {
      jobs = (await decide()).map(
        (s): OutboundJob => ({
          kind: 'send',
          receiveIdType: s.receiveIdType,
          receiveId: s.receiveId,
          uuid: s.uuid,
          ...s.message,
          ...(s.buzz ? { buzz: true } : {}),
        }),
      );
      return jobs.map((job) => ({ uuid: job.uuid, job }));
    });
    // Those recorded now go as they are; any other of the source's (recorded before a crash, or
    // recorded then with other content) goes as it was recorded.
    await outbox.enqueueMany(jobs.filter((job) => fresh.has(job.uuid)));
    await flush(source, fresh);
  };
  return {
    decideAndSend,
    /** Sends known before the decision: `decide` and their record commit together. */
    send: (source: string, sends: Send[], decide: () => unknown) =>
      decideAndSend(source, async () => {
        await decide();
        return sends;
      }),
    flush: (source?: string) => flush(source),
  };
}

export type RecordedSender = ReturnType<typeof createRecordedSender>;
