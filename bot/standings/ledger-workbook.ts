/**
 * The project ledger (招商项目台账) as an .xlsx file, for leaders and the 督查组 to read, sort and
 * filter in Excel or WPS: a title row, a frozen header row, one row per project; a second sheet
 * laid out the same way, one row per blocker or decision (问题与议定事项); and a third, one row per
 * commitment with its deliveries (承诺兑现).
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LedgerBlockerRow, LedgerCommitmentRow, LedgerMilestone, LedgerRow } from '../../db/ledger-repository';
import { statusName, WITH_UNIT } from '../../domain/blockers';
import { compareDates, dateInZone, daysBetween, type IsoDate } from '../../domain/calendar-date';
import type { Catalog } from '../../domain/catalog';
import { stageName } from '../../domain/stages';

export interface LedgerWorkbookOptions {
  /** The title row's text, e.g. `某县招商引资项目台账`; the date it stands at is added. */
  title: string;
  /** The county's today: the ledger stands at this date, and days since last activity count to it. */
  today: IsoDate;
  /** The county's time zone, to date each project's last activity. */
  timeZone: string;
  /** 招商方式 names by channel code (county.json `channels`); an unknown code is shown as stored. */
  channelNames: Record<string, string>;
}

type CellValue = string | number | null;

interface Column<Row> {
  header: string;
  /** In Excel's units (about one Latin character; a Chinese character takes two). */
  width: number;
  numFmt?: string;
  wrap?: boolean;
  value(row: Row, options: LedgerWorkbookOptions): CellValue;
}

const WAN = '#,##0.00';
const COUNT = '#,##0';

const COLUMNS: readonly Column<LedgerRow>[] = [
  { header: '项目编号', width: 14, value: (r) => r.code },
  { header: '项目名称', width: 28, wrap: true, value: (r) => r.name },
  { header: '投资方', width: 26, wrap: true, value: (r) => r.investor },
  { header: '责任单位', width: 16, value: (r) => r.unitName },
  { header: '负责人', width: 10, value: (r) => r.ownerName },
  { header: '包抓领导', width: 10, value: (r) => r.leaderName },
  { header: '引荐人', width: 10, value: (r) => r.referrer },
  { header: '招商方式', width: 12, value: (r, o) => (r.channel === null ? null : (o.channelNames[r.channel] ?? r.channel)) },
  { header: '行业', width: 12, value: (r) => r.industry },
  { header: '阶段', width: 8, value: (r) => stageName(r.stage) },
  { header: '计划投资(万元)', width: 15, numFmt: WAN, value: (r) => r.plannedInvestmentWan },
  { header: '到位资金(万元)', width: 15, numFmt: WAN, value: (r) => r.fundsInPlaceWan },
  { header: '就业岗位', width: 10, numFmt: COUNT, value: (r) => r.jobs },
  { header: '关键节点（计划/实际）', width: 50, wrap: true, value: (r) => milestoneSummary(r.milestones) || null },
  { header: '距上次进展(天)', width: 15, numFmt: COUNT, value: (r, o) => daysBetween(dateInZone(r.lastActivityAt.getTime(), o.timeZone), o.today) },
];

/** The header row's texts, in column order. */
export const LEDGER_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

/** 问题, 投诉 (a complaint, which closes only with a finding) or 议定事项 (a joint meeting's decision). */
const blockerCategory = (r: LedgerBlockerRow) => (r.type === 'decision' ? '议定事项' : r.complaint ? '投诉' : '问题');

/**
 * Calendar days (not working days) past the time limit: up to the day 办结 was reported (for a
 * decision taken on by a newer one, the day it was), or up to today while the responsible unit
 * still has it. Empty when it was not late, and while it is sent back (退回) to the coordinators.
 */
export function blockerDaysOverdue(r: Pick<LedgerBlockerRow, 'dueDate' | 'status' | 'resolvedDay' | 'closedDay'>, today: IsoDate): number | null {
  const end = r.resolvedDay ?? r.closedDay ?? (WITH_UNIT.includes(r.status) ? today : null);
  const days = end === null ? 0 : daysBetween(r.dueDate, end);
  return days > 0 ? days : null;
}

const BLOCKER_COLUMNS: readonly Column<LedgerBlockerRow>[] = [
  { header: '项目编号', width: 14, value: (r) => r.code },
  { header: '项目名称', width: 28, wrap: true, value: (r) => r.projectName },
  { header: '类别', width: 10, value: blockerCategory },
  { header: '类型', width: 10, value: (r) => r.kind },
  { header: '描述', width: 40, wrap: true, value: (r) => r.description },
  { header: '责任单位', width: 16, value: (r) => r.unitName },
  { header: '提出人', width: 10, value: (r) => r.raisedByName },
  { header: '提出日期', width: 12, value: (r) => r.raisedDay },
  { header: '时限', width: 12, value: (r) => r.dueDate },
  { header: '状态', width: 14, wrap: true, value: (r) => statusName(r.status) },
  { header: '办结日期', width: 12, value: (r) => r.resolvedDay },
  { header: '办理结果', width: 40, wrap: true, value: (r) => r.outcome },
  { header: '查处结果', width: 30, wrap: true, value: (r) => r.finding },
  { header: '逾期(天)', width: 10, numFmt: COUNT, value: (r, o) => blockerDaysOverdue(r, o.today) },
];

