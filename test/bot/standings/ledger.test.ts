import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCountyConfig } from '../../../bot/process/county-config';
import { blockerDaysOverdue, buildLedgerWorkbook, channelNames, commitmentState } from '../../../bot/standings/ledger-workbook';
import { createLedgerRepository, type LedgerBlockerRow, type LedgerCommitmentRow, type LedgerRow } from '../../../db/ledger-repository';
import { openStore } from '../../../db/open-store';
import { createPeopleRepository, createUnitsRepository } from '../../../db/people-repository';
import { createPipelineRepository } from '../../../db/pipeline-repository';
import { createProjectsRepository, type NewProject } from '../../../db/projects-repository';
import type { Store, Tables } from '../../../db/store';
import { formatProjectCode } from '../../../domain/project-code';
import { tempDir } from '../../support/temp-dir';
import { testDatabaseEnv } from '../../support/test-store';

const at = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);
let now = at('2026-11-02T09:00:00');
const clock = () => now;
const dir = tempDir('ledger');
/** Where the data lives (a SQLite file, or a PostgreSQL database), for the store and the export CLI. */
let databaseEnv: Awaited<ReturnType<typeof testDatabaseEnv>>;
let store: Store;
let ids: { town: number; centre: number; power: number };

/**
 * Three projects: 富硒茶 (城关镇, 2027, signed, with milestones, funds and jobs), 饮用水 (招商服务中心,
 * 2027, bare) and 康养 (城关镇, registered in 2026). Three blockers: on 富硒茶 for 县供电公司 (overdue),
 * a decision on 饮用水 for 城关镇 (resolved late) and a complaint on 康养 for 县招商服务中心. Three
 * commitments: on 富硒茶 for 县供电公司 (kept late in two deliveries), on 饮用水 for 城关镇 (nothing
 * delivered, not due yet) and on 康养 for 县招商服务中心 (partly delivered, overdue).
 */
