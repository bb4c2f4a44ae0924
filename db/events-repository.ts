import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import { asyncify } from './asyncify';
import type { Db } from './client';
import { processedEvents } from './schema';

/** Which Lark events have had their effect: the durable half of event_id dedupe. */
function createEventsRepositorySync({ db, clock }: { db: Db; clock: Clock }) {
  const processed = db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, sql.placeholder('eventId')))
    .prepare();

  return {
    isProcessed(eventId: string): boolean {
      return processed.get({ eventId }) !== undefined;
    },
    markProcessed(eventId: string, eventType: string): void {
      db.insert(processedEvents)
        .values({ eventId, eventType, processedAt: new Date(clock()) })
        .onConflictDoNothing()
        .run();
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
export const createEventsRepository = (a: Parameters<typeof createEventsRepositorySync>[0]) => asyncify(createEventsRepositorySync(a));
