import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../domain/clock';

/**
 * Who a call counts against at Lark: a group (`chat_id:oc_…`), a user (`open_id:ou_…`, or another
 * id type), or, for a card update, the message (`message:om_…`). The key also names the target
 * in delivery_failures.
 */
export interface SendTarget {
  kind: 'chat' | 'user' | 'message';
  key: string;
}

/** Lark's limits (LARK.md). Card updates do not count toward the app's send limits. */
export interface LarkLimits {
  appPerSecond: number;
  appPerMinute: number;
  perChatPerSecond: number;
  perUserPerSecond: number;
  perMessageUpdatePerSecond: number;
}

export const larkLimits: LarkLimits = {
  appPerSecond: 50,
  appPerMinute: 1_000,
  perChatPerSecond: 5,
  perUserPerSecond: 5,
  perMessageUpdatePerSecond: 5,
};

/** Each window is a little longer than Lark's, for clocks that differ between processes. */
const DEFAULT_MARGIN_MS = 20;

export type Verdict =
  /**
   * Call `done()` once Lark has answered: Lark counted the call on arrival, somewhere between now
   * and then, so the slot is re-dated to the answer. That keeps the windows right however late a
   * call arrives (a token fetch first, a slow network), as long as it is answered within a window.
   */
  | { go: true; done(): Promise<void> }
  /** `app`: the whole app is at its limit; `target`: only this chat, user or card is. */
  | { go: false; busy: 'app' | 'target'; waitMs: number };

const TAKE_SLOT_COMMAND = 'zsTakeSendSlot';

// Sliding logs in sorted sets (score = time). Every window is checked before any is written, so a
// refused call takes no slot; the target comes first, so a busy chat never pauses everyone.
// KEYS: target window, then the app windows. ARGV: now, member, then limit and window per key.
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local function waitFor(i)
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count < limit then return 0 end
  local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
local wait = waitFor(1)
if wait > 0 then return {1, wait} end
for i = 2, #KEYS do wait = math.max(wait, waitFor(i)) end
if wait > 0 then return {2, wait} end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], ARGV[2 + 2 * i])
end
return {0, 0}
`;

/**
 * Lark's send limits, enforced before each call and shared by every process on the same Redis and
 * key prefix: app-wide 50/s and 1000/min, 5/s per group and per user, 5 updates/s per card.
 */
export function createSendLimiter(options: { redis: Redis; prefix: string; clock: Clock; limits?: LarkLimits; marginMs?: number }) {
  const { redis, prefix, clock } = options;
  const limits = options.limits ?? larkLimits;
  const margin = options.marginMs ?? DEFAULT_MARGIN_MS;
  const targetLimit: Record<SendTarget['kind'], number> = {
    chat: limits.perChatPerSecond,
    user: limits.perUserPerSecond,
    message: limits.perMessageUpdatePerSecond,
  };
  const window = (name: string, limit: number, ms: number): Window => ({ key: `${prefix}:send-limits:${name}`, limit, ms: ms + margin });
  // ioredis sends the script by its hash and reloads it after a Redis restart.
  redis.defineCommand(TAKE_SLOT_COMMAND, { lua: TAKE_SLOT });
  const takeSlot = (windows: Window[], member: string) =>
    (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<[number, number]>>)[TAKE_SLOT_COMMAND]!(
      windows.length,
      ...windows.map((w) => w.key),
      clock(),
      member,
      ...windows.flatMap((w) => [w.limit, w.ms]),
    );
  // Re-added, not just re-scored: a call slower than a window is counted again from its answer.
  const redate = async (windows: Window[], member: string) => {
    const now = clock();
    const tx = redis.multi();
    for (const w of windows) tx.zadd(w.key, now, member).pexpire(w.key, w.ms);
    await tx.exec();
  };

  return {
    /** Takes a slot for one call to `target` now, or says who is busy and for how long. */
    async take(target: SendTarget): Promise<Verdict> {
      const windows = [window(`target:${target.key}`, targetLimit[target.kind], 1_000)];
      if (target.kind !== 'message') windows.push(window('app:second', limits.appPerSecond, 1_000), window('app:minute', limits.appPerMinute, 60_000));
      const member = randomUUID();
      const [refused, waitMs] = await takeSlot(windows, member);
      if (refused === 0) return { go: true, done: () => redate(windows, member) };
      return { go: false, busy: refused === 1 ? 'target' : 'app', waitMs };
    },
  };
}

interface Window {
  key: string;
  limit: number;
  ms: number;
}

export type SendLimiter = ReturnType<typeof createSendLimiter>;