beforeAll(async () => {
  databaseEnv = await testDatabaseEnv(dir.path);
  store = await openStore({ databasePath: databaseEnv.DATABASE_PATH, databaseUrl: databaseEnv.DATABASE_URL });
  const { blockers, commitmentDeliveries } = store.tables;
  const units = createUnitsRepository({ store, clock });
  const people = createPeopleRepository({ store, clock });
  const projects = createProjectsRepository({ store, clock });
  const pipeline = createPipelineRepository({ store, clock });
  ids = {
    town: (await units.upsert('城关镇', 'township')).id,
    centre: (await units.upsert('县招商服务中心', 'department')).id,
    power: (await units.upsert('县供电公司', 'department')).id,
  };
  await people.upsertFromRoster({ openId: 'ou_owner', name: '钱主任', unitId: ids.town, role: 'official' });
  await people.upsertFromRoster({ openId: 'ou_clerk', name: '赵干事', unitId: ids.centre, role: 'official' });
  await people.upsertFromRoster({ openId: 'ou_leader', name: '孙副县长', unitId: null, role: 'leader' });

  const register = async (project: Partial<NewProject> & Pick<NewProject, 'year' | 'name' | 'ownerOpenId' | 'unitId'>) =>
    (
      await projects.register(
        {
          investor: `${project.name}集团`,
          investorKey: project.name,
          plannedInvestmentWan: null,
          industry: null,
          channel: null,
          referrer: null,
          note: null,
          leaderOpenId: null,
          createdBy: project.ownerOpenId,
          sourceChatId: null,
          sourceKey: `lead-${project.name}`,
          ...project,
        },
        formatProjectCode,
      )
    ).project;

  await register({ year: 2026, name: '康养小镇', ownerOpenId: 'ou_owner', unitId: ids.town });
  now = at('2027-02-01T09:00:00');
  await register({ year: 2027, name: '包装饮用水', ownerOpenId: 'ou_clerk', unitId: ids.centre });
  const tea = await register({
    year: 2027,
    name: '富硒茶深加工',
    ownerOpenId: 'ou_owner',
    unitId: ids.town,
    leaderOpenId: 'ou_leader',
    investor: '某茶业集团有限公司',
    plannedInvestmentWan: 5000,
    industry: '富硒茶叶',
    channel: 'returnee',
    referrer: '张三',
  });
  const request = (key: string) => ({ projectId: tea.id, actorOpenId: 'ou_owner', sourceKey: key });
  await pipeline.setMilestone(request('m1'), { kind: 'signed', name: '签约', dueDate: '2027-02-20' });
  await pipeline.setMilestone(request('m2'), { kind: 'producing', name: '投产', dueDate: '2028-03-01' });
  await pipeline.setMilestone(request('m3'), { kind: 'started', name: '开工', dueDate: '2027-06-01' });
  await pipeline.moveStage(request('s1'), { from: 'lead', to: 'negotiating', today: '2027-02-01', completes: null });
  await pipeline.moveStage(request('s2'), { from: 'negotiating', to: 'signed', today: '2027-03-01', completes: 'signed' });
  await pipeline.recordFunds(request('f1'), 1200.1, '2027-02-25');
  await pipeline.recordFunds(request('f2'), 0.2, '2027-02-26');
  await pipeline.recordJobs(request('j1'), 30, '2027-02-25');
  now = at('2027-03-01T23:30:00'); // late evening: the county's date, not UTC's, counts
  await pipeline.recordJobs(request('j2'), 20, '2027-03-01');

  const water = (await projects.byCode('ZS-2027-0001'))!.id;
  const wellness = (await projects.byCode('ZS-2026-0001'))!.id;
  type NewBlocker = Tables['blockers']['$inferInsert'];
  const blocker = async (fields: Partial<NewBlocker> & Pick<NewBlocker, 'projectId' | 'unitId' | 'description'>) => {
    await store.db.insert(blockers).values({
      type: 'blocker',
      kind: '用电',
      complaint: false,
      raisedBy: 'ou_owner',
      raisedAt: new Date(now),
      raisedDay: '2027-02-10',
      dueDate: '2027-02-20',
      status: 'accepted',
      sourceKey: `blocker-${fields.description}`,
      updatedAt: new Date(now),
      ...fields,
    });
  };
  await blocker({ projectId: tea.id, unitId: ids.power, description: '10kV专线未接入' });
  await blocker({
    projectId: water,
    unitId: ids.town,
    type: 'decision',
    kind: '道路',
    description: '进场道路3月1日前修通',
    raisedBy: 'ou_clerk',
    raisedDay: '2027-02-15',
    dueDate: '2027-03-01',
    status: 'closed',
    outcome: '已修通并验收',
    resolvedDay: '2027-03-05',
    closedDay: '2027-03-06',
  });
  await blocker({
    projectId: wellness,
    unitId: ids.centre,
    kind: '投诉',
    complaint: true,
    description: '审批窗口推诿',
    raisedDay: '2027-03-01',
    dueDate: '2027-03-05',
    status: 'resolved',
    outcome: '已约谈窗口负责人',
    finding: '属实，已整改',
    resolvedDay: '2027-03-02',
  });

  const commitment = async (fields: Parameters<typeof blocker>[0]) =>
    (
      await store.db
        .insert(blockers)
        .values({
          type: 'commitment',
          kind: '承诺',
          complaint: false,
          raisedBy: 'ou_owner',
          raisedAt: new Date(now),
          raisedDay: '2027-02-10',
          status: 'open',
          dueDate: '2027-03-01',
          sourceKey: `commitment-${fields.description}`,
          updatedAt: new Date(now),
          ...fields,
        })
        .returning()
    )[0]!.id;
  const deliver = async (blockerId: number, day: string, amountWan: number | null, evidence: string) => {
    await store.db
      .insert(commitmentDeliveries)
      .values({ blockerId, day, amountWan, evidence, actorOpenId: 'ou_owner', createdAt: new Date(now), sourceKey: `delivery-${evidence}` });
  };
  const rent = await commitment({
    projectId: tea.id,
    unitId: ids.power,
    description: '厂房租金前三年全免',
    basis: '奖励办法第五条',
    amountWan: 120,
    status: 'closed',
    resolvedDay: '2027-03-05',
    closedDay: '2027-03-05',
  });
  await deliver(rent, '2027-02-20', 40, '租金减免协议已签订');
  await deliver(rent, '2027-03-05', 80, '第二年租金已退还');
  await commitment({ projectId: water, unitId: ids.town, description: '进场道路修通', dueDate: '2027-03-20' });
  const subsidy = await commitment({ projectId: wellness, unitId: ids.centre, description: '设备补贴', basis: '县政府会议纪要', amountWan: 0.5 });
  // Recorded out of order: the earlier delivery was entered later.
  await deliver(subsidy, '2027-02-20', 0.2, '第二笔补贴到账');
  await deliver(subsidy, '2027-02-15', 0.1, '第一笔补贴到账');
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});

