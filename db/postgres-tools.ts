import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where a PostgreSQL program lives: PATH first (Debian's /usr/bin wrappers pick the right
 * version), else the newest /usr/lib/postgresql/<version>/bin that has it.
 */
export function postgresTool(name: string): string {
  const onPath = (process.env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, name)));
  if (onPath) return join(onPath, name);
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).filter((version) => existsSync(join(debian, version, 'bin', name))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(debian, newest, 'bin', name);
  throw new Error(`找不到 ${name}：请先安装 PostgreSQL（apt-get install -y postgresql）`);
}
