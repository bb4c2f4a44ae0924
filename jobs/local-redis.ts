import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

export interface LocalRedis {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server (Debian's package) on loopback with its data in `dir`, configured
 * as BullMQ needs it: AOF every second so queued events survive a crash, and noeviction so Redis
 * never silently drops a job.
 *
 * A bot killed without cleanup leaves its redis-server running. Two servers appending to one AOF
 * would corrupt it, so the port is kept in `dir` and a live server already serving `dir` is adopted.
 */
export async function startLocalRedis(options: { dir: string; port?: number }): Promise<LocalRedis> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const portFile = join(dir, 'redis.port');
  const running = await adoptRunning(dir, portFile);
  if (running) return running;
  const port = options.port ?? (await findFreePort());
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    // A process group of its own: Ctrl+C in a terminal, or `timeout`, signals the whole foreground
    // group, and Redis stopping with the bot would leave the bot's shutdown waiting on it. The bot
    // stops it last, once its queues are closed.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keepTail = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new Error('找不到 redis-server：请先安装（apt-get install -y redis-server），或设置 REDIS_URL 指向已有的 Redis') : err),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited early with code ${code}: ${output.trim()}`)));
  });
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitUntilReady(url), exited]);
  writeFileSync(portFile, String(port));
  return { url, port, dir, stop: () => stopProcess(child) };
}

async function adoptRunning(dir: string, portFile: string): Promise<LocalRedis | undefined> {
  let port: number;
  try {
    port = Number(readFileSync(portFile, 'utf8'));
  } catch {
    return undefined;
  }
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => {});
  try {
    await client.connect();
    const [, servedDir] = (await client.config('GET', 'dir')) as string[];
    if (servedDir !== dir) return undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
  return {
    url,
    port,
    dir,
    async stop() {
      const admin = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      admin.on('error', () => {});
      await admin.shutdown().catch(() => {}); // the server closes the connection as it exits
      admin.disconnect();
    },
  };
}

async function waitUntilReady(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {}); // refused connections are expected until the server listens
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server did not become ready at ${url}: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
