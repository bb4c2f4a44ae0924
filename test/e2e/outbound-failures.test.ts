import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryFailuresRepository, type DeliveryFailuresRepository } from '../../db/delivery-failures-repository';
import { createPeopleRepository } from '../../db/people-repository';
import { textMessage } from '../../jobs/send/messages';
import { createOutbox, idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import { county, type Harness, startHarness, textOf } from '../support/bot-harness';

const OUTSIDE = 'oc_bot_not_here';

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a send Lark refuses for good', () => {
  let h: Harness;
  let outbox: Outbox;
  let failures: DeliveryFailuresRepository;
  beforeAll(async () => {
    h = await startHarness();
    outbox = createOutbox(h.app.queues.outbound);
    failures = createDeliveryFailuresRepository({ store: h.app.store, clock: Date.now });
    h.sandbox.addChat({ chatId: OUTSIDE, name: '外单位群', memberOpenIds: [county.official.openId], botIsMember: false });
    // A coordinator Lark does not know: the report to them fails too, and that is reported to no one.
    await createPeopleRepository({ store: h.app.store, clock: Date.now }).upsertFromRoster({
      openId: 'ou_ghost',
      name: '离职协调员',
      unitId: null,
      role: 'coordinator',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is recorded, fails at once, and the coordinator is told once even when it happens again', async () => {
    const send = (n: number) => outbox.send('chat_id', OUTSIDE, textMessage(`第 ${n} 条`), idempotencyKey('outside', String(n)));
    await Promise.all([send(1), send(2)]);
    await waitUntil(
      async () => (await failures.get(`chat_id:${OUTSIDE}`, 230002))?.count === 2 && (await failures.get('open_id:ou_ghost', 230013)) !== undefined,
    );
    const [report] = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId);
    // Once more after the report went out.
    await send(3);
    await waitUntil(async () => (await failures.get(`chat_id:${OUTSIDE}`, 230002))?.count === 3);
    await new Promise((r) => setTimeout(r, 300));

    expect(h.sandbox.messages().filter((m) => m.recipientOpenId === county.coordinator.openId)).toHaveLength(1);
    expect(textOf(report)).toContain(OUTSIDE);
    expect(textOf(report)).toContain('230002');
    expect(await failures.get(`chat_id:${OUTSIDE}`, 230002)).toMatchObject({ count: 3, reportedAt: expect.any(Date) });
    expect(await failures.get('open_id:ou_ghost', 230013)).toMatchObject({ count: 1, reportedAt: null });
    const failed = await h.app.queues.outbound.getFailed();
    expect(failed.map((j) => j.attemptsMade)).toEqual([1, 1, 1, 1]);
    // Lark was asked once per send: no retries of a request it will never accept.
    expect(h.sandbox.calls.filter((c) => (c.body as { receive_id?: string } | undefined)?.receive_id === OUTSIDE)).toHaveLength(3);
  });
});
