import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, sdkLogger, withEventId, withoutPassword } from '../../jobs/base/logger';

function capture() {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger('trace', destination), raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>), text: () => raw.join('') };
}

describe('logs', () => {
  it('redact app secret, encrypt key, verification token, card tokens and Authorization headers', () => {
    const { log, text } = capture();
    log.info({ lark: { appId: 'cli_x', appSecret: 'S3CRET', encryptKey: 'ENCKEY', verificationToken: 'VTOKEN' } }, 'config');
    log.info({ payload: { token: 'c-CARDTOKEN', header: { token: 'VTOKEN2' } } }, 'event');
    log.warn({ req: { headers: { authorization: 'Bearer t-TENANT' } }, err: { config: { headers: { Authorization: 'Bearer t-TENANT2' } } } }, 'call');
    sdkLogger(log).error([{ message: 'token request failed', config: { url: '/auth', data: '{"app_secret":"S3CRET2"}' } }]);

    for (const secret of ['S3CRET', 'ENCKEY', 'VTOKEN', 'CARDTOKEN', 't-TENANT', 'S3CRET2']) expect(text()).not.toContain(secret);
    expect(text()).toContain('cli_x');
    expect(text()).toContain('token request failed');
  });

  it('name the event on every line logged while it is handled, on any logger, across awaits', async () => {
    const { log, lines, raw } = capture();
    await withEventId('ev_1', async () => {
      log.info('first');
      await new Promise((r) => setTimeout(r, 5));
      log.child({ component: 'lark-sdk' }).debug('deeper');
      log.child({ eventId: 'ev_1' }).info('bound');
    });
    log.info('afterwards');

    expect(lines().map((l) => [l.msg, l.eventId])).toEqual([
      ['first', 'ev_1'],
      ['deeper', 'ev_1'],
      ['bound', 'ev_1'],
      ['afterwards', undefined],
    ]);
    // A line bound to its event already does not get the key twice.
    expect(raw[2]?.match(/"eventId"/g)).toHaveLength(1);
  });

  it('leave a Redis password out of a logged URL', () => {
    expect(withoutPassword('redis://:hunter2@redis.internal:6380/1')).not.toContain('hunter2');
    expect(withoutPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
