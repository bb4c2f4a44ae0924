/**
 * The daily tasks across restarts and days off, and sends recorded before they go: nothing the
 * county relies on is lost to a bot that was down at 09:00, or to a crash between deciding to send
 * and sending.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, markdown } from '../../bot/common/card-kit';
import { createDigestsRepository } from '../../db/digests-repository';
import { createRecordedSendsRepository } from '../../db/recorded-sends-repository';
import { cardMessage } from '../../jobs/send/messages';
import { county, type Harness, startHarness, textOf } from '../support/bot-harness';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
const settle = () => new Promise((r) => setTimeout(r, 300));
let h: Harness;

const lastRunOf = async (task: string) => {
  const { dailyTaskRuns } = h.app.store.tables;
  return (await h.app.store.db.select().from(dailyTaskRuns).where(eq(dailyTaskRuns.task, task)).limit(1))[0]?.dueDay;
};
const bulletins = () =>
  h.sandbox.messages().filter((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('2026年第3季度 招商引资工作通报'));

beforeAll(async () => {
  // 国庆 2026: October 1–7 are days off; the third quarter's bulletin is due on Thursday the 8th.
  setClock('2026-09-30T18:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
});
afterAll(async () => {
  await h?.close();
});

describe('daily tasks', () => {
  it('ran at start for the last working day they were due', async () => {
    expect(await lastRunOf('stall-scan')).toBe('2026-09-30');
    expect(await lastRunOf('bulletin-check')).toBe('2026-09-30');
  });

  it('stay silent on a public holiday', async () => {
    setClock('2026-10-03T09:00:00');
    expect(await h.app.dailyTasks.runIfDue('stall-scan')).toBe(false);
    await h.restart();
    expect(await lastRunOf('stall-scan')).toBe('2026-09-30');
  });

  it('run once, late, when the bot was down across 09:00; the quarter’s bulletin with them', async () => {
    setClock('2026-10-08T08:58:00');
    await h.restart(); // running just before 09:00 …
    expect(await lastRunOf('stall-scan')).toBe('2026-09-30');
    await h.app.close(); // … then down across it
    setClock('2026-10-08T09:40:00');
    await h.restart();
    expect(await lastRunOf('stall-scan')).toBe('2026-10-08');
    expect(await lastRunOf('calendar-check')).toBe('2026-10-08');
    await h.sandbox.waitForMessages((m) => bulletins().includes(m));
    await h.restart(); // and a second restart that morning changes nothing
    expect(await h.app.dailyTasks.runIfDue('bulletin-check')).toBe(false);
    await settle();
    expect(bulletins()).toHaveLength(1);
  });

  it('post a bulletin missed on its day at the first chance after, once', async () => {
    setClock('2026-10-12T10:00:00');
    expect(await h.app.dailyTasks.runIfDue('bulletin-check')).toBe(true); // a new due day: the check runs …
    await settle();
    expect(bulletins()).toHaveLength(1); // … and finds the quarter's bulletin posted
  });
});

describe('record, then send', () => {
  it('delivers a digest decided just before a crash exactly once, a day later', async () => {
    setClock('2026-10-13T09:00:30');
    const uuid = 'digest-decided-before-crash';
    const digest = cardMessage(card('⏰ 今日节点提醒', 'orange', [markdown('崩溃前已决定发送的提醒')]));
    // What the deciding step leaves behind when the process dies right after its transaction.
    await createRecordedSendsRepository({ store: h.app.store, clock: () => Date.now() + offset }).recordWith('digest-user-ou_owner-2026-10-13', async () => {
      await createDigestsRepository({ store: h.app.store, clock: () => Date.now() + offset }).markDelivered(`user-${county.owner.openId}`, '2026-10-13', 1);
      return [{ uuid, job: { kind: 'send', receiveIdType: 'open_id', receiveId: county.owner.openId, uuid, ...digest } }];
    });
    await h.app.close();
    setClock('2026-10-14T08:00:00'); // past Lark's one-hour uuid window
    await h.restart();
    await h.sandbox.waitForMessages((m) => m.uuid === uuid);
    setClock('2026-10-14T11:00:00'); // again past the uuid window: only the record keeps it from going twice
    await h.restart();
    await settle();
    expect(h.sandbox.messages().filter((m) => m.uuid === uuid)).toHaveLength(1);
  });
});
