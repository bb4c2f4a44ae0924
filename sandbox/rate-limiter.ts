/**
 * Sliding-window counter per key, on an injected clock. A sliding log is exact and cheap at
 * Lark's limits (at most a few thousand timestamps per window).
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may act again; 0 when it may act now. */
  waitMs(key: string, now: number): number {
    const log = this.prune(key, now);
    if (log.length < this.limit) return 0;
    // The oldest hit that still counts must leave the window before one more fits.
    const oldest = log[log.length - this.limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  record(key: string, now: number): void {
    const log = this.prune(key, now);
    log.push(now);
    this.hits.set(key, log);
  }

  private prune(key: string, now: number): number[] {
    const log = this.hits.get(key) ?? [];
    let expired = 0;
    while (expired < log.length && (log[expired] ?? 0) <= now - this.windowMs) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length === 0) this.hits.delete(key);
    return log;
  }
}
