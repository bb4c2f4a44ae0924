import { existsSync } from 'node:fs';
import { startApp } from './app';
import { ConfigError, readConfig } from './config';
import { startSandboxMode } from './sandbox-mode';

// A local .env is a convenience for running by hand; real deployments set the environment.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = readConfig();
  const sandboxed = config.sandbox ? await startSandboxMode(config) : undefined;
  if (sandboxed) console.log(`沙箱模式：未配置飞书应用，机器人连接内置的飞书兼容服务 ${sandboxed.sandbox.url}`);
  const app = await startApp({ config: sandboxed?.config ?? config });
  const stop = async () => {
    await app.close();
    await sandboxed?.sandbox.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
