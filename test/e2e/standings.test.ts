import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitsRepository } from '../../db/people-repository';
import { county, type Harness, startHarness, textOf } from '../support/bot-harness';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let offset = 0;
const setClock = (isoLocal: string) => (offset = at(isoLocal) - Date.now());
let h: Harness;

const say = async (who: { openId: string; name: string }, text: string) => (await h.sendAndWaitReplies(h.groupMessage(who, text)))[0];
const cardJson = (m: Awaited<ReturnType<typeof say>>) => JSON.stringify(m?.latestContent ?? {});
type Row = { rank: number; unit: string; score: number };
/** The standings table's rows, as the card carries them. */
const tableRows = (m: Awaited<ReturnType<typeof say>>): Row[] =>
  (m?.latestContent as { body: { elements: { tag: string; rows?: Row[] }[] } } | undefined)?.body.elements.find((e) => e.tag === 'table')?.rows ?? [];

beforeAll(async () => {
  setClock('2026-08-03T10:00:00');
  h = await startHarness({ clock: () => Date.now() + offset });
  // 城关镇 signs one project and records funds in 2026Q3.
  const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 富硒茶深加工 投资方:某茶业 金额:1亿 负责人:@{钱主任}', [county.owner]));
  const code = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
  await say(county.owner, `/阶段 ${code} 洽谈`);
  await h.sendAndWaitReplies(h.groupMessage(county.owner, `/阶段 ${code} 签约`), 2);
  await say(county.owner, `/到位 ${code} 5000万`);
  setClock('2026-08-10T10:00:00');
});
afterAll(async () => {
  await h?.close();
});

describe('standings', () => {
  it('shows a unit head the unit’s rank, every line of its score, and the table with a chart', async () => {
    const card = await say(county.townHead, '/排名');
    const text = textOf(card);
    expect(text).toContain('2026年第3季度');
    // 洽谈 2 + 签约 10 + 1亿 signed × 0.001 + 5000万 in place × 0.002 = 32
    expect(tableRows(card)).toContainEqual({ rank: 1, unit: '城关镇', score: 32, change: expect.any(String) });
    for (const line of ['洽谈', '签约', '到位资金']) expect(text).toContain(line);
    expect(cardJson(card)).toContain('"tag":"chart"');
  });

  it('lets a leader see any unit, and keeps a unit head to their own', async () => {
    expect(textOf(await say(county.leader, '/排名 2026Q3 县招商服务中心'))).toMatch(/县招商服务中心[\s\S]*得分/);
    expect(textOf(await say(county.townHead, '/排名 2026Q3 县招商服务中心'))).toMatch(/只能查看本单位/);
  });

  it('answers a period with no data with every unit at zero', async () => {
    const card = await say(county.leader, '/排名 2025Q1');
    expect(textOf(card)).toContain('2025年第1季度');
    expect(tableRows(card).length).toBeGreaterThan(0);
    expect(tableRows(card).every((row) => row.score === 0)).toBe(true);
  });

  it('explains a period it cannot read', async () => {
    expect(textOf(await say(county.leader, '/排名 第五季度'))).toMatch(/2026Q3|季度/);
  });

  it('keeps 60 units within Lark’s card limit, with pages', async () => {
    const units = createUnitsRepository({ store: h.app.store, clock: () => Date.now() });
    for (let i = 1; i <= 60; i++) await units.upsert(`测试乡镇${String(i).padStart(2, '0')}`, 'township');
    const card = await say(county.leader, '/排名');
    expect(Buffer.byteLength(cardJson(card))).toBeLessThan(30 * 1024);
    expect(textOf(card)).toMatch(/第 1\/\d 页/);
    const next = JSON.parse(/"value":(\{"action":"standings\.page"[^}]*\})/.exec(cardJson(card))![1]!);
    const page2 = await h.sandbox.deliverEvent(
      h.webhookUrl,
      h.sandbox.cardActionEvent({ operatorOpenId: county.leader.openId, messageId: card!.messageId, value: next }),
    );
    expect(JSON.stringify(page2.body)).toMatch(/第 2\/\d 页/);
  });
});

describe('the quarterly bulletin', () => {
  it('reports the quarter’s losses with their reasons on demand', async () => {
    setClock('2026-09-15T10:00:00');
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 矿泉水厂 投资方:某水业 负责人:@{钱主任}', [county.owner]));
    const code = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
    await say(county.owner, `/阶段 ${code} 流失 客商转投邻县`);
    const text = textOf(await say(county.leader, '/通报 2026Q3'));
    expect(text).toContain('2026年第3季度');
    expect(text).toMatch(/城关镇/);
    expect(text).toContain(code);
    expect(text).toContain('客商转投邻县');
  });

  it('posts itself once, on the first working day after the quarter — after 国庆', async () => {
    expect(await h.app.bulletin.postIfDue('2026-10-01')).toBeUndefined();
    setClock('2026-10-08T09:00:00');
    expect((await h.app.bulletin.postIfDue('2026-10-08'))?.label).toBe('2026年第3季度');
    expect(await h.app.bulletin.postIfDue('2026-10-08')).toBeUndefined();
    const posted = await h.sandbox.waitForMessages((m) => m.recipientOpenId === county.coordinator.openId && textOf(m).includes('工作通报'));
    expect(posted).toHaveLength(1);
  });
});

describe('referrers', () => {
  it('lists projects by referrer, with the reward due once a project reached 投产, even if paused since', async () => {
    setClock('2026-10-09T10:00:00');
    const [reply] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/lead 茶饮料厂 投资方:某饮品 引荐人:县商会 负责人:@{钱主任}', [county.owner]));
    const code = /ZS-\d{4}-\d{4}/.exec(textOf(reply))![0];
    for (const stage of ['洽谈']) await say(county.owner, `/阶段 ${code} ${stage}`);
    await h.sendAndWaitReplies(h.groupMessage(county.owner, `/阶段 ${code} 签约`), 2);
    for (const stage of ['开工', '投产']) await say(county.owner, `/阶段 ${code} ${stage}`);
    await say(county.owner, `/阶段 ${code} 搁置 设备检修 复核:2026-12-01`);
    const text = textOf(await say(county.coordinator, '/引荐'));
    expect(text).toContain('县商会');
    expect(text).toMatch(new RegExp(`${code}[^\\n]*奖励条件已满足`));
  });
});

describe('the ledger', () => {
  it('sends a unit head an Excel file of the unit’s projects, and refuses another unit’s', async () => {
    const [file, summary] = await h.sendAndWaitReplies(h.groupMessage(county.townHead, '/台账'), 2);
    const sent = [file, summary].find((m) => m?.msgType === 'file')!;
    const { file_key } = sent.content as { file_key: string };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(h.sandbox.file(file_key)!.bytes as never);
    const sheet = workbook.worksheets[0]!;
    const codes: string[] = [];
    sheet.eachRow((row) => {
      const code = String(row.getCell(1).value ?? '');
      if (/^ZS-\d{4}-\d{4}$/.test(code)) codes.push(code);
    });
    const own = (await h.app.store.db.select().from(h.app.store.tables.projects))
      .filter((p) => p.unitId !== null)
      .map((p) => p.code)
      .sort();
    expect(codes.sort()).toEqual(own);

    expect(textOf(await say(county.townHead, '/台账 县招商服务中心'))).toMatch(/只能导出本单位/);
  });
});
