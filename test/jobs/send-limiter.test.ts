import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createSendLimiter, larkLimits, type SendTarget } from '../../jobs/send-limiter';
import { SlidingWindowLimiter } from '../../sandbox/rate-limiter';

const MARGIN = 50;
const chat = (id: string): SendTarget => ({ kind: 'chat', key: `chat_id:${id}` });
const user = (id: string): SendTarget => ({ kind: 'user', key: `open_id:${id}` });
const card = (id: string): SendTarget => ({ kind: 'message', key: `message:${id}` });

describe('send limiter (real Redis, injected clock)', () => {
  const redis = new Redis(inject('redisUrl'));
  let now = 0;
  let limiter: ReturnType<typeof createSendLimiter>;
  let prefix: string;
  const newLimiter = () => createSendLimiter({ redis, prefix, clock: () => now, marginMs: MARGIN });
  beforeEach(() => {
    now = 1_700_000_000_000;
    prefix = `t-limit-${randomBytes(4).toString('hex')}`;
    limiter = newLimiter();
  });
  afterAll(() => redis.disconnect());

  it('lets 5 calls a second to one chat through, then puts off only that chat until its window frees', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await limiter.take(chat('oc_a'))).toMatchObject({ go: true });
      now += 10;
    }
    expect(await limiter.take(chat('oc_a'))).toEqual({ go: false, busy: 'target', waitMs: 1_000 + MARGIN - 50 });
    expect(await limiter.take(chat('oc_b'))).toMatchObject({ go: true });
    expect(await limiter.take(user('ou_a'))).toMatchObject({ go: true });
    now += 1_000 + MARGIN - 50;
    expect(await limiter.take(chat('oc_a'))).toMatchObject({ go: true });
  });

  it('pauses the app at 50 calls a second and at 1000 a minute, whoever the target', async () => {
    for (let i = 0; i < 50; i++) expect((await limiter.take(user(`ou_${i}`))).go).toBe(true);
    expect(await limiter.take(user('ou_new'))).toEqual({ go: false, busy: 'app', waitMs: 1_000 + MARGIN });

    // 20 seconds at the full rate use up the minute; the next call waits for the first to age out.
    for (let second = 1; second < 20; second++) {
      now += 1_000 + MARGIN;
      for (let i = 0; i < 50; i++) expect((await limiter.take(user(`ou_${second}_${i}`))).go).toBe(true);
    }
    now += 1_000 + MARGIN;
    const elapsed = 20 * (1_000 + MARGIN);
    expect(await limiter.take(user('ou_late'))).toEqual({ go: false, busy: 'app', waitMs: 60_000 + MARGIN - elapsed });
  });

  it('checks the target first, and a refused call takes no slot anywhere', async () => {
    for (let i = 0; i < 5; i++) await limiter.take(chat('oc_busy'));
    for (let i = 0; i < 45; i++) await limiter.take(user(`ou_${i}`));
    for (let i = 0; i < 10; i++) expect(await limiter.take(chat('oc_busy'))).toMatchObject({ go: false, busy: 'target' });
    // The app has 50 in its second: the busy chat is still told to wait for itself, not the app.
    expect(await limiter.take(chat('oc_busy'))).toMatchObject({ busy: 'target' });
    expect(await limiter.take(user('ou_x'))).toMatchObject({ busy: 'app' });
  });

  it('counts card updates per message, and not toward the app', async () => {
    for (let i = 0; i < 50; i++) await limiter.take(user(`ou_${i}`));
    for (let i = 0; i < 5; i++) expect(await limiter.take(card('om_1'))).toMatchObject({ go: true });
    expect(await limiter.take(card('om_1'))).toMatchObject({ go: false, busy: 'target' });
    expect(await limiter.take(card('om_2'))).toMatchObject({ go: true });
  });

  it('shares its windows between processes on the same prefix', async () => {
    const other = newLimiter();
    for (let i = 0; i < 3; i++) await limiter.take(chat('oc_shared'));
    for (let i = 0; i < 2; i++) await other.take(chat('oc_shared'));
    expect(await limiter.take(chat('oc_shared'))).toMatchObject({ busy: 'target' });
    expect(await other.take(chat('oc_shared'))).toMatchObject({ busy: 'target' });
  });

  it('never admits what Lark would refuse, however late calls arrive, when each slot is re-dated on the answer', async () => {
    // Lark's own sliding windows (the sandbox's), fed each admitted call when it arrives: up to
    // 400 ms after the limiter said go (a token fetch, a slow network), answered soon after.
    const lark = { second: new SlidingWindowLimiter(50, 1_000), minute: new SlidingWindowLimiter(1_000, 60_000), chat: new SlidingWindowLimiter(5, 1_000) };
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const arrivals: { at: number; chat: string }[] = [];
    let inFlight: { answeredAt: number; done: () => Promise<void> }[] = [];
    for (let i = 0; i < 4_000; i++) {
      const next = now + Math.floor(random() * 40);
      for (const call of inFlight.filter((c) => c.answeredAt <= next).sort((a, b) => a.answeredAt - b.answeredAt)) {
        now = call.answeredAt;
        await call.done();
      }
      inFlight = inFlight.filter((c) => c.answeredAt > next);
      now = next;
      const id = `oc_${Math.floor(random() * 30)}`;
      const verdict = await limiter.take(chat(id));
      if (verdict.go) {
        const at = now + Math.floor(random() * (random() < 0.1 ? 400 : 20));
        arrivals.push({ at, chat: id });
        inFlight.push({ answeredAt: at + Math.floor(random() * 20), done: verdict.done });
      }
    }
    arrivals.sort((a, b) => a.at - b.at);
    for (const a of arrivals) {
      expect([lark.second.waitMs('app', a.at), lark.minute.waitMs('app', a.at), lark.chat.waitMs(a.chat, a.at)]).toEqual([0, 0, 0]);
      lark.second.record('app', a.at);
      lark.minute.record('app', a.at);
      lark.chat.record(a.chat, a.at);
    }
    // About 80 s of offered load at ~50/s: the minute limit, not the limiter, decides how many go.
    expect(arrivals.length).toBeGreaterThan(larkLimits.appPerMinute);
  });
});
