/**
 * npm run bench [-- --databases sqlite,postgres --only split,scan --seconds 30 --rate 100 --split-rate 200 --split-projects 100000 --split-heap-mb 320 --commands 200
 *   --fanout 2000 --rebuild-projects 10000 --scan-projects 100000 --standings-projects 100000 --ledger-projects 10000]
 *
 * Starts its own redis-server, Lark sandbox and (for PostgreSQL) a private PostgreSQL cluster
 * (durable, unlike the tests' one: fsync and synchronous commit on, as a real server runs),
 * then the bot as separate processes with their real start commands (so the load generator and
 * the sandbox do not share the bot's event loop), and prints the figures: the command and ack
 * figures of one bot process on SQLite, then for each database the ack with web and worker apart
 * and every data-set figure, each measured alone in a process of its own.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_QUEUE_PREFIX, redisOptions, STALL_SCAN } from '../bot/process/app';
import { openStore } from '../db/open-store';
import type { Dialect } from '../db/store';
import { dateInZone } from '../domain/calendar-date';
import { startLocalRedis } from '../jobs/local-redis';
import { QUEUE } from '../jobs/queues';
import { LarkSandbox } from '../sandbox/lark-sandbox';
import { buildBot, startBotProcess } from '../test/support/bot-process';
import { createDatabase, type LocalPostgres, startLocalPostgres } from '../test/support/postgres';
import { tempDir } from '../test/support/temp-dir';
import { formatFanout, measureFanout } from './fanout';
import { formatLedgerExport } from './ledger-export';
import type { Figure, MeasureOptions } from './measure';
import { formatRebuild } from './reminders-rebuild';
import { countyDetails, OWNERS, seedPipeline } from './seed-pipeline';
import { formatStallScan } from './stall-scan';
import { formatStandings } from './standings';
import { ms } from './stats';
import { benchUsers, formatAck, formatReply, measureAckLatency, measureCommandToReply } from './webhook-latency';

const { values } = parseArgs({
  options: {
    databases: { type: 'string', default: 'sqlite,postgres' },
    // Some of: reply, ack, fanout, split, rebuild, scan, standings, ledger; unset: all of them.
    only: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '100' },
    'split-rate': { type: 'string', default: '200' },
    'split-projects': { type: 'string', default: '100000' },
    // The web and worker processes' V8 heap limit (--max-old-space-size), in MB; unset: the start scripts' (BOT_HEAP_MB, package.json).
    'split-heap-mb': { type: 'string' },
    commands: { type: 'string', default: '200' },
    fanout: { type: 'string', default: '2000' },
    'rebuild-projects': { type: 'string', default: '10000' },
    'scan-projects': { type: 'string', default: '100000' },
    'standings-projects': { type: 'string', default: '100000' },
    'ledger-projects': { type: 'string', default: '10000' },
  },
});
const dialects = values.databases.split(',').map((d) => d.trim()) as Dialect[];
const wanted = (figure: string) => !values.only || values.only.split(',').some((f) => f.trim() === figure);

buildBot();
const secrets = { appId: 'cli_0123456789abcdef', appSecret: 'bench-secret', encryptKey: 'bench-encrypt', verificationToken: 'bench-token' };
const dir = tempDir('bench');
const redis = await startLocalRedis({ dir: join(dir.path, 'redis') });
// A folder of its own: as root the cluster runs as the postgres user, who cannot enter `dir`.
const postgresDir = tempDir('bench-postgres');
const postgres: LocalPostgres | undefined = dialects.includes('postgres') ? await startLocalPostgres({ dir: postgresDir.path, durable: true }) : undefined;
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${new Date().toISOString()})`,
);
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
  const target = { sandbox, webhookUrl: `${botUrl}/webhook/event`, encryptKey: secrets.encryptKey };
  // Replies first: the ack run leaves thousands of replies queued behind Lark's per-minute limit.
  if (wanted('reply')) console.log(formatReply(await measureCommandToReply(target, Number(values.commands))));
  const rate = Number(values.rate);
  if (wanted('ack')) console.log(formatAck(await measureAckLatency(target, rate, Number(values.seconds)), rate));
  if (wanted('fanout'))
    console.log(formatFanout(await measureFanout({ sandbox, redisUrl: redis.url, queuePrefix: DEFAULT_QUEUE_PREFIX }, Number(values.fanout))));
  for (const dialect of dialects) {
    console.log(`\n— ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} —`);
    if (wanted('split')) console.log(await measureSplit(dialect, Number(values['split-rate']), Number(values.seconds), Number(values['split-projects'])));
    if (wanted('rebuild')) console.log(formatRebuild(await measureAlone(dialect, 'rebuild', Number(values['rebuild-projects']))));
    if (wanted('scan')) console.log(formatStallScan(await measureAlone(dialect, 'scan', Number(values['scan-projects']))));
    if (wanted('standings')) console.log(formatStandings(await measureAlone(dialect, 'standings', Number(values['standings-projects']))));
    if (wanted('ledger')) console.log(formatLedgerExport(await measureAlone(dialect, 'ledger', Number(values['ledger-projects']))));
  }
  console.log(
    `\nload average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${new Date().toISOString()})`,
  );
} finally {
  await stopProcess(bot);
  await sandbox.stop();
  await redis.stop();
  await postgres?.stop();
  postgresDir.remove();
  dir.remove();
}

/** A fresh database of `dialect` named for `name`: a SQLite file, or a database on the private cluster. */
async function freshDatabase(dialect: Dialect, name: string): Promise<{ databasePath: string; databaseUrl?: string }> {
  const databasePath = join(dir.path, `${name}.db`);
  return dialect === 'postgres' ? { databasePath, databaseUrl: await createDatabase(postgres!.url, name) } : { databasePath };
}