const today = '2027-03-11';
const options = {
  title: '某县招商引资项目台账',
  today,
  timeZone: 'Asia/Shanghai',
  channelNames: channelNames(loadCountyConfig('./config/county.json').catalog),
};

/** The workbook's first sheet (or the one named), as exceljs reads it back. */
async function readBack({ bytes: workbook }: { bytes: Buffer }, name?: string) {
  const read = new ExcelJS.Workbook();
  await read.xlsx.read(Readable.from(workbook));
  return name === undefined ? read.worksheets[0] : read.getWorksheet(name);
}

async function sheetRows(workbook: { bytes: Buffer }, name?: string): Promise<unknown[][]> {
  const sheet = await readBack(workbook, name);
  const rows: unknown[][] = [];
  sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** Every page's rows, in order. */
async function allRows(pages: AsyncIterable<LedgerRow[]>): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  for await (const page of pages) rows.push(...page);
  return rows;
}

describe('ledger rows', () => {
  const names = (rows: LedgerRow[]) => rows.map((r) => r.name);

  it('lists every project in code order, names resolved and entries summed', async () => {
    const rows = await allRows(createLedgerRepository({ store }).rows());
    expect(names(rows)).toEqual(['康养小镇', '包装饮用水', '富硒茶深加工']);
    expect(rows[2]).toMatchObject({
      code: 'ZS-2027-0002',
      unitName: '城关镇',
      ownerName: '钱主任',
      leaderName: '孙副县长',
      stage: 'signed',
      fundsInPlaceWan: 1200.3,
      jobs: 50,
      milestones: [
        { name: '签约', dueDate: '2027-02-20', doneDate: '2027-03-01' },
        { name: '开工', dueDate: '2027-06-01', doneDate: null },
        { name: '投产', dueDate: '2028-03-01', doneDate: null },
      ],
    });
    expect(rows[1]).toMatchObject({ leaderName: null, fundsInPlaceWan: 0, jobs: 0, milestones: [] });
  });

  it('filters by unit, stage and year', async () => {
    const ledger = createLedgerRepository({ store });
    expect(names(await allRows(ledger.rows({ unitIds: [ids.town] })))).toEqual(['康养小镇', '富硒茶深加工']);
    expect(names(await allRows(ledger.rows({ unitIds: [] })))).toEqual([]);
    expect(names(await allRows(ledger.rows({ stage: 'signed' })))).toEqual(['富硒茶深加工']);
    expect(names(await allRows(ledger.rows({ year: 2027, unitIds: [ids.town, ids.centre] })))).toEqual(['包装饮用水', '富硒茶深加工']);
  });
});

describe('ledger blocker rows', () => {
  const descriptions = (rows: LedgerBlockerRow[]) => rows.map((r) => r.description);

  it('lists every blocker and decision by project code, names resolved, and no commitment', async () => {
    const rows = await createLedgerRepository({ store }).blockerRows();
    expect(descriptions(rows)).toEqual(['审批窗口推诿', '进场道路3月1日前修通', '10kV专线未接入']);
    expect(rows.map((r) => r.type)).not.toContain('commitment');
    expect(rows[1]).toMatchObject({
      code: 'ZS-2027-0001',
      projectName: '包装饮用水',
      type: 'decision',
      unitName: '城关镇',
      raisedByName: '赵干事',
      status: 'closed',
      resolvedDay: '2027-03-05',
    });
  });

  it('takes a unit as the project’s unit or the responsible unit, and the stage and year of the project', async () => {
    const ledger = createLedgerRepository({ store });
    // 城关镇: its two projects' blockers, and the decision it must carry out on 招商服务中心's project.
    expect(descriptions(await ledger.blockerRows({ unitIds: [ids.town] }))).toEqual(['审批窗口推诿', '进场道路3月1日前修通', '10kV专线未接入']);
    expect(descriptions(await ledger.blockerRows({ unitIds: [ids.centre] }))).toEqual(['审批窗口推诿', '进场道路3月1日前修通']);
    expect(descriptions(await ledger.blockerRows({ unitIds: [ids.power] }))).toEqual(['10kV专线未接入']);
    expect(descriptions(await ledger.blockerRows({ unitIds: [] }))).toEqual([]);
    expect(descriptions(await ledger.blockerRows({ stage: 'signed' }))).toEqual(['10kV专线未接入']);
    expect(descriptions(await ledger.blockerRows({ year: 2026, unitIds: [ids.town] }))).toEqual(['审批窗口推诿']);
  });

  it.each([
    ['still with the unit, past its limit', { status: 'accepted', resolvedDay: null, closedDay: null }, 19],
    ['still with the unit, due today', { status: 'open', resolvedDay: null, closedDay: null, dueDate: today }, null],
    ['resolved late', { status: 'closed', resolvedDay: '2027-02-23', closedDay: '2027-02-25' }, 3],
    ['resolved on time', { status: 'resolved', resolvedDay: '2027-02-20', closedDay: null }, null],
    ['taken on by a newer decision', { status: 'superseded', resolvedDay: null, closedDay: '2027-03-01' }, 9],
    ['sent back to the coordinators', { status: 'returned', resolvedDay: null, closedDay: null }, null],
  ] as const)('counts the calendar days overdue of one %s', (_, state, days) => {
    expect(blockerDaysOverdue({ dueDate: '2027-02-20', ...state }, today)).toBe(days);
  });
});

