import { existsSync } from 'node:fs';
import { startApp } from './process/app';
import { ConfigError, readConfig } from './process/config';
import { lowerOwnPriority } from './process/priority';
import { exitOnSignals } from './process/shutdown';
import { SANDBOX_PAGE_PATH } from './sandbox-mode/page/router';
import { startSandboxMode } from './sandbox-mode/sandbox-mode';

const WORKER_NICENESS = 10;

// A local .env is a convenience for running by hand; real deployments set the environment.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = readConfig();
  // A worker's jobs can wait a moment; Lark's answer from a web process cannot. Where both share a
  // machine, the web process gets the CPU first; alone on a machine, this changes nothing.
  if (config.role === 'worker') lowerOwnPriority(WORKER_NICENESS);
  const sandboxed = config.sandbox ? await startSandboxMode(config) : undefined;
  if (sandboxed) console.log(`沙箱模式：未配置飞书应用，机器人连接内置的飞书兼容服务 ${sandboxed.sandbox.url}`);
  const starting = startApp({ config: sandboxed?.config ?? config, ...sandboxed?.appOptions });
  // Heard from the start: /healthz answers before a worker has re-armed its reminders, and a signal
  // then would otherwise kill the process outright. Beyond the jobs' allowance, closing queues,
  // Redis and the database takes seconds at most.
  exitOnSignals(async () => {
    await (await starting.catch(() => undefined))?.close();
    await sandboxed?.sandbox.stop();
  }, config.shutdownTimeoutMs + 10_000);
  const app = await starting;
  if (sandboxed) {
    await sandboxed.started();
    console.log(`沙箱模式：在浏览器打开 ${app.url}${SANDBOX_PAGE_PATH} ，以名册中任何人的身份与机器人对话`);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
