/**
 * npm run stall:scan
 * Asks the running bot for a stall scan now (the same job its 09:00 schedule runs): the job is
 * queued in Redis and the bot's worker runs it. Safe to repeat: a second scan the same day sends
 * nothing new.
 */

import { QUEUE } from '../../jobs/queues';
import { STALL_SCAN } from '../process/app';
import { runCli, runningBotQueue } from './running-bot';

await runCli(async () => {
  const queue = runningBotQueue(QUEUE.reminders);
  const job = await queue.add(STALL_SCAN, {}, { jobId: `${STALL_SCAN}-manual-${Date.now()}` });
  console.log(`已请求巡检（任务 ${job.id}），机器人将立即执行；结果见日志或发送 /预警 查看。`);
  await queue.close();
});
