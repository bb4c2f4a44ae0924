import { sqliteKit } from './column-kits';
import { defineSchema } from './schema-definition';

/** The SQLite schema (the default database); drizzle.config.ts generates db/migrations from it. */
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
} = defineSchema(sqliteKit);
