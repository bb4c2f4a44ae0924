import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/bot-harness';

const PASSWORD = 'correct horse battery';
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('/admin/queues', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('does not exist when no ADMIN_PASSWORD is configured', async () => {
    expect((await fetch(`${h.app.url}/admin/queues`)).status).toBe(404);
    expect((await fetch(`${h.app.url}/admin/queues`, { headers: basic('admin', '') })).status).toBe(404);
  });

  describe('with ADMIN_PASSWORD', () => {
    beforeAll(async () => {
      await h.restart({ ADMIN_PASSWORD: PASSWORD });
    });

    it('asks for a password, and refuses a wrong one or another user', async () => {
      const bare = await fetch(`${h.app.url}/admin/queues`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect((await fetch(`${h.app.url}/admin/queues`, { headers: basic('admin', 'not the password') })).status).toBe(401);
      expect((await fetch(`${h.app.url}/admin/queues`, { headers: basic('root', PASSWORD) })).status).toBe(401);
      expect((await fetch(`${h.app.url}/admin/queues/api/queues`, { headers: basic('admin', `${PASSWORD}x`) })).status).toBe(401);
    });

    it('serves the dashboard with every queue to admin', async () => {
      const page = await fetch(`${h.app.url}/admin/queues`, { headers: basic('admin', PASSWORD) });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const api = await fetch(`${h.app.url}/admin/queues/api/queues`, { headers: basic('admin', PASSWORD) });
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: { name: string }[] };
      expect(queues.map((q) => q.name).sort()).toEqual(['lark-events', 'outbound', 'reminders']);
    });
  });
});
