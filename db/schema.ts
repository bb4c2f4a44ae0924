import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { blockerStatuses, blockerTypes } from '../domain/blockers';
import { milestoneKinds, personRoles, projectStages } from '../domain/vocabulary';

// Timestamps come from the injected clock, never from SQLite's, so tests can move time.
const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull();

/** A county department or township (部门 / 镇); both are assessed and ranked. */
export const units = sqliteTable('units', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: ['department', 'township'] }).notNull(),
  /** 分管领导: the county leader in charge of the unit, who hears of its overdue blockers. */
  leaderOpenId: text('leader_open_id'),
  createdAt: createdAt(),
});

/** Everyone the bot knows, keyed by Lark open_id: from the roster, or first seen in a message. */
export const people = sqliteTable(
  'people',
  {
    openId: text('open_id').primaryKey(),
    name: text('name').notNull(),
    unitId: integer('unit_id').references(() => units.id),
    role: text('role', { enum: personRoles }).notNull().default('official'),
    mobile: text('mobile'),
    email: text('email'),
    /** 'roster' once an import named them; 'event' while only seen in messages. */
    source: text('source', { enum: ['roster', 'event'] }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('people_unit_idx').on(t.unitId), index('people_role_idx').on(t.role)],
);

export const projects = sqliteTable(
  'projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().unique(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    investor: text('investor').notNull(),
    /** Normalised investor name, so "某茶业有限公司" and "某茶业公司" find each other. */
    investorKey: text('investor_key').notNull(),
    plannedInvestmentWan: real('planned_investment_wan'),
    industry: text('industry'),
    channel: text('channel'),
    referrer: text('referrer'),
    note: text('note'),
    unitId: integer('unit_id').references(() => units.id),
    ownerOpenId: text('owner_open_id')
      .notNull()
      .references(() => people.openId),
    leaderOpenId: text('leader_open_id').references(() => people.openId),
    stage: text('stage', { enum: projectStages }).notNull().default('lead'),
    /** Why the project is paused or lost (required for those stages). */
    stageReason: text('stage_reason'),
    /** A paused project's date to look again (YYYY-MM-DD, county time). */
    reviewDate: text('review_date'),
    createdBy: text('created_by')
      .notNull()
      .references(() => people.openId),
    sourceChatId: text('source_chat_id'),
    /** The project's own work group (专班) while the bot is in it: its group messages go there, not to the registering group. */
    workChatId: text('work_chat_id'),
    /** What registered it (a message, a form, a confirmed draft): a retry finds the same row. */
    sourceKey: text('source_key').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    lastActivityAt: integer('last_activity_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('projects_year_seq_idx').on(t.year, t.seq),
    index('projects_investor_key_idx').on(t.investorKey),
    index('projects_unit_idx').on(t.unitId),
    index('projects_owner_idx').on(t.ownerOpenId),
    index('projects_leader_idx').on(t.leaderOpenId),
    index('projects_stage_activity_idx').on(t.stage, t.lastActivityAt),
  ],
);

/** Append-only: the evidence for 约谈 and 责任倒查. Rows are never updated or deleted. */
export const projectHistory = sqliteTable(
  'project_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorOpenId: text('actor_open_id').references(() => people.openId),
    action: text('action').notNull(),
    changes: text('changes', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** The request that made this change (`msg-<message_id>`, …): a retried request changes nothing twice. */
    sourceKey: text('source_key'),
  },
  (t) => [
    index('project_history_project_idx').on(t.projectId, t.at),
    uniqueIndex('project_history_source_key_idx').on(t.sourceKey),
    // Standings and bulletins count stage moves, summons and losses by period.
    index('project_history_action_at_idx').on(t.action, t.at),
  ],
);

/** A dated target on a project (关键时间节点): planned due date, and the actual date once met. */
export const milestones = sqliteTable(
  'milestones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    kind: text('kind', { enum: milestoneKinds }).notNull(),
    /** 签约 / 开工 / 投产 / 达产, or the custom name. Unique per project. */
    name: text('name').notNull(),
    /** YYYY-MM-DD in county time. */
    dueDate: text('due_date').notNull(),
    doneDate: text('done_date'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('milestones_project_name_idx').on(t.projectId, t.name),
    // Covers the overdue counts of standings (project_id included, so the table is not read).
    index('milestones_open_due_idx').on(t.doneDate, t.dueDate, t.projectId),
  ],
);

/** One morning digest per recipient per day: recorded once it is queued for sending. */
export const digestDeliveries = sqliteTable(
  'digest_deliveries',
  {
    /** `user-<open_id>` or `chat-<chat_id>`. */
    recipient: text('recipient').notNull(),
    day: text('day').notNull(),
    items: integer('items').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.recipient, t.day] })],
);

