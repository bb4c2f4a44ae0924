/**
 * The ledger export's figure: with 10,000 projects (40,000 milestones, about 15,000 funds and
 * 10,000 jobs entries), the time to read the ledger rows and build the .xlsx (a page of projects at
 * a time, read as written), the file's size, and the peak RSS of the process.
 */
import { performance } from 'node:perf_hooks';
import { loadCountyConfig } from '../bot/process/county-config';
import { buildLedgerWorkbook, channelNames } from '../bot/standings/ledger-workbook';
import { createLedgerRepository } from '../db/ledger-repository';
import type { Store } from '../db/store';
import { dateInZone } from '../domain/calendar-date';
import { countyDetails, MILESTONES_PER_PROJECT, seedPipeline } from './seed-pipeline';
import { ms } from './stats';

const TIME_ZONE = 'Asia/Shanghai';

export async function measureLedgerExport(options: { store: Store; projects: number }) {
  const { store } = options;
  const now = Date.parse('2026-11-25T09:00:00+08:00');
  const today = dateInZone(now, TIME_ZONE);
  const county = loadCountyConfig('./config/county.json');
  const entries = await seedPipeline(store, { projects: options.projects, today, now, activitySpreadDays: 90, firstDueInDays: -120, details: countyDetails() });
  const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;

  // The pages are read as the sheet is written: one time for both.
  const start = performance.now();
  const workbook = await buildLedgerWorkbook(createLedgerRepository({ store }).rows(), {
    title: '招商引资项目台账',
    today,
    timeZone: TIME_ZONE,
    channelNames: channelNames(county.catalog),
  });
  const exportMs = performance.now() - start;

  return {
    projects: workbook.projects,
    milestones: options.projects * MILESTONES_PER_PROJECT,
    ...entries,
    exportMs,
    bytes: workbook.bytes.length,
    rssBeforeMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

export function formatLedgerExport(r: Awaited<ReturnType<typeof measureLedgerExport>>) {
  return [
    `ledger export of ${r.projects} projects (${r.milestones} milestones, ${r.funds} funds and ${r.jobs} jobs entries):`,
    `  read and written, a page of projects at a time: ${ms(r.exportMs)}   file ${(r.bytes / 2 ** 20).toFixed(1)} MiB`,
    `  RSS before the export ${r.rssBeforeMiB.toFixed(0)} MiB, peak RSS of its process ${r.peakRssMiB.toFixed(0)} MiB`,
  ].join('\n');
}
