import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type LocalRedis, startLocalRedis } from '../../jobs/local-redis';
import { tempDir } from '../support/temp-dir';

const dir = tempDir('local-redis');
afterAll(() => dir.remove());
const started: LocalRedis[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

describe('the private redis-server', () => {
  it('keeps queued data across a restart (append-only file) and never evicts', async () => {
    const first = await startLocalRedis({ dir: dir.path });
    const client = new Redis(first.url);
    await client.set('job', 'kept');
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    client.disconnect();
    await first.stop();

    const second = await startLocalRedis({ dir: dir.path });
    started.push(second);
    const again = new Redis(second.url);
    expect(await again.get('job')).toBe('kept');
    again.disconnect();
  });

  it('adopts a server left running on the same data instead of starting a second one', async () => {
    const orphan = await startLocalRedis({ dir: dir.path });
    const next = await startLocalRedis({ dir: dir.path });
    started.push(next);
    expect(next.url).toBe(orphan.url);
  });
});
