/**
 * The project ledger (招商项目台账) as an .xlsx file, for leaders and the 督查组 to read, sort and
 * filter in Excel or WPS: a title row, a frozen header row, one row per project.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { LedgerMilestone, LedgerRow } from '../../db/ledger-repository';
import { dateInZone, daysBetween, type IsoDate } from '../../domain/calendar-date';
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

interface Column {
  header: string;
  /** In Excel's units (about one Latin character; a Chinese character takes two). */
  width: number;
  numFmt?: string;
  wrap?: boolean;
  value(row: LedgerRow, options: LedgerWorkbookOptions): CellValue;
}

const WAN = '#,##0.00';
const COUNT = '#,##0';

const COLUMNS: readonly Column[] = [
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

/**
 * Builds the ledger workbook. Rows are written and flushed one at a time by exceljs's streaming
 * writer, so 10,000 projects hold only the finished file in memory, not a sheet model.
 */
export async function buildLedgerWorkbook(rows: Iterable<LedgerRow>, options: LedgerWorkbookOptions): Promise<Buffer> {
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
  const lastColumn = COLUMNS.length;
  const sheet = workbook.addWorksheet('项目台账', {
    // Title and header stay in view, and so do code and name when scrolling right.
    views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width, style: { numFmt: c.numFmt, alignment: { vertical: 'top', wrapText: c.wrap } } }));
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: lastColumn } };

  const title = sheet.addRow([`${options.title}（截至 ${options.today}）`]);
  title.height = 28;
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { vertical: 'middle' };
  sheet.mergeCells(1, 1, 1, lastColumn);
  title.commit();

  const header = sheet.addRow([...LEDGER_HEADERS]);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  for (const row of rows) sheet.addRow(COLUMNS.map((c) => c.value(row, options))).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** The county's 招商方式 names by code, for {@link LedgerWorkbookOptions.channelNames}. */
export function channelNames(catalog: Catalog): Record<string, string> {
  return Object.fromEntries(catalog.channels.map((c) => [c.code, c.name]));
}

/** `开工 计划2027-03-01 实际2027-03-05；投产 计划2028-01-01`. */
export function milestoneSummary(milestones: readonly LedgerMilestone[]): string {
  return milestones.map((m) => `${m.name} 计划${m.dueDate}${m.doneDate === null ? '' : ` 实际${m.doneDate}`}`).join('；');
}
