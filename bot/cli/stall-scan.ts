/**
 * npm run stall:scan
 * Asks the running bot for a stall scan now (the same job its 09:00 schedule runs): the job is
 * queued in Redis and the bot's worker runs it. Safe to repeat: a second scan the same day sends
 * nothing new.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX, redisOptions, STALL_SCAN } from '../app';
import { ConfigError, readConfig } from '../config';
import { QUEUE } from '../../jobs/queues';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = readConfig();
  const portFile = join(config.redisDataDir, 'redis.port');
  const redisUrl = config.redisUrl ?? (existsSync(portFile) ? `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}` : undefined);
  if (!redisUrl) throw new Error('找不到机器人的 Redis：请先启动机器人（npm start），或设置 REDIS_URL');
  const queue = new Queue(QUEUE.reminders, { connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: 1 }, prefix: DEFAULT_QUEUE_PREFIX });
  const job = await queue.add(STALL_SCAN, {}, { jobId: `${STALL_SCAN}-manual-${Date.now()}` });
  console.log(`已请求巡检（任务 ${job.id}），机器人将立即执行；结果见日志或发送 /预警 查看。`);
  await queue.close();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