/** Sends Lark refused for good (bot not in the group, user outside the app): reported once. */
export const deliveryFailures = sqliteTable(
  'delivery_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `chat_id:<id>`, `open_id:<id>`, `message:<id>`… */
    target: text('target').notNull(),
    code: integer('code').notNull(),
    message: text('message').notNull(),
    firstAt: integer('first_at', { mode: 'timestamp_ms' }).notNull(),
    lastAt: integer('last_at', { mode: 'timestamp_ms' }).notNull(),
    count: integer('count').notNull(),
    reportedAt: integer('reported_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('delivery_failures_target_code_idx').on(t.target, t.code)],
);

/** A /lead the sender must confirm because a similar project exists; buttons refer to its id. */
export const pendingLeads = sqliteTable('pending_leads', {
  id: text('id').primaryKey(),
  draft: text('draft', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  requestedBy: text('requested_by')
    .notNull()
    .references(() => people.openId),
  chatId: text('chat_id'),
  similarProjectId: integer('similar_project_id').references(() => projects.id),
  createdAt: createdAt(),
  /** Set once: 'registered' or 'cancelled'. */
  outcome: text('outcome', { enum: ['registered', 'cancelled'] }),
  resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
});

/** Lark events whose effects are done; a re-pushed event_id is acknowledged and ignored. */
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  eventType: text('event_type').notNull(),
  processedAt: integer('processed_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A stall being escalated (PagerDuty-style): at most one open episode per project and cause. The
 * ladder and where the climb stands live in `state`, copied from the county's rules at opening.
 */
export const escalationEpisodes = sqliteTable(
  'escalation_episodes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    /** `inactive`, `milestone-<id>` or `review`. */
    causeKey: text('cause_key').notNull(),
    cause: text('cause', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by'),
  },
  (t) => [
    uniqueIndex('escalation_episodes_open_idx').on(t.projectId, t.causeKey).where(sql`${t.closedAt} is null`),
    index('escalation_episodes_project_idx').on(t.projectId),
    index('escalation_episodes_opened_idx').on(t.openedAt),
  ],
);

/** Who was told about an episode, at which level and round: the cards whose buttons they may press. */
export const escalationNotices = sqliteTable(
  'escalation_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    episodeId: integer('episode_id')
      .notNull()
      .references(() => escalationEpisodes.id),
    levelIndex: integer('level_index').notNull(),
    level: text('level').notNull(),
    round: integer('round').notNull(),
    /** `user-<open_id>` or `chat-<chat_id>`. */
    recipient: text('recipient').notNull(),
    day: text('day').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('escalation_notices_once_idx').on(t.episodeId, t.levelIndex, t.round, t.recipient)],
);

/** 到位资金: funds in place for a project, as dated entries (万元). */
export const fundsEntries = sqliteTable(
  'funds_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    amountWan: real('amount_wan').notNull(),
    /** YYYY-MM-DD, county time: the day the funds arrived. */
    day: text('day').notNull(),
    actorOpenId: text('actor_open_id').notNull(),
    createdAt: createdAt(),
    sourceKey: text('source_key').notNull().unique(),
  },
  (t) => [index('funds_entries_project_idx').on(t.projectId), index('funds_entries_day_idx').on(t.day)],
);

/** 就业岗位: jobs a project created, as dated entries. */
export const jobEntries = sqliteTable(
  'job_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    jobs: integer('jobs').notNull(),
    day: text('day').notNull(),
    actorOpenId: text('actor_open_id').notNull(),
    createdAt: createdAt(),
    sourceKey: text('source_key').notNull().unique(),
  },
  (t) => [index('job_entries_project_idx').on(t.projectId), index('job_entries_day_idx').on(t.day)],
);

/** The latest due day each daily task (stall scan, calendar check, bulletin) has run for: a missed 09:00 runs late, once. */
export const dailyTaskRuns = sqliteTable('daily_task_runs', {
  task: text('task').primaryKey(),
  dueDay: text('due_day').notNull(),
  ranAt: integer('ran_at', { mode: 'timestamp_ms' }).notNull(),
  /** A run under way, for this due day, since then: a second process leaves it alone until it is done or stale. */
  claimedDueDay: text('claimed_due_day'),
  claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
});

/**
 * Sends recorded in the same transaction as the decision that made them (a digest, a bulletin),
 * until Lark has settled them (sent, or refused for good): queued again after a crash, and never
 * sent twice, however late.
 */
