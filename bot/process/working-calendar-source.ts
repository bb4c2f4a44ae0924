import { existsSync, readFileSync } from 'node:fs';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { calendarOverrideSchema, calendarYearsFromChineseDays, mergeCalendarYears, WorkingCalendar } from '../../domain/working-calendar';
import { ConfigError } from './config';

/**
 * China's working days: public holidays and 调休 make-up days from the chinese-days package, with
 * an admin's override file for years the package does not have yet (missing file: no overrides).
 */
export function loadWorkingCalendar(overridesPath: string): WorkingCalendar {
  const base = calendarYearsFromChineseDays(chineseDays);
  if (!existsSync(overridesPath)) return new WorkingCalendar(base);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(overridesPath, 'utf8'));
  } catch (err) {
    throw new ConfigError([`HOLIDAY_OVERRIDES_PATH: 无法读取 ${overridesPath}：${(err as Error).message}`]);
  }
  const parsed = calendarOverrideSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${overridesPath} ${i.path.join('.')}: ${i.message}`));
  return new WorkingCalendar(mergeCalendarYears(base, parsed.data));
}
