/**
 * The ledger export's figure: with 10,000 projects (40,000 milestones, about 15,000 funds and
 * 10,000 jobs entries) in SQLite, the time to read the ledger rows and to build the .xlsx, the
 * file's size, and the peak RSS of the process.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCountyConfig } from '../bot/process/county-config';
import { buildLedgerWorkbook, channelNames } from '../bot/standings/ledger-workbook';
import { type Db, openDatabase } from '../db/client';
import { createLedgerRepository } from '../db/ledger-repository';
import { addDays, dateInZone, type IsoDate } from '../domain/calendar-date';
import { MILESTONES_PER_PROJECT, seedPipeline } from './seed-pipeline';
import { ms } from './stats';

const TIME_ZONE = 'Asia/Shanghai';
const UNITS = 20;

export async function measureLedgerExport(options: { dir: string; projects: number }) {
  const db = openDatabase(join(options.dir, 'ledger.db'));
  const now = Date.parse('2026-11-25T09:00:00+08:00');
  const today = dateInZone(now, TIME_ZONE);
  const county = loadCountyConfig('./config/county.json');
  try {
    seedPipeline(db, { projects: options.projects, today, now, activitySpreadDays: 90, firstDueInDays: -120 });
    const entries = seedLedgerDetails(db, { today, now, channels: county.catalog.channels.map((c) => c.code), industries: county.catalog.industries });
    const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;

    const queryStart = performance.now();
    const rows = await createLedgerRepository({ db }).rows();
    const queryMs = performance.now() - queryStart;
    const buildStart = performance.now();
    const workbook = await buildLedgerWorkbook(rows, { title: '招商引资项目台账', today, timeZone: TIME_ZONE, channelNames: channelNames(county.catalog) });
    const buildMs = performance.now() - buildStart;

    return {
      projects: rows.length,
      milestones: options.projects * MILESTONES_PER_PROJECT,
      ...entries,
      queryMs,
      buildMs,
      bytes: workbook.length,
      rssBeforeMiB,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    db.$client.close();
  }
}

export function formatLedgerExport(r: Awaited<ReturnType<typeof measureLedgerExport>>) {
  return [
    `ledger export of ${r.projects} projects (${r.milestones} milestones, ${r.funds} funds and ${r.jobs} jobs entries):`,
    `  query ${ms(r.queryMs)}   build .xlsx ${ms(r.buildMs)}   total ${ms(r.queryMs + r.buildMs)}   file ${(r.bytes / 2 ** 20).toFixed(1)} MiB`,
    `  RSS before the export ${r.rssBeforeMiB.toFixed(0)} MiB, peak RSS of the bench process so far ${r.peakRssMiB.toFixed(0)} MiB`,
  ].join('\n');
}

/**
 * What seedPipeline leaves out of a ledger: units, leaders, channels, industries, planned
 * investment, and 0–3 funds and 0–2 jobs entries per project, spread deterministically.
 */
export function seedLedgerDetails(db: Db, options: { today: IsoDate; now: number; channels: string[]; industries: string[] }) {
  const sqlite = db.$client;
  const { now, today } = options;
  const counts = { funds: 0, jobs: 0 };
  sqlite.transaction(() => {
    const unit = sqlite.prepare("insert into units (name, kind, created_at) values (?, 'township', ?)");
    for (let u = 1; u <= UNITS; u++) unit.run(`第${u}镇`, now);
    const project = sqlite.prepare(
      'update projects set unit_id = ?, leader_open_id = ?, channel = ?, industry = ?, planned_investment_wan = ?, referrer = ? where id = ?',
    );
    const funds = sqlite.prepare(
      "insert into funds_entries (project_id, amount_wan, day, actor_open_id, created_at, source_key) values (?, ?, ?, 'ou_bench_0', ?, ?)",
    );
    const jobs = sqlite.prepare("insert into job_entries (project_id, jobs, day, actor_open_id, created_at, source_key) values (?, ?, ?, 'ou_bench_0', ?, ?)");
    const ids = sqlite.prepare('select id from projects').pluck().all() as number[];
    for (const id of ids) {
      project.run(
        1 + (id % UNITS),
        `ou_bench_${(id * 13) % 500}`,
        options.channels[id % options.channels.length],
        options.industries[id % options.industries.length],
        500 + ((id * 37) % 20_000),
        id % 3 === 0 ? `引荐人${id % 97}` : null,
        id,
      );
      for (let f = 0; f < id % 4; f++, counts.funds++)
        funds.run(id, 100 + ((id + f) % 900) + 0.5, addDays(today, -((id + f * 30) % 365)), now, `bench-funds-${id}-${f}`);
      for (let j = 0; j < id % 3; j++, counts.jobs++) jobs.run(id, 5 + ((id + j) % 50), addDays(today, -((id + j * 45) % 365)), now, `bench-jobs-${id}-${j}`);
    }
  })();
  return counts;
}
