import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../bot/process/config';

const lark = { LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k', LARK_VERIFICATION_TOKEN: 't' };

describe('configuration', () => {
  it('fills the documented defaults', () => {
    expect(readConfig(lark)).toMatchObject({
      port: 3000,
      databasePath: './data/zhaoshang.db',
      redisUrl: undefined,
      timeZone: 'Asia/Shanghai',
      lark: { domain: 'https://open.feishu.cn' },
    });
  });

  it('lists every missing or malformed variable in one error', () => {
    let error: unknown;
    try {
      readConfig({ LARK_APP_ID: 'cli_a', PORT: 'eighty', TIMEZONE: 'Mars/Olympus', REDIS_URL: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const named = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(['LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN', 'PORT', 'REDIS_URL', 'TIMEZONE'].sort());
  });

  it('treats a blank variable as unset', () => {
    expect(readConfig({ ...lark, PORT: '', REDIS_URL: ' ' })).toMatchObject({ port: 3000, redisUrl: undefined });
  });
});

describe('sandbox mode', () => {
  it('starts in sandbox mode when no Lark credential is given at all', () => {
    expect(readConfig({})).toMatchObject({ sandbox: true, lark: { mode: 'webhook' } });
    expect(readConfig(lark).sandbox).toBe(false);
  });

  it('still names what is missing when only some credentials are given', () => {
    expect(() => readConfig({ LARK_APP_ID: 'cli_a' })).toThrow(/LARK_APP_SECRET/);
  });
});
