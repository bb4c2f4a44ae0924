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

/**
 * Each window is this much longer than Lark's: Lark counts a call when it arrives, we when we
 * decide, and two calls' trips may differ by a few milliseconds.
 */
export const DEFAULT_MARGIN_MS = 50;

export type Verdict =
  | { go: true }
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
  const window = (limit: number, ms: number) => [limit, ms + margin];
  const targetLimit: Record<SendTarget['kind'], number> = {
    chat: limits.perChatPerSecond,
    user: limits.perUserPerSecond,
    message: limits.perMessageUpdatePerSecond,
  };
  const key = (name: string) => `${prefix}:send-limits:${name}`;
  // ioredis sends the script by its hash and reloads it after a Redis restart.
  redis.defineCommand(TAKE_SLOT_COMMAND, { lua: TAKE_SLOT });
  const run = (keys: string[], args: (string | number)[]) =>
    (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<[number, number]>>)[TAKE_SLOT_COMMAND]!(keys.length, ...keys, ...args);

  return {
    /** Takes a slot for one call to `target` now, or says who is busy and for how long. */
    async take(target: SendTarget): Promise<Verdict> {
      const keys = [key(`target:${target.key}`)];
      const args = [clock(), randomUUID(), ...window(targetLimit[target.kind], 1_000)];
      if (target.kind !== 'message') {
        keys.push(key('app:second'), key('app:minute'));
        args.push(...window(limits.appPerSecond, 1_000), ...window(limits.appPerMinute, 60_000));
      }
      const [refused, waitMs] = await run(keys, args);
      if (refused === 0) return { go: true };
      return { go: false, busy: refused === 1 ? 'target' : 'app', waitMs };
    },
  };
}

export type SendLimiter = ReturnType<typeof createSendLimiter>;
