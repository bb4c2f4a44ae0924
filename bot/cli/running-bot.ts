import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { redisOptions } from '../process/app';
import { ConfigError, readConfig } from '../process/config';

/**
 * A queue of the running bot, for the shell commands that ask it to do something: its Redis is
 * REDIS_URL, or the private redis-server `npm start` left its port for.
 */
export function runningBotQueue(name: string): Queue {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = readConfig();
  const portFile = join(config.redisDataDir, 'redis.port');
  const redisUrl = config.redisUrl ?? (existsSync(portFile) ? `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}` : undefined);
  if (!redisUrl) throw new Error('找不到机器人的 Redis：请先启动机器人（npm start），或设置 REDIS_URL');
  return new Queue(name, { connection: { ...redisOptions(redisUrl), maxRetriesPerRequest: 1 }, prefix: config.queuePrefix });
}

/** Runs a shell command's work, printing a configuration or connection problem instead of a stack. */
export async function runCli(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
