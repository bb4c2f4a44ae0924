import { describe, expect, it } from 'vitest';
import type { Card } from '../../../bot/common/card-kit';
import { createDigestDelivery } from '../../../bot/pipeline/digest-delivery';
import type { DigestItem } from '../../../jobs/reminders';
import type { RecordedSender, Send } from '../../../jobs/send/outbox';

const item = (i: number): DigestItem => ({
  milestone: {
    milestoneId: i,
    name: `节点${i}`,
    dueDate: '2026-11-02',
    projectId: i,
    code: `ZS-2026-${String(i).padStart(4, '0')}`,
    projectName: `项目${i}`,
    ownerOpenId: 'ou_owner',
    sourceChatId: null,
  },
  occasion: { kind: 'overdue', workingDays: 3 },
});

/** Sends a digest of `count` items (and `unlisted` more) to one person and returns the cards recorded, with their uuids. */
async function deliver(count: number, unlisted = 0) {
  const sent: { card: Card; uuid: string }[] = [];
  let decided = 0;
  const sender = {
    send: async (_source: string, sends: Send[], decide: () => void) => {
      decide();
      for (const s of sends) sent.push({ card: s.message.content as unknown as Card, uuid: s.uuid });
    },
  } as unknown as RecordedSender;
  await createDigestDelivery(sender)(
    { kind: 'user', openId: 'ou_owner' },
    '2026-12-01',
    Array.from({ length: count }, (_, i) => item(i)),
    unlisted,
    'digest-user-ou_owner-2026-12-01',
    () => decided++,
  );
  expect(decided).toBe(1);
  return sent;
}
const itemsIn = (card: Card) => JSON.stringify(card).match(/ZS-2026-\d{4}/g)?.length ?? 0;
const markdownOf = (card: Card) =>
  card.body.elements
    .filter((e) => e.tag === 'markdown')
    .map((e) => String(e.content))
    .join('\n');

describe('a morning digest too long for one card', () => {
  it('stays one card while it fits', async () => {
    const sent = await deliver(15);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.card.header.title.content).not.toMatch(/\//);
  });

  it('continues in numbered parts, each item once, each part with its own uuid', async () => {
    const sent = await deliver(40);
    expect(sent.map((s) => s.card.header.title.content)).toEqual([expect.stringMatching(/1\/3/), expect.stringMatching(/2\/3/), expect.stringMatching(/3\/3/)]);
    expect(sent.reduce((n, s) => n + itemsIn(s.card), 0)).toBe(40);
    expect(new Set(sent.map((s) => s.uuid)).size).toBe(3);
  });

  it('counts what no part holds and says where to see it', async () => {
    const sent = await deliver(100);
    expect(sent).toHaveLength(3);
    expect(markdownOf(sent.at(-1)!.card)).toMatch(/另有 55 项[\s\S]*\/我的/);
  });

  it('counts with them the items it was only told the number of', async () => {
    const sent = await deliver(45, 399_955);
    expect(sent.reduce((n, s) => n + itemsIn(s.card), 0)).toBe(45);
    expect(markdownOf(sent.at(-1)!.card)).toMatch(/另有 399955 项/);
  });
});
