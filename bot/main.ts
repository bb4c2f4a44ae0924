import { existsSync } from 'node:fs';
import { startApp } from './app';
import { ConfigError, readConfig } from './config';

// A local .env is a convenience for running by hand; real deployments set the environment.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const app = await startApp({ config: readConfig() });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