/** Runs one data-set figure in a process of its own (bench/measure.ts) and returns its result. */
async function measureAlone<F extends Figure>(dialect: Dialect, figure: F, projects: number) {
  const options: MeasureOptions = { ...(await freshDatabase(dialect, `${figure}_${dialect}`)), redisUrl: redis.url, projects };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/measure.ts', figure, JSON.stringify(options)], {
    maxBuffer: 64 * 2 ** 20,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the child prints the figure's own result type as JSON
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as any;
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
async function measureSplit(dialect: Dialect, rate: number, seconds: number, projects: number): Promise<string> {
  const database = await freshDatabase(dialect, `split_${dialect}`);
  const store = await openStore(database);
  const now = Date.now();
  // With units, money and jobs: the worker reads the quarter's standings at start, and holds them.
  await seedPipeline(store, { projects, today: dateInZone(now, 'Asia/Shanghai'), now, activitySpreadDays: 60, firstDueInDays: -30, details: countyDetails() });
  await store.close();
  // The seeded owners are in the tenant, so the worker's stall notices reach them.
  for (let p = 0; p < OWNERS; p++) sandbox.addUser({ openId: `ou_bench_${p}`, name: `干部${p}` });
  const split = { secrets, larkDomain: sandbox.url, databasePath: database.databasePath, redisUrl: redis.url, logLevel: 'error', output: 'inherit' as const };
  const heap: Record<string, string> = values['split-heap-mb'] ? { BOT_HEAP_MB: values['split-heap-mb'] } : {};
  const env: Record<string, string> = { QUEUE_PREFIX: `zs-split-${dialect}`, ...heap, ...(database.databaseUrl && { DATABASE_URL: database.databaseUrl }) };
  const web = await startBotProcess({ ...split, env: { ...env, BOT_ROLE: 'web' } });
  const worker = await startBotProcess({ ...split, env: { ...env, BOT_ROLE: 'worker' } });
  const queue = new Queue(QUEUE.reminders, { connection: redisOptions(redis.url), prefix: env.QUEUE_PREFIX });
  try {
    const ack = await measureAckLatency({ sandbox, webhookUrl: `${web.url}/webhook/event`, encryptKey: secrets.encryptKey }, rate, seconds);
    const serverSide = await ackBuckets(web.url);
    const scanStart = performance.now();
    const scan = await queue.add(STALL_SCAN, {});
    while (!(await scan.isCompleted()) && !(await scan.isFailed())) await new Promise((r) => setTimeout(r, 50));
    const scanMs = performance.now() - scanStart;
    return [
      formatAck(ack, rate).replace(
        'webhook ack',
        `webhook ack (web and worker processes apart, ${projects} projects, heap limit ${heap.BOT_HEAP_MB ?? 'of the start scripts'})`,
      ),
      `  as the web process timed them (zs_webhook_ack_seconds): ${serverSide}`,
      `  stall scan in the worker process, queued to done: ${ms(scanMs)}`,
      `  peak RSS: web process ${peakRss(web.child)}, worker process ${peakRss(worker.child)}`,
    ].join('\n');
  } finally {
    await queue.close();
    await stopProcess(worker.child);
    await stopProcess(web.child);
    await removeKeys(env.QUEUE_PREFIX!);
  }
}

/**
 * Removes every key under a queue prefix. A split run leaves hundreds of MB in the bench's Redis
 * (100,000 projects' reminders, the replies still queued), and Redis rewrites its append-only file
 * in proportion to what it holds: the next database's split run measured the ack behind those
 * rewrites (forks of a 300–600 MB Redis) rather than behind its own worker.
 */
async function removeKeys(prefix: string): Promise<void> {
  const client = new Redis(redis.url);
  try {
    for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1_000 }) as AsyncIterable<string[]>)
      if (keys.length > 0) await client.unlink(...keys);
  } finally {
    client.disconnect();
  }
}

/** The web process's own timing of its answers (request to answer), as shares of its histogram's buckets up to 100 ms. */
async function ackBuckets(webUrl: string): Promise<string> {
  const text = await (await fetch(`${webUrl}/metrics`)).text();
  const bucket = (le: string) =>
    Number(
      new RegExp(`zs_webhook_ack_seconds_bucket\\{le="${le.replace('+', '\\+')}",event_type="im.message.receive_v1",status="200"\\} (\\d+)`).exec(text)?.[1] ??
        Number.NaN,
    );
  const all = bucket('+Inf');
  return ['0.005', '0.01', '0.025', '0.05', '0.1'].map((le) => `≤ ${Number(le) * 1000} ms ${((100 * bucket(le)) / all).toFixed(2)} %`).join(', ');
}

/** A child's peak resident memory (VmHWM), as Linux counts it. */
function peakRss(child: ChildProcess): string {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return kib ? `${(Number(kib) / 1024).toFixed(0)} MiB` : 'unknown';
}
