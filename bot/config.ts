import { z } from 'zod';

/**
 * Every setting the bot reads from its environment, validated once at start. Nothing else reads
 * process.env: tests build a Config from overrides with {@link readConfig}.
 */
const required = (what: string) => z.string({ error: `必填 (required): ${what}` });

const envSchema = z.object({
  LARK_APP_ID: required('飞书应用的 App ID，如 cli_a1b2c3d4e5f6a7b8'),
  LARK_APP_SECRET: required('飞书应用的 App Secret'),
  LARK_ENCRYPT_KEY: required('事件订阅的 Encrypt Key（用于解密与验签）'),
  LARK_VERIFICATION_TOKEN: required('事件订阅的 Verification Token'),
  LARK_DOMAIN: z.url('应为网址，如 https://open.feishu.cn').default('https://open.feishu.cn').transform((u) => u.replace(/\/+$/, '')),
  PORT: z.coerce.number({ error: '应为 0–65535 的端口号' }).int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/zhaoshang.db'),
  REDIS_URL: z.url('应为 redis://host:port 形式').optional(),
  REDIS_DATA_DIR: z.string().min(1).default('./data/redis'),
  TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isKnownTimeZone, '不是有效的 IANA 时区，例如 Asia/Shanghai'),
  COUNTY_CONFIG_PATH: z.string().min(1).default('./config/county.json'),
  HOLIDAY_OVERRIDES_PATH: z.string().min(1).default('./config/holiday-overrides.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Events older than this are refused as replays; Lark re-pushes for about 7 h. */
  EVENT_MAX_AGE_HOURS: z.coerce.number({ error: '应为正数（小时）' }).positive().default(24),
});

export type Config = {
  lark: { appId: string; appSecret: string; encryptKey: string; verificationToken: string; domain: string };
  port: number;
  databasePath: string;
  /** Undefined: start a private redis-server with its data under redisDataDir. */
  redisUrl: string | undefined;
  redisDataDir: string;
  timeZone: string;
  countyConfigPath: string;
  /** Public holidays and 调休 days for years the holiday package lacks (optional file). */
  holidayOverridesPath: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  eventMaxAgeMs: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Maps an environment to a Config, or throws one ConfigError that lists every problem. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    lark: {
      appId: e.LARK_APP_ID,
      appSecret: e.LARK_APP_SECRET,
      encryptKey: e.LARK_ENCRYPT_KEY,
      verificationToken: e.LARK_VERIFICATION_TOKEN,
      domain: e.LARK_DOMAIN,
    },
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    redisUrl: e.REDIS_URL,
    redisDataDir: e.REDIS_DATA_DIR,
    timeZone: e.TIMEZONE,
    countyConfigPath: e.COUNTY_CONFIG_PATH,
    holidayOverridesPath: e.HOLIDAY_OVERRIDES_PATH,
    logLevel: e.LOG_LEVEL,
    eventMaxAgeMs: e.EVENT_MAX_AGE_HOURS * 3_600_000,
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
