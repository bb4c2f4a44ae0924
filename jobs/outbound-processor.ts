import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { LarkCallError, type LarkApi } from '../bot/lark-api';
import type { Logger } from '../bot/logger';
import { outboundJob } from './queues';

/**
 * Sends one queued message. Lark's `uuid` makes a retried send deliver once; a request Lark will
 * never accept (bot not in the group, user outside the app) fails at once instead of retrying.
 * When Lark's gateway says the app is over its limit, every send pauses until the reset it names,
 * and the job waits without spending an attempt.
 */
export function createOutboundProcessor(deps: { lark: LarkApi; pauseSending: (ms: number) => Promise<void>; log: Logger }) {
  return async (job: Job): Promise<{ messageId?: string }> => {
    const parsed = outboundJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed outbound job ${job.id}: ${parsed.error.message}`);
    const out = parsed.data;
    try {
      switch (out.kind) {
        case 'reply':
          return await deps.lark.reply(out.messageId, out.msgType, out.content, out.uuid);
        case 'send':
          return await deps.lark.send(out.receiveIdType, out.receiveId, out.msgType, out.content, out.uuid);
        case 'update':
          await deps.lark.updateCard(out.messageId, out.content);
          return {};
      }
    } catch (err) {
      if (err instanceof LarkCallError && err.retryAfterMs !== undefined) {
        await deps.pauseSending(err.retryAfterMs);
        throw Worker.RateLimitError();
      }
      if (err instanceof LarkCallError && !err.retryable) {
        deps.log.error({ jobId: job.id, code: err.code, status: err.httpStatus }, 'Lark refused the message for good');
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
  };
}
