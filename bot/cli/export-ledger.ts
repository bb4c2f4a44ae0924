/**
 * npm run ledger:export -- <台账.xlsx> [--unit 城关镇]… [--stage 签约] [--year 2026]
 * Writes the project ledger (招商项目台账) as an Excel file: every project, or those of the named
 * units (repeat --unit for several), of one stage, or registered in one year; a second sheet lists
 * the blockers and decisions, and a third the commitments, of those projects and of those units as
 * responsible units.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLedgerRepository, type LedgerFilter } from '../../db/ledger-repository';
import { openStore } from '../../db/open-store';
import { createUnitsRepository } from '../../db/people-repository';
import { dateInZone } from '../../domain/calendar-date';
import { parseStage } from '../../domain/stages';
import { ConfigError, readConfig } from '../process/config';
import { loadCountyConfig } from '../process/county-config';
import { buildLedgerWorkbook, channelNames } from '../standings/ledger-workbook';

const USAGE = '用法 / usage: npm run ledger:export -- <台账.xlsx> [--unit 城关镇]… [--stage 签约] [--year 2026]';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { unit: { type: 'string', multiple: true }, stage: { type: 'string' }, year: { type: 'string' } },
  });
  const [out, ...extra] = positionals;
  if (!out || extra.length > 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = readConfig();
  const county = loadCountyConfig(config.countyConfigPath);
  const store = await openStore(config);
  try {
    const filter: LedgerFilter = {
      ...(await unitFilter(values.unit, createUnitsRepository({ store, clock: Date.now }))),
      ...stageFilter(values.stage),
      ...yearFilter(values.year),
    };
    const ledger = createLedgerRepository({ store });
    const blockers = await ledger.blockerRows(filter);
    const commitments = await ledger.commitmentRows(filter);
    const title = `招商引资项目台账${values.unit ? `（${values.unit.join('、')}）` : ''}`;
    const today = dateInZone(Date.now(), config.timeZone);
    const { bytes, projects } = await buildLedgerWorkbook(
      ledger.rows(filter),
      { title, today, timeZone: config.timeZone, channelNames: channelNames(county.catalog) },
      blockers,
      commitments,
    );
    writeFileSync(out, bytes);
    console.log(`已导出 ${projects} 个项目、${blockers.length} 个问题和议定事项、${commitments.length} 项承诺到 ${out}`);
  } finally {
    await store.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}

async function unitFilter(names: string[] | undefined, units: ReturnType<typeof createUnitsRepository>): Promise<LedgerFilter> {
  if (names === undefined) return {};
  const unitIds = await Promise.all(
    names.map(async (name) => {
      const unit = await units.byName(name.trim());
      if (!unit) throw new Error(`没有单位「${name}」。名册中的单位：${(await units.all()).map((u) => u.name).join('、') || '（无，请先导入名册）'}`);
      return unit.id;
    }),
  );
  return { unitIds };
}

function stageFilter(text: string | undefined): LedgerFilter {
  if (text === undefined) return {};
  const match = parseStage(text);
  if (!match.ok) throw new Error(`没有阶段「${text}」${match.suggestions.length > 0 ? `，是否想写：${match.suggestions.join('、')}` : ''}`);
  return { stage: match.stage };
}

function yearFilter(text: string | undefined): LedgerFilter {
  if (text === undefined) return {};
  if (!/^\d{4}$/.test(text)) throw new Error(`年份应为四位数字，如 2026：「${text}」`);
  return { year: Number(text) };
}
