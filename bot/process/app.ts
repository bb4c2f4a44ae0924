import type { Server } from 'node:http';
import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { createBlockersRepository } from '../../db/blockers-repository';
import { createBulletinRepository } from '../../db/bulletin-repository';
import { createDailyRunsRepository } from '../../db/daily-runs-repository';
import { createDeliveryFailuresRepository } from '../../db/delivery-failures-repository';
import { createDigestsRepository } from '../../db/digests-repository';
import { createEscalationsRepository } from '../../db/escalations-repository';
import { createEventsRepository } from '../../db/events-repository';
import { createLedgerRepository } from '../../db/ledger-repository';
import { describeStore, openStore } from '../../db/open-store';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createPipelineRepository } from '../../db/pipeline-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { createRecordedSendsRepository } from '../../db/recorded-sends-repository';
import { createStandingsRepository } from '../../db/standings-repository';
import type { Store } from '../../db/store';
import { createWorkGroupsRepository } from '../../db/work-groups-repository';
import { instantAt } from '../../domain/calendar-date';
import type { Clock } from '../../domain/clock';
import { quarterOf } from '../../domain/periods';
import { createLogger, type Logger, withoutPassword } from '../../jobs/base/logger';
import { createDailyTasks, type DailyTasks } from '../../jobs/daily-tasks';
import { createEscalations, type Escalations } from '../../jobs/escalations';
import { createEventProcessor } from '../../jobs/event-processor';
import { type LocalRedis, startLocalRedis } from '../../jobs/local-redis';
import { createRefusalReporter } from '../../jobs/outbound-failures';
import { createOutboundWorker } from '../../jobs/outbound-worker';
import { createQueues, EVENT_WORKER_OPTIONS, QUEUE, type Queues } from '../../jobs/queues';
import { createReminders, NUDGE_TIME, type Reminders } from '../../jobs/reminders';
import { LarkApi } from '../../jobs/send/lark-api';
import { createOutbox, createRecordedSender } from '../../jobs/send/outbox';
import { blockerCardActions } from '../blockers/blocker-card-actions';
import { blockerCommands } from '../blockers/blocker-commands';
import { createBlockerService } from '../blockers/blocker-service';
import { createJointMeetings } from '../blockers/joint-meetings';
import { createCalendarCheck } from '../calendar/calendar-check';
import { type CommandTable, createCommandTable } from '../common/command-table';
import { escalationCardActions } from '../escalation/escalation-card-actions';
import { escalationCommands } from '../escalation/escalation-commands';
import { createEscalationMessenger } from '../escalation/escalation-messenger';
import { helpCommand } from '../help/help-command';
import { createCardActionHandler } from '../lark/card-action-handler';
import { eventHandlers } from '../lark/event-handlers';
import { createEventIntake, withTimeout } from '../lark/event-intake';
import { startLongConnection } from '../lark/long-connection';
import { createMessageHandler } from '../lark/message-handler';
import { createWebhookApp } from '../lark/webhook';
import { assignCommand } from '../leads/assign-command';
import { leadCardActions } from '../leads/lead-card-actions';
import { leadCommand } from '../leads/lead-command';
import { createLeadRegistration } from '../leads/lead-registration';
import { createDigestDelivery, DIGEST_ITEMS_SHOWN } from '../pipeline/digest-delivery';
import { createPipelineActions } from '../pipeline/pipeline-actions';
import { pipelineCardActions } from '../pipeline/pipeline-card-actions';
import { pipelineCommands, projectCardFor } from '../pipeline/pipeline-commands';
import { type Bulletin, createBulletin } from '../standings/bulletin';
import { bulletinCommand } from '../standings/bulletin-command';
import { ledgerCommand } from '../standings/ledger-command';
import { referrersCommand } from '../standings/referrers-command';
import { createStandings } from '../standings/standings';
import { standingsFeature } from '../standings/standings-commands';
import { workGroupCommand } from '../workgroups/work-group-command';
import { createWorkGroups, WORKGROUP_SYNC } from '../workgroups/work-groups';
import { adminDashboard } from './admin-dashboard';
import type { Config } from './config';