export const recordedSends = sqliteTable(
  'recorded_sends',
  {
    uuid: text('uuid').primaryKey(),
    /** What decided them, e.g. `digest-user-ou_x-2026-12-01`. */
    source: text('source').notNull(),
    /** The outbound job, as queued. */
    job: text('job', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
    settledAt: integer('settled_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('recorded_sends_source_idx').on(t.source), index('recorded_sends_unsettled_idx').on(t.settledAt)],
);

/**
 * 问题 on a project, handled by the responsible unit, and 议定事项 of the joint meeting, tracked
 * the same way (type `decision`). Every step also goes into the project's append-only history.
 */
export const blockers = sqliteTable(
  'blockers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    type: text('type', { enum: blockerTypes }).notNull(),
    /** The county's kind (用电, 投诉…), as named in county.json when raised. */
    kind: text('kind').notNull(),
    complaint: integer('complaint', { mode: 'boolean' }).notNull(),
    description: text('description').notNull(),
    /** 责任单位. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** Who in the unit handles it (承办人), when the head named someone on accepting. */
    handlerOpenId: text('handler_open_id'),
    raisedBy: text('raised_by')
      .notNull()
      .references(() => people.openId),
    raisedAt: integer('raised_at', { mode: 'timestamp_ms' }).notNull(),
    /** YYYY-MM-DD, county time. */
    raisedDay: text('raised_day').notNull(),
    /** 办理时限, YYYY-MM-DD. */
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: blockerStatuses }).notNull(),
    /** A pending 申请延期. */
    extension: text('extension', { mode: 'json' }).$type<{ dueDate: string; reason: string; requestedBy: string }>(),
    /** A commitment's basis (依据) and promised amount (万元), if it has one. */
    basis: text('basis'),
    amountWan: real('amount_wan'),
    /** 办结: what was done; for a complaint also the finding (查处结果) and who checked it. */
    outcome: text('outcome'),
    finding: text('finding'),
    checkedBy: text('checked_by'),
    resolvedDay: text('resolved_day'),
    /** The day it was confirmed solved (or taken on by a newer decision). */
    closedDay: text('closed_day'),
    /** 提交联席会议: someone who may act on it asked for the joint meeting. */
    flaggedBy: text('flagged_by'),
    /** A decision: the meeting that took it, and the agenda item (blocker or earlier decision) it answers. */
    meetingId: integer('meeting_id'),
    answersId: integer('answers_id'),
    /** The chat it was raised in, where its raiser hears back. */
    sourceChatId: text('source_chat_id'),
    sourceKey: text('source_key').notNull().unique(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('blockers_project_idx').on(t.projectId),
    index('blockers_unit_idx').on(t.unitId),
    index('blockers_status_due_idx').on(t.status, t.dueDate),
    index('blockers_answers_idx').on(t.answersId),
  ],
);

/** A joint meeting (联席会议): when and where; its agenda is fixed when it is sent, the working day before. */
export const meetings = sqliteTable('meetings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  day: text('day').notNull(),
  time: text('time').notNull(),
  place: text('place').notNull(),
  scheduledBy: text('scheduled_by')
    .notNull()
    .references(() => people.openId),
  createdAt: createdAt(),
  sourceKey: text('source_key').notNull().unique(),
  /** Set once the agenda was fixed and its cards recorded for sending. */
  agendaAt: integer('agenda_at', { mode: 'timestamp_ms' }),
});

/** The items on a meeting's agenda, in order, and why each is there. */
export const meetingItems = sqliteTable(
  'meeting_items',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => blockers.id),
    position: integer('position').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.blockerId] })],
);

/** 兑现: one dated delivery on a commitment; partial deliveries add up to its amount. */
export const commitmentDeliveries = sqliteTable(
  'commitment_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => blockers.id),
    /** YYYY-MM-DD, county time: the day it was delivered. */
    day: text('day').notNull(),
    amountWan: real('amount_wan'),
    /** What shows it was delivered (凭证). */
    evidence: text('evidence').notNull(),
    actorOpenId: text('actor_open_id').notNull(),
    createdAt: createdAt(),
    sourceKey: text('source_key').notNull().unique(),
  },
  (t) => [index('commitment_deliveries_blocker_idx').on(t.blockerId)],
);

/**
 * 专班: the Lark group of one project. Created once (its uuid fixed by project and generation), then
 * kept in step with the people who carry the project; `removed` once the bot is taken out of it.
 */
export const workGroups = sqliteTable('work_groups', {
  projectId: integer('project_id')
    .primaryKey()
    .references(() => projects.id),
  /** Bumped when a group the bot was removed from is created anew. */
  generation: integer('generation').notNull(),
  chatId: text('chat_id'),
  status: text('status', { enum: ['pending', 'active', 'removed', 'failed'] }).notNull(),
  /** The project card posted and pinned in the group (the send was queued). */
  cardPostedAt: integer('card_posted_at', { mode: 'timestamp_ms' }),
  requestedBy: text('requested_by'),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/** Who the bot added to a work group, or tried to: `refused` when Lark would not (outside the app's availability). */
export const workGroupMembers = sqliteTable(
  'work_group_members',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    openId: text('open_id').notNull(),
    generation: integer('generation').notNull(),
    status: text('status', { enum: ['added', 'refused'] }).notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.generation, t.openId] })],
);
