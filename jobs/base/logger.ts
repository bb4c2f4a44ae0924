import { AsyncLocalStorage } from 'node:async_hooks';
import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Where secrets sit in what the bot logs: its config, Lark envelopes (`header.token`), card callbacks
 * (`payload.token`), HTTP headers, and the SDK's failed requests (`config.data` holds the app secret
 * of a token request).
 */
const SECRET_PATHS = [
  ...['appSecret', 'app_secret', 'encryptKey', 'encrypt_key', 'verificationToken', 'token', 'authorization'].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...['headers.authorization', '*.headers.authorization', '*.*.headers.authorization', '*.headers.Authorization', '*.*.headers.Authorization'],
  'sdk[*][*].config.data',
];

const eventScope = new AsyncLocalStorage<string>();

/** Runs `work` so that every line logged while it runs, by any logger, carries `eventId`. */
export function withEventId<T>(eventId: string, work: () => T): T {
  return eventScope.run(eventId, work);
}

/** JSON logs; secrets never reach them; a line logged while an event is handled names the event. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'zhaoshang-bot' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      // A line that names its event already (argument or child binding) is left alone: no twin keys.
      mixin: (line, _level, logger) => {
        const eventId = eventScope.getStore();
        return eventId === undefined || 'eventId' in line || 'eventId' in logger.bindings() ? {} : { eventId };
      },
    },
    destination,
  );
}

/** A Redis URL fit for a log line: without its password. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * The SDK's own logger, routed into ours one level down: the bot classifies and logs every failed
 * call itself, so the SDK's messages are detail. (Its `loggerLevel: fatal` is 0 and reads as unset.)
 */
export function sdkLogger(log: Logger) {
  const child = log.child({ component: 'lark-sdk' });
  const at =
    (level: 'warn' | 'debug' | 'trace') =>
    (...msg: unknown[]) =>
      child[level]({ sdk: msg }, 'sdk');
  return { error: at('warn'), warn: at('debug'), info: at('debug'), debug: at('trace'), trace: at('trace') };
}