export { DEFAULT_QUEUE_PREFIX } from './config';

import { loadCountyConfig } from './county-config';
import { metricsEndpoint } from './metrics';
import { shutdown } from './shutdown';
import { loadWorkingCalendar } from './working-calendar-source';

/** The real time, for production; tests inject their own clock. */
export const systemClock: Clock = () => Date.now();

const CALENDAR_CHECK = 'calendar-check';
/** The daily stall scan's job name; `npm run stall:scan` queues one by hand. */
export const STALL_SCAN = 'stall-scan';
const BULLETIN_CHECK = 'bulletin-check';
const PRUNE_RECORDED_SENDS = 'prune-recorded-sends';
const REFRESH_STATISTICS = 'refresh-statistics';
const MEETING_AGENDAS = 'meeting-agendas';
const SILENT_CONFIRMATIONS = 'blocker-confirmations';
/** Settled recorded sends are kept a week (for looking into a complaint), then forgotten. */
const RECORDED_SENDS_KEPT_MS = 7 * 86_400_000;
/** Where the queue dashboard is served (only when ADMIN_PASSWORD is set). */
const ADMIN_PATH = '/admin/queues';

export interface AppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** BullMQ key prefix; tests give each app its own. */
  queuePrefix?: string;
  /** Extra routes on the HTTP server, given the app's parts (sandbox mode's chat page). */
  routes?: (app: AppParts) => Router;
}

/** What extra routes may use of the running app. */
export type AppParts = Pick<RunningApp, 'store' | 'queues' | 'reminders' | 'dailyTasks'>;

export interface RunningApp {
  /** http://127.0.0.1:PORT of the webhook server. */
  url: string;
  store: Store;
  queues: Queues;
  reminders: Reminders;
  escalations: Escalations;
  bulletin: Bulletin;
  calendarCheck: () => Promise<string[]>;
  /** The daily tasks (stall scan, holiday-data check, bulletin), as the 09:00 schedule runs them. */
  dailyTasks: DailyTasks;
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
  const prefix = options.queuePrefix ?? config.queuePrefix;
  const county = loadCountyConfig(config.countyConfigPath);
  const { catalog } = county;
  const calendar = loadWorkingCalendar(config.holidayOverridesPath);