describe('ledger commitment rows', () => {
  const descriptions = (rows: LedgerCommitmentRow[]) => rows.map((r) => r.description);

  it('lists every commitment by project code, its deliveries counted and summed, evidences in the order of their days', async () => {
    const rows = await createLedgerRepository({ store }).commitmentRows();
    expect(descriptions(rows)).toEqual(['设备补贴', '进场道路修通', '厂房租金前三年全免']);
    expect(rows[2]).toEqual({
      code: 'ZS-2027-0002',
      projectName: '富硒茶深加工',
      description: '厂房租金前三年全免',
      basis: '奖励办法第五条',
      unitName: '县供电公司',
      raisedDay: '2027-02-10',
      dueDate: '2027-03-01',
      amountWan: 120,
      status: 'closed',
      resolvedDay: '2027-03-05',
      closedDay: '2027-03-05',
      deliveredWan: 120,
      deliveries: 2,
      lastDeliveryDay: '2027-03-05',
      evidences: ['租金减免协议已签订', '第二年租金已退还'],
    });
    // 0.2 + 0.1 is 0.30000000000000004 in floats; the sheet shows 0.3.
    expect(rows[0]).toMatchObject({ deliveredWan: 0.3, deliveries: 2, lastDeliveryDay: '2027-02-20', evidences: ['第一笔补贴到账', '第二笔补贴到账'] });
    expect(rows[1]).toMatchObject({ basis: null, amountWan: null, deliveredWan: 0, deliveries: 0, lastDeliveryDay: null, evidences: [] });
  });

  it('takes a unit as the project’s unit or the responsible unit, and the stage and year of the project', async () => {
    const ledger = createLedgerRepository({ store });
    expect(descriptions(await ledger.commitmentRows({ unitIds: [ids.town] }))).toEqual(['设备补贴', '进场道路修通', '厂房租金前三年全免']);
    expect(descriptions(await ledger.commitmentRows({ unitIds: [ids.centre] }))).toEqual(['设备补贴', '进场道路修通']);
    expect(descriptions(await ledger.commitmentRows({ unitIds: [ids.power] }))).toEqual(['厂房租金前三年全免']);
    expect(descriptions(await ledger.commitmentRows({ unitIds: [] }))).toEqual([]);
    expect(descriptions(await ledger.commitmentRows({ stage: 'signed' }))).toEqual(['厂房租金前三年全免']);
    expect(descriptions(await ledger.commitmentRows({ year: 2026, unitIds: [ids.town] }))).toEqual(['设备补贴']);
  });

  it.each([
    ['kept, late', { status: 'closed', dueDate: '2027-03-01' }, '已兑现'],
    ['kept, not due yet', { status: 'closed', dueDate: '2027-04-01' }, '已兑现'],
    ['not kept, due today', { status: 'open', dueDate: today }, '未兑现'],
    ['not kept, past its due date', { status: 'open', dueDate: '2027-03-10' }, '逾期未兑现'],
  ] as const)('says one %s is %s', (_, state, shown) => {
    expect(commitmentState(state, today)).toBe(shown);
  });
});

