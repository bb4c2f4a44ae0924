import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { LarkCallError, type LarkApi } from '../bot/lark-api';
import type { Logger } from '../bot/logger';
import type { FailureReporter } from './outbound-failures';
import { outboundJob, targetOf, type OutboundJob } from './queues';
import type { SendLimiter } from './send-limiter';

const GATEWAY_THROTTLED = 99991400;
const TARGET_THROTTLED = 230020;
/** Lark's windows are a second long; a throttle answer without a reset header is retried after one. */
const THROTTLE_RETRY_MS = 1_000;

/**
 * Sends one queued message within Lark's limits. When the app is at its limit (by our count or by
 * Lark's 429), the whole queue pauses until the window frees and the job waits without spending an
 * attempt; when only its chat or user is, just this job is put off. Lark's `uuid` makes a retried
 * send deliver once. A request Lark will never accept is recorded and reported, and fails at once.
 */
export function createOutboundProcessor(deps: {
  lark: LarkApi;
  limiter: SendLimiter;
  pauseSending: (ms: number) => Promise<void>;
  reportFailure: FailureReporter;
  log: Logger;
}) {
  const pause = async (ms: number): Promise<never> => {
    await deps.pauseSending(ms);
    throw Worker.RateLimitError();
  };

  return async (job: Job, token?: string): Promise<{ messageId?: string }> => {
    const parsed = outboundJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed outbound job ${job.id}: ${parsed.error.message}`);
    const out = parsed.data;
    const target = targetOf(out);

    const verdict = await deps.limiter.take(target);
    if (!verdict.go) return verdict.busy === 'app' ? pause(verdict.waitMs) : defer(job, token, verdict.waitMs);

    try {
      return await call(deps.lark, out);
    } catch (err) {
      if (!(err instanceof LarkCallError)) throw err;
      if (err.httpStatus === 429 || err.code === GATEWAY_THROTTLED) {
        deps.log.warn({ jobId: job.id, resetMs: err.retryAfterMs }, 'Lark throttled the app: pausing all sends');
        return await pause(err.retryAfterMs ?? THROTTLE_RETRY_MS);
      }
      if (err.code === TARGET_THROTTLED) {
        deps.log.warn({ jobId: job.id, target: target.key }, 'Lark throttled the target: putting the send off');
        return await defer(job, token, THROTTLE_RETRY_MS);
      }
      if (err.retryable) throw err; // 5xx, network: BullMQ retries with backoff
      await deps.reportFailure(out, target, err);
      throw new UnrecoverableError(err.message);
    } finally {
      await verdict.done();
    }
  };
}

async function call(lark: LarkApi, out: OutboundJob): Promise<{ messageId?: string }> {
  switch (out.kind) {
    case 'reply':
      return lark.reply(out.messageId, out.msgType, out.content, out.uuid);
    case 'send': {
      const sent = await lark.send(out.receiveIdType, out.receiveId, out.msgType, out.content, out.uuid);
      // A retry re-sends with the same uuid (Lark returns the same message) and buzzes again: harmless.
      if (out.buzz && out.receiveIdType === 'open_id') await lark.buzz(sent.messageId, [out.receiveId]);
      return sent;
    }
    case 'update':
      await lark.updateCard(out.messageId, out.content);
      return {};
  }
}

/** Back to the delayed set without spending an attempt. */
async function defer(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
