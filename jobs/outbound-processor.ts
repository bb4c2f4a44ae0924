import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { RecordedSendsRepository } from '../db/recorded-sends-repository';
import type { Logger } from './base/logger';
import { metrics } from './base/metrics';
import type { FailureReporter } from './outbound-failures';
import { type OutboundJob, outboundJob, targetOf } from './queues';
import { type LarkApi, LarkCallError } from './send/lark-api';
import type { SendLimiter } from './send-limiter';

const GATEWAY_THROTTLED = 99991400;
const TARGET_THROTTLED = 230020;
/** Lark's windows are a second long; a throttle answer without a reset header is retried after one. */
const THROTTLE_RETRY_MS = 1_000;

/** Who held a send back: our own send limiter, or Lark with a throttle answer. */
type HeldBy = 'limiter' | 'lark';

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
  /** Sends recorded before they were queued: one Lark has settled is not sent again, however late. */
  recorded: Pick<RecordedSendsRepository, 'isSettled' | 'markSettled'>;
  log: Logger;
}) {
  const pause = async (ms: number, heldBy: HeldBy): Promise<never> => {
    metrics.messages.inc({ result: 'rate_limited_app' });
    metrics.rateLimitDeferrals.inc({ scope: 'app', source: heldBy });
    await deps.pauseSending(ms);
    throw Worker.RateLimitError();
  };

  return async (job: Job, token?: string): Promise<{ messageId?: string }> => {
    const parsed = outboundJob.safeParse(job.data);
    if (!parsed.success) {
      metrics.messages.inc({ result: 'failed_permanent' });
      throw new UnrecoverableError(`malformed outbound job ${job.id}: ${parsed.error.message}`);
    }
    const out = parsed.data;
    if (await deps.recorded.isSettled(out.uuid)) return {};
    const target = targetOf(out);
    const putOff = (ms: number, heldBy: HeldBy) => {
      metrics.messages.inc({ result: 'deferred_target' });
      metrics.rateLimitDeferrals.inc({ scope: target.kind, source: heldBy });
      return defer(job, token, ms);
    };

    const verdict = await deps.limiter.take(target);
    if (!verdict.go) return verdict.busy === 'app' ? pause(verdict.waitMs, 'limiter') : putOff(verdict.waitMs, 'limiter');

    try {
      const sent = await call(deps.lark, out);
      await deps.recorded.markSettled(out.uuid);
      metrics.messages.inc({ result: 'sent' });
      return sent;
    } catch (err) {
      if (!(err instanceof LarkCallError)) throw attemptFailed(job, err);
      if (err.httpStatus === 429 || err.code === GATEWAY_THROTTLED) {
        deps.log.warn({ jobId: job.id, resetMs: err.retryAfterMs }, 'Lark throttled the app: pausing all sends');
        return await pause(err.retryAfterMs ?? THROTTLE_RETRY_MS, 'lark');
      }
      if (err.code === TARGET_THROTTLED) {
        deps.log.warn({ jobId: job.id, target: target.key }, 'Lark throttled the target: putting the send off');
        return await putOff(THROTTLE_RETRY_MS, 'lark');
      }
      if (err.retryable) throw attemptFailed(job, err); // 5xx, network: BullMQ retries with backoff
      metrics.messages.inc({ result: 'failed_permanent' });
      await deps.recorded.markSettled(out.uuid); // refused for good: not to be queued again at the next start
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
      // A retry pins again: Lark answers a message already pinned as pinned.
      if (out.pin) await lark.pinMessage(sent.messageId);
      return sent;
    }
    case 'update':
      await lark.updateCard(out.messageId, out.content);
      return {};
  }
}

/** Counts a failed attempt, which BullMQ retries unless it was the last, and hands the error back. */
function attemptFailed(job: Job, err: unknown): unknown {
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  metrics.messages.inc({ result: last ? 'failed_permanent' : 'retried' });
  return err;
}

/** Back to the delayed set without spending an attempt. */
async function defer(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