describe('ledger workbook', () => {
  it('has a title, the Chinese header and one row of values per project, numbers as numbers', async () => {
    const rows = await sheetRows(await buildLedgerWorkbook(createLedgerRepository({ store }).rows(), options));

    expect(rows[0]?.[0]).toBe('某县招商引资项目台账（截至 2027-03-11）');
    expect(rows[1]).toEqual([
      '项目编号',
      '项目名称',
      '投资方',
      '责任单位',
      '负责人',
      '包抓领导',
      '引荐人',
      '招商方式',
      '行业',
      '阶段',
      '计划投资(万元)',
      '到位资金(万元)',
      '就业岗位',
      '关键节点（计划/实际）',
      '距上次进展(天)',
    ]);
    expect(rows).toHaveLength(5);
    expect(rows[4]).toEqual([
      'ZS-2027-0002',
      '富硒茶深加工',
      '某茶业集团有限公司',
      '城关镇',
      '钱主任',
      '孙副县长',
      '张三',
      '归雁工程',
      '富硒茶叶',
      '签约',
      5000,
      1200.3,
      50,
      '签约 计划2027-02-20 实际2027-03-01；开工 计划2027-06-01；投产 计划2028-03-01',
      10,
    ]);
    // Empty cells are holes in exceljs's row values.
    expect(rows[3]?.[1]).toBe('包装饮用水');
    expect(rows[3]?.[9]).toBe('线索');
    expect(rows[3]?.slice(10)).toEqual([undefined, 0, 0, undefined, 38]);
    expect(rows[2]?.[0]).toBe('ZS-2026-0001');
  });

  it('freezes the title and header rows', async () => {
    const sheet = await readBack(await buildLedgerWorkbook([], options));
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('has a second sheet of blockers and decisions, with its title, frozen header and one row each', async () => {
    const ledger = createLedgerRepository({ store });
    const workbook = await buildLedgerWorkbook(ledger.rows(), options, await ledger.blockerRows());
    const rows = await sheetRows(workbook, '问题与议定事项');

    expect(rows[0]?.[0]).toBe('某县招商引资项目台账 · 问题与议定事项（截至 2027-03-11）');
    expect(rows[1]).toEqual([
      '项目编号',
      '项目名称',
      '类别',
      '类型',
      '描述',
      '责任单位',
      '提出人',
      '提出日期',
      '时限',
      '状态',
      '办结日期',
      '办理结果',
      '查处结果',
      '逾期(天)',
    ]);
    expect(rows).toHaveLength(5);
    // Still with 县供电公司, 19 days past 2027-02-20 on 2027-03-11; no 办结 yet (empty cells are holes).
    expect(rows[4]).toEqual([
      'ZS-2027-0002',
      '富硒茶深加工',
      '问题',
      '用电',
      '10kV专线未接入',
      '县供电公司',
      '钱主任',
      '2027-02-10',
      '2027-02-20',
      '办理中',
      undefined,
      undefined,
      undefined,
      19,
    ]);
    expect(rows[3]).toEqual([
      'ZS-2027-0001',
      '包装饮用水',
      '议定事项',
      '道路',
      '进场道路3月1日前修通',
      '城关镇',
      '赵干事',
      '2027-02-15',
      '2027-03-01',
      '已解决',
      '2027-03-05',
      '已修通并验收',
      undefined,
      4,
    ]);
    // A complaint resolved on time, with its finding: no days overdue.
    expect(rows[2]?.slice(2, 13)).toEqual([
      '投诉',
      '投诉',
      '审批窗口推诿',
      '县招商服务中心',
      '钱主任',
      '2027-03-01',
      '2027-03-05',
      '待确认',
      '2027-03-02',
      '已约谈窗口负责人',
      '属实，已整改',
    ]);
    expect(rows[2]).toHaveLength(13);
    const sheet = await readBack(workbook, '问题与议定事项');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('has a third sheet of commitments, with its title, frozen header and one row each', async () => {
    const ledger = createLedgerRepository({ store });
    const workbook = await buildLedgerWorkbook(ledger.rows(), options, await ledger.blockerRows(), await ledger.commitmentRows());
    const rows = await sheetRows(workbook, '承诺兑现');

    expect(rows[0]?.[0]).toBe('某县招商引资项目台账 · 承诺兑现（截至 2027-03-11）');
    expect(rows[1]).toEqual([
      '项目编号',
      '项目名称',
      '承诺内容',
      '依据',
      '责任单位',
      '登记日期',
      '兑现时限',
      '承诺金额(万元)',
      '已兑现(万元)',
      '兑现次数',
      '最后兑现日期',
      '状态',
      '凭证',
      '逾期(天)',
    ]);
    expect(rows).toHaveLength(5);
    // Kept on 2027-03-05, 4 days after its due date.
    expect(rows[4]).toEqual([
      'ZS-2027-0002',
      '富硒茶深加工',
      '厂房租金前三年全免',
      '奖励办法第五条',
      '县供电公司',
      '2027-02-10',
      '2027-03-01',
      120,
      120,
      2,
      '2027-03-05',
      '已兑现',
      '租金减免协议已签订；第二年租金已退还',
      4,
    ]);
    // Nothing delivered and not due yet: empty cells are holes.
    expect(rows[3]).toEqual([
      'ZS-2027-0001',
      '包装饮用水',
      '进场道路修通',
      undefined,
      '城关镇',
      '2027-02-10',
      '2027-03-20',
      undefined,
      undefined,
      0,
      undefined,
      '未兑现',
    ]);
    // Partly delivered and 10 days past its due date on 2027-03-11.
    expect(rows[2]).toEqual([
      'ZS-2026-0001',
      '康养小镇',
      '设备补贴',
      '县政府会议纪要',
      '县招商服务中心',
      '2027-02-10',
      '2027-03-01',
      0.5,
      0.3,
      2,
      '2027-02-20',
      '逾期未兑现',
      '第一笔补贴到账；第二笔补贴到账',
      10,
    ]);
    // The blockers sheet is as before: no commitment there.
    const blockerRows = await sheetRows(workbook, '问题与议定事项');
    expect(blockerRows.slice(2).map((r) => r[4])).toEqual(['审批窗口推诿', '进场道路3月1日前修通', '10kV专线未接入']);
    const sheet = await readBack(workbook, '承诺兑现');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });

  it('writes the blockers and commitments sheets with only their headers when there are none', async () => {
    const workbook = await buildLedgerWorkbook([], options);
    const commitmentRows = await sheetRows(workbook, '承诺兑现');
    expect(commitmentRows).toHaveLength(2);
    expect(commitmentRows[1]?.[2]).toBe('承诺内容');
  });

  it('writes the blockers sheet with only its header when there are none', async () => {
    const rows = await sheetRows(await buildLedgerWorkbook([], options), '问题与议定事项');
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[0]).toBe('项目编号');
  });
});

describe('npm run ledger:export', () => {
  const env = {
    ...process.env,
    LARK_APP_ID: 'cli_0123456789abcdef',
    LARK_APP_SECRET: 's',
    LARK_ENCRYPT_KEY: 'k',
    LARK_VERIFICATION_TOKEN: 'v',
  };
  const runExport = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'bot/cli/export-ledger.ts', ...args], { env: { ...env, ...databaseEnv } });

  it('writes the ledger of the named unit from the configured database', async () => {
    const out = join(dir.path, '城关镇台账.xlsx');
    const { stdout } = await runExport(out, '--unit', '城关镇');

    expect(stdout).toContain('已导出 2 个项目、3 个问题和议定事项、3 项承诺');
    const rows = await sheetRows({ bytes: readFileSync(out) });
    expect(rows.slice(2).map((r) => r[1])).toEqual(['康养小镇', '富硒茶深加工']);
    const blockerRows = await sheetRows({ bytes: readFileSync(out) }, '问题与议定事项');
    expect(blockerRows.slice(2).map((r) => r[4])).toEqual(['审批窗口推诿', '进场道路3月1日前修通', '10kV专线未接入']);
    const commitmentRows = await sheetRows({ bytes: readFileSync(out) }, '承诺兑现');
    expect(commitmentRows.slice(2).map((r) => r[2])).toEqual(['设备补贴', '进场道路修通', '厂房租金前三年全免']);
  });

  it('names the known units when asked for one that does not exist', async () => {
    await expect(runExport(join(dir.path, 'x.xlsx'), '--unit', '城东镇')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('城关镇、县招商服务中心'),
    });
  });
});