  const localRedis: LocalRedis | undefined = config.redisUrl ? undefined : await startLocalRedis({ dir: config.redisDataDir });
  const redisUrl = config.redisUrl ?? localRedis!.url;
  const workerConnection: ConnectionOptions = { ...redisOptions(redisUrl), maxRetriesPerRequest: null };
  // The webhook's connection fails fast: an event that cannot be stored must get Lark a non-200 now.
  const producer = new Redis({ ...redisOptions(redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));

  const store = await openStore(config);
  const people = createPeopleRepository({ store, clock });
  const units = createUnitsRepository({ store, clock });
  const projects = createProjectsRepository({ store, clock });
  const events = createEventsRepository({ store, clock });
  const pipeline = createPipelineRepository({ store, clock });
  const digests = createDigestsRepository({ store, clock });
  const blockersRepo = createBlockersRepository({ store, clock });

  const lark = new LarkApi(config.lark, log);
  const queues = createQueues(producer, prefix);
  const outbox = createOutbox(queues.outbound);
  const recordedSends = createRecordedSendsRepository({ store, clock });
  const recordedSender = createRecordedSender(outbox, recordedSends);
  const registration = createLeadRegistration({ projects, people, units, catalog, timeZone: config.timeZone, clock, outbox, log });
  const reminders = createReminders({
    queue: queues.reminders,
    pipeline,
    blockers: blockersRepo,
    people,
    digests,
    calendar,
    rules: county.nudges,
    timeZone: config.timeZone,
    clock,
    deliverDigest: createDigestDelivery(recordedSender),
    digestItemsShown: DIGEST_ITEMS_SHOWN,
    flushRecorded: recordedSender.flush,
    log,
  });
  const calendarCheck = createCalendarCheck({
    calendar,
    people,
    outbox,
    timeZone: config.timeZone,
    holidayOverridesPath: config.holidayOverridesPath,
    clock,
    log,
  });
  const escalationsRepo = createEscalationsRepository({ store, clock });
  const escalations = createEscalations({
    repo: escalationsRepo,
    projects,
    people,
    calendar,
    stallRules: county.stalls,
    escalationRules: county.escalation,
    blockerEscalationRules: county.blockerEscalation,
    blockers: blockersRepo,
    supervisorsChatId: county.supervisorsChatId,
    timeZone: config.timeZone,
    clock,
    messenger: createEscalationMessenger(outbox),
    sender: recordedSender,
    log,
  });
  const standingsService = createStandings({ repo: createStandingsRepository({ store }), rules: county.scoring, timeZone: config.timeZone, clock });
  const standings = standingsFeature({ standings: standingsService, units, people, visibility: county.visibility });
  const bulletin = createBulletin({
    standings: standingsService,
    repo: createBulletinRepository({ store }),
    escalations: escalationsRepo,
    projects,
    people,
    digests,
    calendar,
    sender: recordedSender,
    leadershipChatId: county.leadershipChatId,
    timeZone: config.timeZone,
  });
  const actions = createPipelineActions({
    projects,
    pipeline,
    people,
    reminders,
    onActivity: escalations.resolveForActivity,
    onSigned: async (projectId, actorOpenId) => void (await workGroups.request(projectId, actorOpenId)),
    timeZone: config.timeZone,
    clock,
    visibility: county.visibility,
  });

  const blockerService = createBlockerService({
    repo: blockersRepo,
    people,
    units,
    calendar,
    rules: county.blockers,
    outbox,
    followUp: {
      arm: reminders.armBlocker,
      disarm: reminders.disarmBlocker,
      settle: escalations.settleBlocker,
      involve: (projectId) => workGroups.refresh(projectId),
    },
    supervisorsChatId: county.supervisorsChatId,
    today: actions.today,
    mayLog: actions.mayLog,
    mayChange: actions.mayChange,
  });
  const jointMeetings = createJointMeetings({
    repo: blockersRepo,
    people,
    service: blockerService,
    calendar,
    rules: county.blockers,
    sender: recordedSender,
    meetingChatId: county.jointMeetingChatId,
    today: actions.today,
    pastNineOn: (day) => clock() >= instantAt(day, NUDGE_TIME, config.timeZone),
  });
  const blockerFeature = { service: blockerService, meetings: jointMeetings, repo: blockersRepo, actions, rules: county.blockers };

  const pipelineDeps = {
    actions,
    projects,
    pipeline,
    people,
    registration,
    outbox,
    catalog,
    calendar,
    signedDefaults: county.signedDefaults,
    timeZone: config.timeZone,
    openBlockers: async (projectId: number) => (await blockerService.unfinishedOf(projectId)).length,
    unkeptCommitments: async (projectId: number) => (await blockersRepo.commitmentsOf(projectId)).filter((c) => c.status === 'open'),
  };
  const failures = createDeliveryFailuresRepository({ store, clock });
  const workGroups = createWorkGroups({
    repo: createWorkGroupsRepository({ store, clock }),
    projects,
    people,
    blockers: blockersRepo,
    lark,
    outbox,
    queue: queues.reminders,
    report: createRefusalReporter({ failures, people, outbox, log }),
    projectCard: (project) => projectCardFor(pipelineDeps, project),
    log,
  });

  let commands: CommandTable;
  commands = createCommandTable([
    leadCommand({ registration, catalog, people }),
    ...pipelineCommands(pipelineDeps),
    workGroupCommand({ workGroups, actions }),
    ...escalationCommands({ escalations, repo: escalationsRepo, projects, actions, blockers: blockersRepo, timeZone: config.timeZone }),
    ...blockerCommands({ ...blockerFeature, units, calendar }),
    standings.command,
    bulletinCommand({ bulletin, standings: standingsService }),
    referrersCommand({ store, rule: county.referrerReward, timeZone: config.timeZone, today: standingsService.today, visibility: county.visibility }),
    ledgerCommand({
      ledger: createLedgerRepository({ store }),
      units,
      catalog,
      uploadFile: (name, bytes) => lark.uploadFile(name, bytes),
      timeZone: config.timeZone,
      today: standingsService.today,
      visibility: county.visibility,
    }),
    assignCommand({ projects, units, people, registration, outbox, involve: (projectId) => workGroups.refresh(projectId) }),
    helpCommand(() => commands),
  ]);

  const handlers = eventHandlers({
    onBotRemoved: async (_eventId, payload) => {
      const chatId = (payload as { chat_id?: unknown }).chat_id;
      if (typeof chatId === 'string') await workGroups.botRemoved(chatId);
    },
    onMessage: createMessageHandler({
      commands,
      people,
      outbox,
      botOpenId: rememberSuccess(() => lark.botOpenId()),
      projectCodeOfChat: async (chatId) => {
        const projectId = await workGroups.projectOfChat(chatId);
        return projectId === undefined ? undefined : (await projects.byId(projectId))?.code;
      },
      log,
    }),
    onCardAction: createCardActionHandler({
      actions: {
        ...leadCardActions({ registration, projects, people, catalog }),
        ...pipelineCardActions({ actions, projects, pipeline, people, outbox, timeZone: config.timeZone }),
        ...escalationCardActions({
          repo: escalationsRepo,
          projects,
          pipeline,
          people,
          reminders,
          rules: county.escalation,
          outbox,
          today: actions.today,
          partiesOf: actions.partiesOf,
          involve: (projectId) => workGroups.refresh(projectId),
        }),
        ...blockerCardActions({ ...blockerFeature, projects, people, outbox }),
        ...standings.actions,
      },
      log,
    }),
  });

  // A web process answers Lark and queues; a worker process does the work; `all` does both.
  const runsWorkers = config.role !== 'web';
  const takesEvents = config.role !== 'worker';
  const workers: Worker[] = [];
  if (runsWorkers)
    workers.push(
      new Worker(QUEUE.larkEvents, createEventProcessor({ handlers, events, outbox, log }), {
        connection: workerConnection,
        prefix,
        ...EVENT_WORKER_OPTIONS,
      }),
      createOutboundWorker({
        connection: workerConnection,
        redisUrl,
        prefix,
        queue: queues.outbound,
        lark,
        outbox,
        failures,
        recorded: recordedSends,
        people,
        clock,
        log,
      }),
    );
  // The reminders queue also carries the daily tasks: at 09:00 each runs if it owes a run (working
  // days only); a job queued by hand (npm run stall:scan) runs its task whatever the day.
  const daily: Record<string, () => Promise<unknown>> = {
    [CALENDAR_CHECK]: calendarCheck,
    [STALL_SCAN]: escalations.scan,
    [BULLETIN_CHECK]: () => bulletin.postIfDue(standingsService.today()),
    [PRUNE_RECORDED_SENDS]: async () => recordedSends.pruneSettled(clock() - RECORDED_SENDS_KEPT_MS),
    [MEETING_AGENDAS]: jointMeetings.sendDueAgendas,
    [SILENT_CONFIRMATIONS]: blockerService.confirmSilent,
    [REFRESH_STATISTICS]: store.refreshStatistics,
  };
  const dailyTasks = createDailyTasks({ tasks: daily, runs: createDailyRunsRepository({ store, clock }), calendar, timeZone: config.timeZone, clock, log });
  const runReminderJob = async (job: Job) => {
    if (job.name === WORKGROUP_SYNC) return workGroups.process(job);
    const task = daily[job.name];
    if (!task) return reminders.process(job);
    return job.data?.scheduled ? dailyTasks.runIfDue(job.name) : task();
  };
  if (runsWorkers) workers.push(new Worker(QUEUE.reminders, runReminderJob, { connection: workerConnection, prefix, concurrency: 4 }));
  for (const worker of workers) {
    worker.on('failed', (job, err) =>
      log.warn({ queue: worker.name, jobId: job?.id, eventId: job?.data?.eventId, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
    );
    worker.on('error', (err) => log.warn({ queue: worker.name, err: err.message }, 'worker error'));
  }

  const intake = createEventIntake({ queue: queues.larkEvents, connection: workerConnection, prefix, log });
  // websocket mode: Lark pushes events over a connection the bot opens; the HTTP server stays for /healthz.
  const longConnection = takesEvents && config.lark.mode === 'websocket' ? startLongConnection({ lark: config.lark, intake, log }) : undefined;
  const webhook = createWebhookApp({
    options: { encryptKey: config.lark.encryptKey, verificationToken: config.lark.verificationToken, eventMaxAgeMs: config.eventMaxAgeMs },
    intake,
    clock,
    log,
    acceptEvents: takesEvents,
    health: async () => ({
      database: await store.check().catch(() => false),
      redis: await withTimeout(producer.ping(), 1_000).then(
        () => true,
        () => false,
      ),
      ...(longConnection && { lark: longConnection.connected() }),
    }),
  });
  const allQueues = [queues.larkEvents, queues.outbound, queues.reminders];
  webhook.get('/metrics', metricsEndpoint(allQueues));
  if (config.adminPassword) webhook.use(ADMIN_PATH, adminDashboard({ basePath: ADMIN_PATH, password: config.adminPassword, queues: allQueues }));
  if (options.routes) webhook.use(options.routes({ store, queues, reminders, dailyTasks }));
  const server = await listen(webhook, config.port);
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port}`;
  let readingStandingsAhead: Promise<void> | undefined;
  const started = runsWorkers ? await startWork() : {};
  log.info({ url, role: config.role, redis: withoutPassword(redisUrl), database: describeStore(config), ...started }, '招商助手 started');

  /** What a process that does the work does at start; each step is safe to run in several at once. */
  async function startWork() {
    // Redis is not the source of truth: every pending reminder is re-armed from SQLite (idempotent ids).
    const rearmed = await reminders.rebuild();
    for (const name of Object.keys(daily)) {
      await queues.reminders.upsertJobScheduler(name, { pattern: '0 9 * * *', tz: config.timeZone }, { name, data: { scheduled: true } });
    }
    // A 09:00 missed while the bot was down is not backfilled by the scheduler: the tasks catch up here.
    // Record, then send: what a crash left decided but unsent goes now.
    const caughtUp = await dailyTasks.catchUp().catch((err: unknown) => {
      log.error({ err }, 'daily tasks could not catch up');
      return [];
    });
    const resent = await recordedSender.flush();
    // The first read of a quarter's standings takes most of a second at 100,000 projects (later ones
    // read only what changed): done now, in the background, rather than on the first /排名.
    readingStandingsAhead = standingsService.compute(quarterOf(standingsService.today())).then(
      () => undefined,
      (err: unknown) => log.warn({ err }, 'standings could not be read ahead'),
    );
    return { rearmed, caughtUp, resent };
  }

  return {
    url,
    store,
    queues,
    reminders,
    escalations,
    bulletin,
    calendarCheck,
    dailyTasks,
    redisUrl,
    async close() {
      longConnection?.close();
      await shutdown({
        server,
        workers,
        resources: [
          ['event intake', () => intake.close()],
          ['queues', () => queues.close()],
          ['standings read ahead', () => readingStandingsAhead],
          ['redis', () => producer.disconnect()],
          ['database', () => store.close()],
          ['private redis-server', () => localRedis?.stop()],
        ],
        timeoutMs: config.shutdownTimeoutMs,
        log,
      });
    },
  };
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

function listen(app: ReturnType<typeof createWebhookApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
