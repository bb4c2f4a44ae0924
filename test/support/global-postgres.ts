import type { TestProject } from 'vitest/node';
import { startLocalPostgres } from './postgres';
import { tempDir } from './temp-dir';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * One private PostgreSQL cluster for the whole run unless TEST_DATABASE_URL names one; test files
 * each make their own database on it (createDatabase in ./postgres.ts).
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const dir = tempDir('test-postgres');
  const postgres = await startLocalPostgres({ dir: dir.path });
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
    dir.remove();
  };
}
