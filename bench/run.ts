/**
 * npm run bench [-- --seconds 30 --rate 100 --split-rate 200 --split-projects 100000 --commands 200 --fanout 2000 --rebuild-projects 10000 --scan-projects 100000
 *   --standings-projects 100000 --ledger-projects 10000]
 *
 * Starts its own redis-server and Lark sandbox, then the bot as a separate process with its real
 * start command (so the load generator and the sandbox do not share the bot's event loop), and
 * prints the figures.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX, redisOptions, STALL_SCAN } from '../bot/process/app';
import { openDatabase } from '../db/client';
import { dateInZone } from '../domain/calendar-date';
import { startLocalRedis } from '../jobs/local-redis';
import { QUEUE } from '../jobs/queues';
import { LarkSandbox } from '../sandbox/lark-sandbox';
import { startBotProcess } from '../test/support/bot-process';
import { tempDir } from '../test/support/temp-dir';
import { formatFanout, measureFanout } from './fanout';
import { formatLedgerExport, measureLedgerExport } from './ledger-export';
import { formatRebuild, measureRemindersRebuild } from './reminders-rebuild';
import { seedPipeline } from './seed-pipeline';
import { formatStallScan, measureStallScan } from './stall-scan';
import { formatStandings, measureStandings } from './standings';
import { ms } from './stats';
import { benchUsers, formatAck, formatReply, measureAckLatency, measureCommandToReply } from './webhook-latency';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '100' },
    'split-rate': { type: 'string', default: '200' },
    'split-projects': { type: 'string', default: '100000' },
    commands: { type: 'string', default: '200' },
    fanout: { type: 'string', default: '2000' },
    'rebuild-projects': { type: 'string', default: '10000' },
    'scan-projects': { type: 'string', default: '100000' },
    'standings-projects': { type: 'string', default: '100000' },
    'ledger-projects': { type: 'string', default: '10000' },
  },
});

const secrets = { appId: 'cli_0123456789abcdef', appSecret: 'bench-secret', encryptKey: 'bench-encrypt', verificationToken: 'bench-token' };
const dir = tempDir('bench');
const redis = await startLocalRedis({ dir: join(dir.path, 'redis') });
const sandbox = await LarkSandbox.start({ ...secrets, users: benchUsers });
const { child: bot, url: botUrl } = await startBotProcess({
  secrets,
  larkDomain: sandbox.url,
  databasePath: join(dir.path, 'zs.db'),
  redisUrl: redis.url,
  logLevel: process.env.BENCH_BOT_LOG_LEVEL ?? 'error',
  output: 'inherit',
});
try {
  const target = { sandbox, webhookUrl: `${botUrl}/webhook/event` };
  // Replies first: the ack run leaves thousands of replies queued behind Lark's per-minute limit.
  console.log(formatReply(await measureCommandToReply(target, Number(values.commands))));
  const rate = Number(values.rate);
  console.log(formatAck(await measureAckLatency(target, rate, Number(values.seconds)), rate));
  console.log(formatFanout(await measureFanout({ sandbox, redisUrl: redis.url, queuePrefix: DEFAULT_QUEUE_PREFIX }, Number(values.fanout))));
  console.log(await measureSplit(Number(values['split-rate']), Number(values.seconds), Number(values['split-projects'])));
  // Last, in this process against their own SQLite files and queue prefix: the large data sets
  // they build would otherwise slow the load generator above with garbage collection.
  console.log(formatRebuild(await measureRemindersRebuild({ dir: dir.path, redisUrl: redis.url, projects: Number(values['rebuild-projects']) })));
  console.log(formatStallScan(await measureStallScan({ dir: dir.path, projects: Number(values['scan-projects']) })));
  console.log(formatStandings(await measureStandings({ dir: dir.path, projects: Number(values['standings-projects']) })));
  console.log(formatLedgerExport(await measureLedgerExport({ dir: dir.path, projects: Number(values['ledger-projects']) })));
} finally {
  await stopProcess(bot);
  await sandbox.stop();
  await redis.stop();
  dir.remove();
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The web side alone in its process (npm run web) with the workers in another (npm run worker), on
 * their own database of `projects` projects and queue prefix: the ack while the worker is busy (its
 * start re-arms every reminder, then the events), then a stall scan in the worker, and the peak RSS
 * of each process.
 */
async function measureSplit(rate: number, seconds: number, projects: number): Promise<string> {
  const databasePath = join(dir.path, 'split.db');
  const db = openDatabase(databasePath);
  const now = Date.now();
  seedPipeline(db, { projects, today: dateInZone(now, 'Asia/Shanghai'), now, activitySpreadDays: 60, firstDueInDays: -30 });
  db.$client.close();
  const split = { secrets, larkDomain: sandbox.url, databasePath, redisUrl: redis.url, logLevel: 'error', output: 'inherit' as const };
  const env = { QUEUE_PREFIX: 'zs-split' };
  const web = await startBotProcess({ ...split, env: { ...env, BOT_ROLE: 'web' } });
  const worker = await startBotProcess({ ...split, env: { ...env, BOT_ROLE: 'worker' } });
  const queue = new Queue(QUEUE.reminders, { connection: redisOptions(redis.url), prefix: env.QUEUE_PREFIX });
  try {
    const ack = await measureAckLatency({ sandbox, webhookUrl: `${web.url}/webhook/event` }, rate, seconds);
    const scanStart = performance.now();
    const scan = await queue.add(STALL_SCAN, {});
    while (!(await scan.isCompleted()) && !(await scan.isFailed())) await new Promise((r) => setTimeout(r, 50));
    const scanMs = performance.now() - scanStart;
    return [
      formatAck(ack, rate).replace('webhook ack', `webhook ack (web and worker processes apart, ${projects} projects)`),
      `  stall scan in the worker process, queued to done: ${ms(scanMs)}`,
      `  peak RSS: web process ${peakRss(web.child)}, worker process ${peakRss(worker.child)}`,
    ].join('\n');
  } finally {
    await queue.close();
    await stopProcess(worker.child);
    await stopProcess(web.child);
  }
}

/** A child's peak resident memory (VmHWM), as Linux counts it. */
function peakRss(child: ChildProcess): string {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return kib ? `${(Number(kib) / 1024).toFixed(0)} MiB` : 'unknown';
}