/** 已兑现 once the deliveries reached the promise; until then 未兑现, or 逾期未兑现 past the due date. */
export function commitmentState(r: Pick<LedgerCommitmentRow, 'status' | 'dueDate'>, today: IsoDate): '已兑现' | '未兑现' | '逾期未兑现' {
  if (r.status === 'closed') return '已兑现';
  return compareDates(r.dueDate, today) < 0 ? '逾期未兑现' : '未兑现';
}

const COMMITMENT_COLUMNS: readonly Column<LedgerCommitmentRow>[] = [
  { header: '项目编号', width: 14, value: (r) => r.code },
  { header: '项目名称', width: 28, wrap: true, value: (r) => r.projectName },
  { header: '承诺内容', width: 40, wrap: true, value: (r) => r.description },
  { header: '依据', width: 24, wrap: true, value: (r) => r.basis },
  { header: '责任单位', width: 16, value: (r) => r.unitName },
  { header: '登记日期', width: 12, value: (r) => r.raisedDay },
  { header: '兑现时限', width: 12, value: (r) => r.dueDate },
  { header: '承诺金额(万元)', width: 15, numFmt: WAN, value: (r) => r.amountWan },
  // A promise without an amount shows none delivered only when a delivery named one.
  { header: '已兑现(万元)', width: 15, numFmt: WAN, value: (r) => (r.amountWan === null && r.deliveredWan === 0 ? null : r.deliveredWan) },
  { header: '兑现次数', width: 10, numFmt: COUNT, value: (r) => r.deliveries },
  { header: '最后兑现日期', width: 14, value: (r) => r.lastDeliveryDay },
  { header: '状态', width: 12, value: (r, o) => commitmentState(r, o.today) },
  { header: '凭证', width: 40, wrap: true, value: (r) => r.evidences.join('；') || null },
  // Up to the day it was kept, or up to today while it is not.
  { header: '逾期(天)', width: 10, numFmt: COUNT, value: (r, o) => blockerDaysOverdue(r, o.today) },
];

/**
 * Builds the ledger workbook: the projects sheet, then the blockers and decisions sheet, then the
 * commitments sheet; returns the file and how many projects it lists. Projects come a page at a
 * time and rows are written and flushed one at a time by exceljs's streaming writer, so a
 * province's 100,000 projects hold one page and the finished file in memory, not a sheet model.
 */
export async function buildLedgerWorkbook(
  projectPages: AsyncIterable<readonly LedgerRow[]> | Iterable<readonly LedgerRow[]>,
  options: LedgerWorkbookOptions,
  blockers: readonly LedgerBlockerRow[] = [],
  commitments: readonly LedgerCommitmentRow[] = [],
): Promise<{ bytes: Buffer; projects: number }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  // Shared strings: units, people, stages and channels repeat on every row.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  workbook.creator = '招商助手';
  workbook.title = options.title;
  const projects = await addSheet(workbook, '项目台账', `${options.title}（截至 ${options.today}）`, COLUMNS, projectPages, options);
  await addSheet(workbook, '问题与议定事项', `${options.title} · 问题与议定事项（截至 ${options.today}）`, BLOCKER_COLUMNS, [blockers], options);
  await addSheet(workbook, '承诺兑现', `${options.title} · 承诺兑现（截至 ${options.today}）`, COMMITMENT_COLUMNS, [commitments], options);
  await workbook.commit();
  return { bytes: Buffer.concat(chunks), projects };
}

/**
 * One sheet: a title row, a frozen header row with a filter, then a row per item, each committed
 * as written. Returns how many items it lists.
 */
async function addSheet<Row>(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  titleText: string,
  columns: readonly Column<Row>[],
  pages: AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>,
  options: LedgerWorkbookOptions,
): Promise<number> {
  const lastColumn = columns.length;
  const sheet = workbook.addWorksheet(name, {
    // Title and header stay in view, and so do code and name when scrolling right.
    views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  sheet.columns = columns.map((c) => ({ width: c.width, style: { numFmt: c.numFmt, alignment: { vertical: 'top', wrapText: c.wrap } } }));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: lastColumn } };

  const title = sheet.addRow([titleText]);
  title.height = 28;
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { vertical: 'middle' };
  sheet.mergeCells(1, 1, 1, lastColumn);
  title.commit();

  const header = sheet.addRow(columns.map((c) => c.header));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  let count = 0;
  for await (const page of pages) {
    for (const row of page) sheet.addRow(columns.map((c) => c.value(row, options))).commit();
    count += page.length;
  }
  sheet.commit();
  return count;
}

/** The county's 招商方式 names by code, for {@link LedgerWorkbookOptions.channelNames}. */
export function channelNames(catalog: Catalog): Record<string, string> {
  return Object.fromEntries(catalog.channels.map((c) => [c.code, c.name]));
}

/** `开工 计划2027-03-01 实际2027-03-05；投产 计划2028-01-01`. */
export function milestoneSummary(milestones: readonly LedgerMilestone[]): string {
  return milestones.map((m) => `${m.name} 计划${m.dueDate}${m.doneDate === null ? '' : ` 实际${m.doneDate}`}`).join('；');
}
