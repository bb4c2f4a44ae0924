import { readFileSync } from 'node:fs';
import { catalogSchema, type Catalog } from '../domain/catalog';
import { signedDefaultsSchema, type SignedDefaults } from '../domain/milestones';
import { nudgeRulesSchema, type NudgeRules } from '../domain/nudge-schedule';
import { ConfigError } from './config';

/** What a county edits without touching code: its lists, reminder offsets and default milestone dates. */
export interface CountyConfig {
  catalog: Catalog;
  nudges: NudgeRules;
  signedDefaults: SignedDefaults;
}

export function loadCountyConfig(path: string): CountyConfig {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`COUNTY_CONFIG_PATH: 无法读取 ${path}：${(err as Error).message}`]);
  }
  const catalog = catalogSchema.safeParse(json);
  const nudges = nudgeRulesSchema.safeParse(json.nudges ?? {});
  const signedDefaults = signedDefaultsSchema.safeParse(json.signedDefaults ?? {});
  const problems = [
    ...(catalog.error?.issues ?? []).map((i) => `${path} ${i.path.join('.')}: ${i.message}`),
    ...(nudges.error?.issues ?? []).map((i) => `${path} nudges.${i.path.join('.')}: ${i.message}`),
    ...(signedDefaults.error?.issues ?? []).map((i) => `${path} signedDefaults.${i.path.join('.')}: ${i.message}`),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return { catalog: catalog.data!, nudges: nudges.data!, signedDefaults: signedDefaults.data! };
}
