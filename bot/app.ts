import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { checkDatabase, openDatabase, type Db } from '../db/client';
import { createEventsRepository } from '../db/events-repository';
import { createPeopleRepository, createUnitsRepository } from '../db/people-repository';
import { createProjectsRepository } from '../db/projects-repository';
import { catalogSchema, type Catalog } from '../domain/catalog';
import type { Clock } from '../domain/clock';
import { createEventProcessor } from '../jobs/event-processor';
import { startLocalRedis, type LocalRedis } from '../jobs/local-redis';
import { createOutboundProcessor } from '../jobs/outbound-processor';
import { createQueues, QUEUE, type Queues } from '../jobs/queues';
import { createCardActionHandler } from './card-action-handler';
import { assignCommand } from './commands/assign';
import { createCommandTable, type CommandTable } from './commands/command-table';
import { helpCommand } from './commands/help';
import { leadCommand } from './commands/lead';
import { ConfigError, type Config } from './config';
import { eventHandlers } from './event-handlers';
import { createEventIntake, withTimeout } from './event-intake';
import { LarkApi } from './lark-api';
import { createLeadRegistration } from './lead-registration';
import { createLogger, type Logger } from './logger';
import { createMessageHandler } from './message-handler';
import { createOutbox } from './outbox';
import { createWebhookApp } from './webhook';

/** The real time, for production; tests inject their own clock. */
export const systemClock: Clock = () => Date.now();

export interface AppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** BullMQ key prefix; tests give each app its own. */
  queuePrefix?: string;
}

export interface RunningApp {
  /** http://127.0.0.1:PORT of the webhook server. */
  url: string;
  db: Db;
  queues: Queues;
  redisUrl: string;
  close(): Promise<void>;
}

/**
 * The composition root: opens SQLite (migrating it) and Redis (starting a private one when no
 * REDIS_URL is set), wires repositories, commands and handlers, starts the workers and the webhook.
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const prefix = options.queuePrefix ?? 'zs';
  const catalog = loadCatalog(config.countyConfigPath);

  const localRedis: LocalRedis | undefined = config.redisUrl ? undefined : await startLocalRedis({ dir: config.redisDataDir });
  const redisUrl = config.redisUrl ?? localRedis!.url;
  const workerConnection: ConnectionOptions = { ...redisOptions(redisUrl), maxRetriesPerRequest: null };
  // The webhook's connection fails fast: an event that cannot be stored must get Lark a non-200 now.
  const producer = new Redis({ ...redisOptions(redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));

  const db = openDatabase(config.databasePath);
  const people = createPeopleRepository({ db, clock });
  const units = createUnitsRepository({ db, clock });
  const projects = createProjectsRepository({ db, clock });
  const events = createEventsRepository({ db, clock });

  const lark = new LarkApi(config.lark, log);
  const queues = createQueues(producer, prefix);
  const outbox = createOutbox(queues.outbound);
  const registration = createLeadRegistration({ projects, people, units, catalog, timeZone: config.timeZone, clock, outbox, log });

  let commands: CommandTable;
  commands = createCommandTable([
    leadCommand({ registration, catalog }),
    assignCommand({ projects, units, people, registration, outbox }),
    helpCommand(() => commands),
  ]);

  const handlers = eventHandlers({
    onMessage: createMessageHandler({ commands, people, outbox, botOpenId: rememberSuccess(() => lark.botOpenId()), log }),
    onCardAction: createCardActionHandler({ registration, projects, people, catalog, log }),
  });

  const workers = [
    new Worker(QUEUE.larkEvents, createEventProcessor({ handlers, events, outbox, log }), {
      connection: workerConnection,
      prefix,
      concurrency: 4,
    }),
    new Worker(QUEUE.outbound, createOutboundProcessor({ lark, pauseSending: (ms) => queues.outbound.rateLimit(ms), log }), {
      connection: workerConnection,
      prefix,
      concurrency: 8,
      // Lark allows 50 sends/s per app. BullMQ's windows are fixed, so 8 per 200 ms keeps any
      // sliding second under 50; the 1000/min limit is met by pausing on Lark's 429.
      limiter: { max: 8, duration: 200 },
    }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, err) => log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('error', (err) => log.warn({ queue: worker.name, err: err.message }, 'worker error'));
  }

  const intake = createEventIntake({ queue: queues.larkEvents, connection: workerConnection, prefix, events, log });
  const webhook = createWebhookApp({
    options: { encryptKey: config.lark.encryptKey, verificationToken: config.lark.verificationToken, eventMaxAgeMs: config.eventMaxAgeMs },
    intake,
    clock,
    log,
    health: async () => ({ sqlite: safely(() => checkDatabase(db)), redis: await withTimeout(producer.ping(), 1_000).then(() => true, () => false) }),
  });
  const server = await listen(webhook, config.port);
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port}`;
  log.info({ url, redis: redisUrl, database: config.databasePath }, '招商助手 started');

  return {
    url,
    db,
    queues,
    redisUrl,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(workers.map((w) => w.close()));
      await intake.close();
      await queues.close();
      producer.disconnect();
      db.$client.close();
      await localRedis?.stop();
    },
  };
}

function loadCatalog(path: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`COUNTY_CONFIG_PATH: 无法读取 ${path}：${(err as Error).message}`]);
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${path} ${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}

export function redisOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number(u.pathname.slice(1) || 0),
  };
}

/** Calls `load` until it succeeds once, then keeps the answer (the bot's open_id never changes). */
function rememberSuccess<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((err) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

function listen(app: ReturnType<typeof createWebhookApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
