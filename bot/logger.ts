import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs; secrets never reach them (card tokens and app secrets are redacted by path). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'zhaoshang-bot' },
      redact: { paths: ['*.appSecret', '*.encryptKey', '*.verificationToken', '*.token', 'token'], censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * The SDK's own logger, routed into ours one level down: the bot classifies and logs every failed
 * call itself, so the SDK's messages are detail. (Its `loggerLevel: fatal` is 0 and reads as unset.)
 */
export function sdkLogger(log: Logger) {
  const child = log.child({ component: 'lark-sdk' });
  const at = (level: 'warn' | 'debug' | 'trace') => (...msg: unknown[]) => child[level]({ sdk: msg }, 'sdk');
  return { error: at('warn'), warn: at('debug'), info: at('debug'), debug: at('trace'), trace: at('trace') };
}
