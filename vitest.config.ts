import { defineConfig } from 'vitest/config';

const timeouts = { testTimeout: 20_000, hookTimeout: 30_000 };

/** Test files whose behaviour depends on the database: they run once more, on PostgreSQL. */
export const postgresProject = {
  ...timeouts,
  name: 'postgres',
  include: [
    'test/e2e/**/*.test.ts',
    'test/db/**/*.test.ts',
    'test/ops/**/*.test.ts',
    'test/jobs/**/*.test.ts',
    'test/bot/**/*.test.ts',
    'test/browser/**/*.test.ts',
  ],
  env: { TEST_DATABASE: 'postgres' },
  globalSetup: ['test/support/global-build.ts', 'test/support/global-redis.ts', 'test/support/global-postgres.ts'],
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...timeouts, name: 'sqlite', include: ['test/**/*.test.ts'], globalSetup: ['test/support/global-build.ts', 'test/support/global-redis.ts'] } },
      { test: postgresProject },
    ],
  },
});
