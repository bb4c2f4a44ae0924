import { defineConfig } from 'vitest/config';
import { postgresProject } from './vitest.config';

/** The PostgreSQL half of the suite alone: `npx vitest run --config vitest.postgres.config.ts [files]`. */
export default defineConfig({ test: postgresProject });
