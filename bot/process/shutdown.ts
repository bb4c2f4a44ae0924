import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import type { Logger } from '../../jobs/base/logger';
import { withTimeout } from '../lark/event-intake';

/** What a running bot holds, in the order it is let go. */
export interface ShutdownPlan {
  /** The HTTP server of the webhook, /healthz, /metrics and the dashboard. */
  server: Server;
  workers: Worker[];
  /** Closed in this order once the workers are stopped (queues, Redis, SQLite, the private redis-server). */
  resources: [name: string, close: () => unknown][];
  /** For the requests and jobs in flight, from the start of the shutdown. */
  timeoutMs: number;
  log: Logger;
}

/**
 * Stops the bot without losing work: refuses new webhook requests (503, so Lark pushes them again)
 * and lets those in flight answer, lets the jobs in flight finish, then closes everything else.
 * Past `timeoutMs` connections are cut and workers closed by force; a job cut off is still in Redis
 * and runs again after the next start.
 */
export async function shutdown(plan: ShutdownPlan): Promise<void> {
  const { log } = plan;
  const deadline = Date.now() + plan.timeoutMs;
  log.info({ timeoutMs: plan.timeoutMs }, 'shutting down');
  // HTTP first: a card callback in flight waits for the event worker to answer it.
  await stopServer(plan.server, deadline);
  if (!(await stopWorkers(plan.workers, deadline))) log.warn({ timeoutMs: plan.timeoutMs }, 'jobs still running at the deadline were cut off');
  for (const [name, close] of plan.resources) {
    try {
      await close();
    } catch (err) {
      log.warn({ resource: name, err: String(err) }, 'could not close');
    }
  }
  log.info('stopped');
}

async function stopServer(server: Server, deadline: number): Promise<void> {
  // Requests that still arrive on kept-alive connections are refused; those under way keep their handler.
  server.removeAllListeners('request');
  server.on('request', (_req, res) => res.writeHead(503, { connection: 'close', 'retry-after': '10' }).end());
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A kept-alive connection goes idle once its request is answered, and is closed then.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  // Past the deadline the rest is cut, and not waited for: an upgraded socket (a WebSocket) is not
  // the server's to cut and would hold `close` open.
  if (!(await finishesBy(closed, deadline))) server.closeAllConnections();
  clearInterval(sweep);
}

/**
 * `worker.close()` waits for the jobs in flight with no limit, and a later `close(true)` only
 * returns that same wait (BullMQ keeps the first close). `pause()` waits the same way without
 * committing to it, so that is what is raced against the deadline; the close then follows, forced
 * only if the jobs did not finish. Answers whether they did.
 */
async function stopWorkers(workers: Worker[], deadline: number): Promise<boolean> {
  const finished = await finishesBy(Promise.all(workers.map((w) => w.pause())), deadline);
  await Promise.all(workers.map((w) => w.close(!finished)));
  return finished;
}

function finishesBy(work: Promise<unknown>, deadline: number): Promise<boolean> {
  return withTimeout(work, Math.max(0, deadline - Date.now())).then(
    () => true,
    () => false,
  );
}

/**
 * Process signals for `npm start`: the first SIGTERM or SIGINT runs `stop` and exits 0 (1 if it
 * throws). Repeats are ignored (a Ctrl-C reaches both the tsx wrapper and the bot); a stop still
 * running `backstopMs` later exits 1.
 */
export function exitOnSignals(stop: () => Promise<void>, backstopMs: number): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), backstopMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
