import { afterAll, beforeAll } from 'vitest';

/** Server time zones far apart: results that depend on the process's zone differ between them. */
export const SERVER_TIME_ZONES = ['UTC', 'Asia/Shanghai', 'Pacific/Kiritimati', 'America/Los_Angeles'] as const;

/** Runs the enclosing describe block with the process's TZ set to `timeZone`. */
export function withProcessTimeZone(timeZone: string): void {
  const before = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = timeZone;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  });
}
