import { pgKit } from './column-kits';
import { defineSchema } from './schema-definition';

/** The PostgreSQL schema; drizzle.pg.config.ts generates db/migrations-pg from it. */
export const {
  units,
  people,
  projects,
  projectHistory,
  milestones,
  digestDeliveries,
  deliveryFailures,
  pendingLeads,
  processedEvents,
  escalationEpisodes,
  escalationNotices,
  fundsEntries,
  jobEntries,
  dailyTaskRuns,
  recordedSends,
  blockers,
  meetings,
  meetingItems,
  commitmentDeliveries,
  workGroups,
  workGroupMembers,
} = defineSchema(pgKit);
