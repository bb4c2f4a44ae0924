import type { Clock } from '../../domain/clock';
import { LarkSandbox } from '../../sandbox/lark-sandbox';
import type { AppOptions } from '../process/app';
import type { Config } from '../process/config';
import { createSandboxPage } from './page/router';

/** Real time plus an offset moved forward by hand: the bot's clock in sandbox mode. */
export interface MovableClock {
  now: Clock;
  advance(ms: number): void;
  /** The offset in force at a real instant, to read in bot time a time taken then (a job's timestamp). */
  offsetAt(realMs: number): number;
}

/** A clock at real time until moved; each move is remembered with when it happened. */
export function createMovableClock(): MovableClock {
  const moves = [{ at: -Infinity, offset: 0 }];
  const current = () => moves.at(-1)!.offset;
  return {
    now: () => Date.now() + current(),
    advance(ms) {
      moves.push({ at: Date.now(), offset: current() + ms });
    },
    offsetAt: (realMs) => moves.findLast((m) => m.at <= realMs)!.offset,
  };
}

/** A running sandbox, and what startApp needs to run against it. */
export interface SandboxMode {
  /** The config with Lark's domain pointed at the sandbox. */
  config: Config;
  sandbox: LarkSandbox;
  clock: MovableClock;
  /** For startApp: the movable clock, and the chat page's routes. */
  appOptions: Pick<AppOptions, 'clock' | 'routes'>;
  /** Once the app runs: does what the 09:00 jobs would (stall scan…), so that alarms show at once. */
  started(): Promise<void>;
}

/**
 * Sandbox mode (no Lark credentials): the bot talks to the built-in Lark-compatible server instead
 * of Lark, exactly as it would to Lark, and serves a chat page at /sandbox to talk to it as anyone
 * on the roster, with a control that moves the bot's clock forward.
 */
export async function startSandboxMode(config: Config): Promise<SandboxMode> {
  const clock = createMovableClock();
  const sandbox = await LarkSandbox.start({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    encryptKey: config.lark.encryptKey,
    verificationToken: config.lark.verificationToken,
    now: clock.now,
  });
  const page = createSandboxPage({ sandbox, clock, timeZone: config.timeZone });
  return {
    config: { ...config, lark: { ...config.lark, domain: sandbox.url } },
    sandbox,
    clock,
    appOptions: { clock: clock.now, routes: page.routes },
    started: () => page.runMorning(),
  };
}
