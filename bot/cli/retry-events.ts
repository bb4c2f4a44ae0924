/**
 * npm run events:retry
 * Runs again every Lark event whose job failed for good (they are kept 30 days, listed on the queue
 * dashboard and counted in zs_queue_jobs{queue="lark-events",state="failed"}). Handlers are
 * idempotent: an event that had half-happened does not happen twice.
 */
import { QUEUE } from '../../jobs/queues';
import { runCli, runningBotQueue } from './running-bot';

await runCli(async () => {
  const queue = runningBotQueue(QUEUE.larkEvents);
  const failed = await queue.getFailed();
  for (const job of failed) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  console.log(failed.length === 0 ? '没有失败的事件。' : `已重新处理 ${failed.length} 个失败的事件：${failed.map((j) => j.data?.eventId ?? j.id).join('、')}`);
  await queue.close();
});
