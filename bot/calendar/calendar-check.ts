import type { PeopleRepository } from '../../db/people-repository';
import { addDays, dateInZone, dayOfWeek } from '../../domain/calendar-date';
import type { Clock } from '../../domain/clock';
import type { WorkingCalendar } from '../../domain/working-calendar';
import type { Logger } from '../../jobs/base/logger';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import { holidayDataMissingCard } from './calendar-cards';

/** The State Council publishes next year's holidays late in the year; asking earlier is noise. */
const ASK_FROM_MONTH = 11;

/**
 * Runs every morning: when the holiday data lacks this year, or next year from November on,
 * reminders would fall on public holidays, so the coordinators are asked to add an override file —
 * daily for this year, on the first working day of each week for next year.
 */
export function createCalendarCheck(deps: {
  calendar: WorkingCalendar;
  people: PeopleRepository;
  outbox: Outbox;
  timeZone: string;
  holidayOverridesPath: string;
  clock: Clock;
  log: Logger;
}) {
  return async (): Promise<string[]> => {
    const today = dateInZone(deps.clock(), deps.timeZone);
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const thisYearMissing = !deps.calendar.covers(year);
    const nextYearMissing = month >= ASK_FROM_MONTH && !deps.calendar.covers(year + 1);
    if (!deps.calendar.isWorkingDay(today) || (!thisYearMissing && !nextYearMissing)) return [];
    const monday = addDays(today, -((dayOfWeek(today) + 6) % 7));
    if (!thisYearMissing && deps.calendar.nextWorkingDay(monday, true) !== today) return [];

    const missing = [...(thisYearMissing ? [year] : []), ...(nextYearMissing ? [year + 1] : [])];
    deps.log.warn({ missing }, 'holiday data missing');
    const coordinators = await deps.people.coordinatorsOrAdmins();
    const message = cardMessage(holidayDataMissingCard(missing, deps.holidayOverridesPath));
    for (const c of coordinators) await deps.outbox.send('open_id', c.openId, message, idempotencyKey('calendar-missing', missing.join(), today, c.openId));
    return missing.map(String);
  };
}
