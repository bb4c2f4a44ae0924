import { randomBytes } from 'node:crypto';
import { type RunningApp, startApp } from '../../bot/process/app';
import { readConfig } from '../../bot/process/config';
import { LarkSandbox, type SandboxChat, type SandboxUser } from '../../sandbox/lark-sandbox';
import { tempDir } from './temp-dir';
import { testDatabaseEnv } from './test-store';

export interface SandboxedBot {
  sandbox: LarkSandbox;
  /** The running bot; replaced by `restart`. */
  app: RunningApp;
  webhookUrl: string;
  /** Stops the bot and starts it again on the same database and queues, as after a deploy. */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real bot (webhook, workers, a fresh SQLite file, the given redis-server) configured against a
 * fresh Lark sandbox, so the real SDK does every call. Each has its own app id and queue prefix.
 * Shared by the end-to-end tests and the benchmarks.
 */
export async function startSandboxedBot(options: {
  redisUrl: string;
  users: SandboxUser[];
  chats: SandboxChat[];
  clock?: () => number;
  logLevel?: string;
}): Promise<SandboxedBot> {
  const secrets = { appId: `cli_${randomBytes(8).toString('hex')}`, appSecret: 'secret', encryptKey: 'encrypt-key', verificationToken: 'verify-token' };
  const sandbox = await LarkSandbox.start({ ...secrets, now: options.clock, users: options.users, chats: options.chats });
  const dir = tempDir('bot');
  const env = {
    LARK_APP_ID: secrets.appId,
    LARK_APP_SECRET: secrets.appSecret,
    LARK_ENCRYPT_KEY: secrets.encryptKey,
    LARK_VERIFICATION_TOKEN: secrets.verificationToken,
    LARK_DOMAIN: sandbox.url,
    PORT: '0',
    ...(await testDatabaseEnv(dir.path)),
    REDIS_URL: options.redisUrl,
    LOG_LEVEL: options.logLevel ?? 'silent',
  };
  const queuePrefix = `t-${randomBytes(4).toString('hex')}`;
  const start = (overrides: Record<string, string> = {}) => startApp({ config: readConfig({ ...env, ...overrides }), clock: options.clock, queuePrefix });
  const app = await start();
  const bot: SandboxedBot = {
    sandbox,
    app,
    webhookUrl: `${app.url}/webhook/event`,
    async restart(overrides) {
      await bot.app.close();
      bot.app = await start(overrides);
      bot.webhookUrl = `${bot.app.url}/webhook/event`;
    },
    async close() {
      await bot.app.close();
      await sandbox.stop();
      dir.remove();
      // Lark tells no app that its callback answer was refused: only the user sees it. Nor may a test pass by it.
      if (sandbox.refusedAnswers.length > 0) throw new Error(`Lark would have refused these card callback answers: ${JSON.stringify(sandbox.refusedAnswers)}`);
    },
  };
  return bot;
}
