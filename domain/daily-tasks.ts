/**
 * When a daily task (the stall scan, the holiday-data check, the bulletin check) was last due: at
 * 09:00 on each working day. A task that has not run for that day runs once, late if need be, so
 * a bot that was down at 09:00 catches up when it comes back.
 */
import { addDays, compareDates, dateInZone, type IsoDate, instantAt } from './calendar-date';
import type { WorkingCalendar } from './working-calendar';

/** The daily tasks' hour, county time; the same as the morning reminders'. */
export const DAILY_TASK_TIME = '09:00';
/** A bot down longer than this catches up once for the latest due day, not for each one missed. */
const LOOK_BACK_DAYS = 40;

/** The latest working day whose 09:00 has passed at `now`. */
export function latestDueDay(now: number, timeZone: string, calendar: WorkingCalendar): IsoDate | undefined {
  const today = dateInZone(now, timeZone);
  for (let day = today, back = 0; back <= LOOK_BACK_DAYS; day = addDays(day, -1), back++) {
    if (calendar.isWorkingDay(day) && now >= instantAt(day, DAILY_TASK_TIME, timeZone)) return day;
  }
  return undefined;
}

/** Whether a task that last ran for `lastRun` (never: undefined) owes a run for `due`. */
export function owesRun(due: IsoDate | undefined, lastRun: IsoDate | undefined): due is IsoDate {
  return due !== undefined && (lastRun === undefined || compareDates(lastRun, due) < 0);
}
