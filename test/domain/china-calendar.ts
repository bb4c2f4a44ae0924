import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { calendarYearsFromChineseDays, WorkingCalendar } from '../../domain/working-calendar';

/** China's real working days, 2004–2026, from the chinese-days package. */
export const chinaYears = calendarYearsFromChineseDays(chineseDays);

export const chinaCalendar = new WorkingCalendar(chinaYears);
