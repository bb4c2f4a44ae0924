/**
 * One figure measured alone, in a process of its own on a fresh database, so that no other
 * figure's data set or garbage weighs on it and its peak RSS is its own. bench/run.ts starts it:
 *   node --import tsx bench/measure.ts <figure> '<options as JSON>'
 * and reads the result from the last line of its output.
 */
import { openStore } from '../db/open-store';
import { measureLedgerExport } from './ledger-export';
import { measureRemindersRebuild } from './reminders-rebuild';
import { measureStallScan } from './stall-scan';
import { measureStandings } from './standings';

export interface MeasureOptions {
  databasePath: string;
  databaseUrl?: string;
  redisUrl: string;
  projects: number;
}

const figures = {
  rebuild: measureRemindersRebuild,
  scan: measureStallScan,
  standings: measureStandings,
  ledger: measureLedgerExport,
};
export type Figure = keyof typeof figures;

const [figure, json] = process.argv.slice(2) as [Figure, string];
const options = JSON.parse(json) as MeasureOptions;
const store = await openStore(options);
try {
  const result = await figures[figure]({ store, redisUrl: options.redisUrl, projects: options.projects });
  console.log(JSON.stringify({ ...result, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
} finally {
  await store.close();
}
