import { eq } from 'drizzle-orm';
import type { Clock } from '../domain/clock';
import type { Store } from './store';

/** Which Lark events have had their effect: the durable half of event_id dedupe. */
export function createEventsRepository({ store, clock }: { store: Store; clock: Clock }) {
  const { processedEvents } = store.tables;
  return {
    async isProcessed(eventId: string): Promise<boolean> {
      const found = await store.db.select({ eventId: processedEvents.eventId }).from(processedEvents).where(eq(processedEvents.eventId, eventId)).limit(1);
      return found.length > 0;
    },
    async markProcessed(eventId: string, eventType: string): Promise<void> {
      await store.db
        .insert(processedEvents)
        .values({ eventId, eventType, processedAt: new Date(clock()) })
        .onConflictDoNothing();
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
