import { z } from 'zod';

/**
 * Every setting the bot reads from its environment, validated once at start. Nothing else reads
 * process.env: tests build a Config from overrides with {@link readConfig}.
 */
const required = (what: string) => z.string({ error: `必填 (required): ${what}` });

/** BullMQ key prefix of a deployed bot; the CLI commands queue jobs under it too. */
export const DEFAULT_QUEUE_PREFIX = 'zs';

const LARK_CREDENTIALS = ['LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN'] as const;

/**
 * With no Lark credentials at all the bot runs in sandbox mode: against its built-in Lark-compatible
 * server, with a chat page to try it. These stand in for a real app's (the app id has the shape the
 * SDK's long-connection client insists on).
 */
const SANDBOX_CREDENTIALS = {
  LARK_APP_ID: 'cli_5a68616f7368616e',
  LARK_APP_SECRET: 'sandbox-secret',
  LARK_ENCRYPT_KEY: 'sandbox-encrypt-key',
  LARK_VERIFICATION_TOKEN: 'sandbox-verification-token',
};

const envSchema = z.object({
  LARK_APP_ID: required('飞书应用的 App ID，如 cli_a1b2c3d4e5f6a7b8'),
  LARK_APP_SECRET: required('飞书应用的 App Secret'),
  LARK_ENCRYPT_KEY: required('事件订阅的 Encrypt Key（用于解密与验签）'),
  LARK_VERIFICATION_TOKEN: required('事件订阅的 Verification Token'),
  /** webhook: Lark POSTs events to us; websocket: we hold Lark's long connection (no public URL). */
  LARK_MODE: z.enum(['webhook', 'websocket'], { error: '应为 webhook 或 websocket' }).default('webhook'),
  LARK_DOMAIN: z
    .url('应为网址，如 https://open.feishu.cn')
    .default('https://open.feishu.cn')
    .transform((u) => u.replace(/\/+$/, '')),
  PORT: z.coerce.number({ error: '应为 0–65535 的端口号' }).int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/zhaoshang.db'),
  /** postgres://user:password@host:5432/db: PostgreSQL instead of the SQLite file (a city or a province). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '应为 postgres://用户:密码@主机:5432/库名 形式')
    .optional(),
  REDIS_URL: z.url('应为 redis://host:port 形式').optional(),
  REDIS_DATA_DIR: z.string().min(1).default('./data/redis'),
  TIMEZONE: z.string().default('Asia/Shanghai').refine(isKnownTimeZone, '不是有效的 IANA 时区，例如 Asia/Shanghai'),
  COUNTY_CONFIG_PATH: z.string().min(1).default('./config/county.json'),
  HOLIDAY_OVERRIDES_PATH: z.string().min(1).default('./config/holiday-overrides.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Events older than this are refused as replays; Lark re-pushes for about 7 h. */
  EVENT_MAX_AGE_HOURS: z.coerce.number({ error: '应为正数（小时）' }).positive().default(24),
  /** Password of the queue dashboard at /admin/queues (user `admin`); unset: no dashboard. */
  ADMIN_PASSWORD: z.string().min(8, '至少 8 个字符').optional(),
  /**
   * all: one process does everything (npm start); web: the webhook, health, metrics and dashboard
   * (npm run web); worker: the queues and the daily schedule (npm run worker). Several of each may
   * run against one Redis and one database.
   */
  BOT_ROLE: z.enum(['all', 'web', 'worker'], { error: '应为 all、web 或 worker' }).default('all'),
  /** The queues' key prefix in Redis: bots sharing one Redis (two counties) each need their own. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '字母、数字、- 或 _，最多 32 个')
    .default(DEFAULT_QUEUE_PREFIX),
  /** On SIGTERM, how long jobs in flight may take to finish before the bot exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number({ error: '应为正数（秒）' }).positive().default(20),
});

export type Config = {
  lark: { appId: string; appSecret: string; encryptKey: string; verificationToken: string; domain: string; mode: 'webhook' | 'websocket' };
  /** No Lark credentials given: run against the built-in sandbox (bot/sandbox-mode/sandbox-mode.ts). */
  sandbox: boolean;
  adminPassword: string | undefined;
  shutdownTimeoutMs: number;
  port: number;
  databasePath: string;
  /** Set: PostgreSQL, and databasePath is not used. */
  databaseUrl: string | undefined;
  /** Undefined: start a private redis-server with its data under redisDataDir. */
  redisUrl: string | undefined;
  redisDataDir: string;
  timeZone: string;
  countyConfigPath: string;
  /** Public holidays and 调休 days for years the holiday package lacks (optional file). */
  holidayOverridesPath: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  eventMaxAgeMs: number;
  /** What this process runs: everything, the web side, or the workers. */
  role: 'all' | 'web' | 'worker';
  queuePrefix: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Maps an environment to a Config, or throws one ConfigError that lists every problem. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const sandbox = LARK_CREDENTIALS.every((name) => blankAsUnset[name] === undefined);
  const parsed = envSchema.safeParse(sandbox ? { ...blankAsUnset, ...SANDBOX_CREDENTIALS } : blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const split = e.BOT_ROLE !== 'all';
  if (split && e.REDIS_URL === undefined)
    throw new ConfigError(['REDIS_URL: BOT_ROLE=web 或 worker 时必填：各进程须共用同一个 Redis (required when processes are split)']);
  if (split && sandbox) throw new ConfigError(['BOT_ROLE: 沙箱模式只能以 all 运行 (sandbox mode runs as one process)']);
  return {
    lark: {
      appId: e.LARK_APP_ID,
      appSecret: e.LARK_APP_SECRET,
      encryptKey: e.LARK_ENCRYPT_KEY,
      verificationToken: e.LARK_VERIFICATION_TOKEN,
      domain: e.LARK_DOMAIN,
      mode: e.LARK_MODE,
    },
    sandbox,
    adminPassword: e.ADMIN_PASSWORD,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisDataDir: e.REDIS_DATA_DIR,
    timeZone: e.TIMEZONE,
    countyConfigPath: e.COUNTY_CONFIG_PATH,
    holidayOverridesPath: e.HOLIDAY_OVERRIDES_PATH,
    logLevel: e.LOG_LEVEL,
    eventMaxAgeMs: e.EVENT_MAX_AGE_HOURS * 3_600_000,
    role: e.BOT_ROLE,
    queuePrefix: e.QUEUE_PREFIX,
  };
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
