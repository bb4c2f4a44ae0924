import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { findFreePort } from '../../jobs/local-redis';

export interface LarkSecrets {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
}

/** What the start scripts (scripts/run-bot.sh) give Node, unless the environment says otherwise. */
const packageConfig = (JSON.parse(readFileSync('package.json', 'utf8')) as { config: { heapMb: string; mallocArenaMax: string } }).config;

/** Bundles the bot into dist/bot.mjs (scripts/build.mjs), as `npm start` does before it runs it. */
export function buildBot(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

/**
 * The bot as its own process with its real start command (the bundle of `bot/main.ts` under the
 * start scripts' heap limit; call `buildBot` first), pointed at a Lark
 * (usually a sandbox) and a Redis: what a deployment runs. Resolves once /healthz answers.
 * Shared by the benchmarks (so the load generator does not share the bot's event loop) and the
 * SIGTERM test.
 */
export async function startBotProcess(options: {
  secrets: LarkSecrets;
  larkDomain: string;
  databasePath: string;
  /** Undefined: the bot starts its own redis-server, with its data in the environment's REDIS_DATA_DIR. */
  redisUrl: string | undefined;
  logLevel: string;
  env?: Record<string, string>;
  output: 'inherit' | 'pipe';
  /** A process group of its own, as a terminal gives a command: signalled whole, it takes nothing else down. */
  ownProcessGroup?: boolean;
}): Promise<{ child: ChildProcess; url: string }> {
  const port = await findFreePort();
  const heapMb = options.env?.BOT_HEAP_MB ?? process.env.BOT_HEAP_MB ?? packageConfig.heapMb;
  const { REDIS_URL: _inherited, ...environment } = process.env;
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, 'dist/bot.mjs'], {
    stdio: ['ignore', options.output, options.output],
    detached: options.ownProcessGroup ?? false,
    env: {
      MALLOC_ARENA_MAX: packageConfig.mallocArenaMax,
      ...environment,
      LARK_APP_ID: options.secrets.appId,
      LARK_APP_SECRET: options.secrets.appSecret,
      LARK_ENCRYPT_KEY: options.secrets.encryptKey,
      LARK_VERIFICATION_TOKEN: options.secrets.verificationToken,
      LARK_DOMAIN: options.larkDomain,
      PORT: String(port),
      DATABASE_PATH: options.databasePath,
      ...(options.redisUrl !== undefined && { REDIS_URL: options.redisUrl }),
      LOG_LEVEL: options.logLevel,
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, child);
  return { child, url };
}

async function waitForHealthy(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the bot exited with code ${child.exitCode} before it was healthy`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bot did not become healthy within 30 s');
}

/** The niceness of each of a process's threads (Linux). */
export function threadNiceness(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((thread) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      // Fields after the command (which may hold spaces and parentheses): niceness is the 19th of the line.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return [];
    }
  });
}
