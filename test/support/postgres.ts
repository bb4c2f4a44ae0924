import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, escapeIdentifier } from 'pg';
import { postgresTool } from '../../db/postgres-tools';
import { findFreePort } from '../../jobs/local-redis';

const run = promisify(execFile);

/** The cluster's superuser; with trust authentication no password is needed on loopback. */
const SUPERUSER = 'zs';

export interface LocalPostgres {
  /** A database created for the caller; `createDatabase` makes more on the same cluster. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL cluster with its data, socket and log in `dir`, listening on a free
 * port on 127.0.0.1, for tests: nothing is shared with a system cluster. Durability is switched
 * off because the data is thrown away, unless `durable` (the bench: its figures must be those of a
 * server that waits for its disk, as a real one does).
 */
export async function startLocalPostgres(options: { dir: string; durable?: boolean }): Promise<LocalPostgres> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const asServerUser = await serverUser(dir);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const pgCtl = (...args: string[]) => asServerUser(postgresTool('pg_ctl'), ['-D', data, ...args]);

  await asServerUser(postgresTool('initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    SUPERUSER,
    '--encoding=UTF8',
    '--no-locale',
    ...(options.durable ? [] : ['--no-sync']),
  ]);
  const port = await findFreePort();
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      ...(options.durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
      '',
    ].join('\n'),
  );
  try {
    // -w returns once the server accepts connections; -l sends its output to a file, without which
    // the server would hold our pipes open and the call would never return.
    await pgCtl('-l', log, '-w', '-t', '30', 'start');
  } catch (err) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    throw new Error(`PostgreSQL did not start in ${dir}: ${String(err)}\n${tail}`);
  }
  const stop = async () => {
    await pgCtl('-m', 'fast', '-w', 'stop');
  };
  try {
    const url = await createDatabase(`postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`, 'zs');
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Creates an empty database on the cluster `url` points to, and returns the URL that opens it. */
export async function createDatabase(url: string, name: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${encodeURIComponent(name)}`;
  return target.toString();
}

/**
 * How to run the server's tools. PostgreSQL refuses to run as root, so under root they run as the
 * `postgres` user Debian's package creates, owning `dir`.
 */
async function serverUser(dir: string): Promise<(file: string, args: string[]) => Promise<unknown>> {
  if (process.getuid?.() !== 0) return (file, args) => run(file, args, { cwd: dir });
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  const ids = await Promise.all([id('-u'), id('-g')]).catch(() => {
    throw new Error('PostgreSQL 不能以 root 运行，且找不到 postgres 用户：请安装 postgresql（apt-get install -y postgresql）');
  });
  chownSync(dir, ...ids);
  return (file, args) => run('runuser', ['-u', 'postgres', '--', file, ...args], { cwd: dir });
}
