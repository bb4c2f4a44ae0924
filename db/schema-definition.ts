import { sql } from 'drizzle-orm';
import { blockerStatuses, blockerTypes } from '../domain/blockers';
import { milestoneKinds, personRoles, projectStages } from '../domain/vocabulary';
import type { ColumnKit } from './column-kits';

/**
 * Every table, written once and built with one dialect's kit: db/schema.ts (SQLite) and
 * db/schema-pg.ts (PostgreSQL). Changing a table here changes both, so generate migrations for both.
 */
export function defineSchema(kit: ColumnKit) {
  // Timestamps come from the injected clock, never from the database's, so tests can move time.
  const createdAt = () => kit.timestamp('created_at').notNull();

  /** A county department or township (部门 / 镇); both are assessed and ranked. */
  const units = kit.table('units', {
    id: kit.id('id'),
    name: kit.text('name').notNull().unique(),
    kind: kit.text('kind', { enum: ['department', 'township'] }).notNull(),
    /** 分管领导: the county leader in charge of the unit, who hears of its overdue blockers. */
    leaderOpenId: kit.text('leader_open_id'),
    createdAt: createdAt(),
  });

  /** Everyone the bot knows, keyed by Lark open_id: from the roster, or first seen in a message. */
  const people = kit.table(
    'people',
    {
      openId: kit.text('open_id').primaryKey(),
      name: kit.text('name').notNull(),
      unitId: kit.integer('unit_id').references(() => units.id),
      role: kit.text('role', { enum: personRoles }).notNull().default('official'),
      mobile: kit.text('mobile'),
      email: kit.text('email'),
      /** 'roster' once an import named them; 'event' while only seen in messages. */
      source: kit.text('source', { enum: ['roster', 'event'] }).notNull(),
      createdAt: createdAt(),
      updatedAt: kit.timestamp('updated_at').notNull(),
    },
    (t) => [kit.index('people_unit_idx').on(t.unitId), kit.index('people_role_idx').on(t.role)],
  );

  const projects = kit.table(
    'projects',
    {
      id: kit.id('id'),
      code: kit.text('code').notNull().unique(),
      year: kit.integer('year').notNull(),
      seq: kit.integer('seq').notNull(),
      name: kit.text('name').notNull(),
      investor: kit.text('investor').notNull(),
      /** Normalised investor name, so "某茶业有限公司" and "某茶业公司" find each other. */
      investorKey: kit.text('investor_key').notNull(),
      plannedInvestmentWan: kit.real('planned_investment_wan'),
      industry: kit.text('industry'),
      channel: kit.text('channel'),
      referrer: kit.text('referrer'),
      note: kit.text('note'),
      unitId: kit.integer('unit_id').references(() => units.id),
      ownerOpenId: kit
        .text('owner_open_id')
        .notNull()
        .references(() => people.openId),
      leaderOpenId: kit.text('leader_open_id').references(() => people.openId),
      stage: kit.text('stage', { enum: projectStages }).notNull().default('lead'),
      /** Why the project is paused or lost (required for those stages). */
      stageReason: kit.text('stage_reason'),
      /** A paused project's date to look again (YYYY-MM-DD, county time). */
      reviewDate: kit.text('review_date'),
      createdBy: kit
        .text('created_by')
        .notNull()
        .references(() => people.openId),
      sourceChatId: kit.text('source_chat_id'),
      /** The project's own work group (专班) while the bot is in it: its group messages go there, not to the registering group. */
      workChatId: kit.text('work_chat_id'),
      /** What registered it (a message, a form, a confirmed draft): a retry finds the same row. */
      sourceKey: kit.text('source_key').notNull().unique(),
      createdAt: createdAt(),
      updatedAt: kit.timestamp('updated_at').notNull(),
      lastActivityAt: kit.timestamp('last_activity_at').notNull(),
    },
    (t) => [
      kit.uniqueIndex('projects_year_seq_idx').on(t.year, t.seq),
      kit.index('projects_investor_key_idx').on(t.investorKey),
      kit.index('projects_unit_idx').on(t.unitId),
      kit.index('projects_owner_idx').on(t.ownerOpenId),
      kit.index('projects_leader_idx').on(t.leaderOpenId),
      kit.index('projects_stage_activity_idx').on(t.stage, t.lastActivityAt),
    ],
  );

  /** Append-only: the evidence for 约谈 and 责任倒查. Rows are never updated or deleted. */
  const projectHistory = kit.table(
    'project_history',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      at: kit.timestamp('at').notNull(),
      actorOpenId: kit.text('actor_open_id').references(() => people.openId),
      action: kit.text('action').notNull(),
      changes: kit.json('changes').$type<Record<string, unknown>>().notNull(),
      /** The request that made this change (`msg-<message_id>`, …): a retried request changes nothing twice. */
      sourceKey: kit.text('source_key'),
    },
    (t) => [
      kit.index('project_history_project_idx').on(t.projectId, t.at),
      kit.uniqueIndex('project_history_source_key_idx').on(t.sourceKey),
      // Standings and bulletins count stage moves, summons and losses by period.
      kit.index('project_history_action_at_idx').on(t.action, t.at),
    ],
  );

  /** A dated target on a project (关键时间节点): planned due date, and the actual date once met. */
  const milestones = kit.table(
    'milestones',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      kind: kit.text('kind', { enum: milestoneKinds }).notNull(),
      /** 签约 / 开工 / 投产 / 达产, or the custom name. Unique per project. */
      name: kit.text('name').notNull(),
      /** YYYY-MM-DD in county time. */
      dueDate: kit.text('due_date').notNull(),
      doneDate: kit.text('done_date'),
      createdAt: createdAt(),
      updatedAt: kit.timestamp('updated_at').notNull(),
    },
    (t) => [
      kit.uniqueIndex('milestones_project_name_idx').on(t.projectId, t.name),
      // Covers the overdue counts of standings (project_id included, so the table is not read).
      kit.index('milestones_open_due_idx').on(t.doneDate, t.dueDate, t.projectId),
    ],
  );

  /** One morning digest per recipient per day: recorded once it is queued for sending. */
  const digestDeliveries = kit.table(
    'digest_deliveries',
    {
      /** `user-<open_id>` or `chat-<chat_id>`. */
      recipient: kit.text('recipient').notNull(),
      day: kit.text('day').notNull(),
      items: kit.integer('items').notNull(),
      sentAt: kit.timestamp('sent_at').notNull(),
    },
    (t) => [kit.primaryKey({ columns: [t.recipient, t.day] })],
  );

  /** Sends Lark refused for good (bot not in the group, user outside the app): reported once. */
  const deliveryFailures = kit.table(
    'delivery_failures',
    {
      id: kit.id('id'),
      /** `chat_id:<id>`, `open_id:<id>`, `message:<id>`… */
      target: kit.text('target').notNull(),
      code: kit.integer('code').notNull(),
      message: kit.text('message').notNull(),
      firstAt: kit.timestamp('first_at').notNull(),
      lastAt: kit.timestamp('last_at').notNull(),
      count: kit.integer('count').notNull(),
      reportedAt: kit.timestamp('reported_at'),
    },
    (t) => [kit.uniqueIndex('delivery_failures_target_code_idx').on(t.target, t.code)],
  );

  /** A /lead the sender must confirm because a similar project exists; buttons refer to its id. */
  const pendingLeads = kit.table('pending_leads', {
    id: kit.text('id').primaryKey(),
    draft: kit.json('draft').$type<Record<string, unknown>>().notNull(),
    requestedBy: kit
      .text('requested_by')
      .notNull()
      .references(() => people.openId),
    chatId: kit.text('chat_id'),
    similarProjectId: kit.integer('similar_project_id').references(() => projects.id),
    createdAt: createdAt(),
    /** Set once: 'registered' or 'cancelled'. */
    outcome: kit.text('outcome', { enum: ['registered', 'cancelled'] }),
    resolvedAt: kit.timestamp('resolved_at'),
  });

  /** Lark events whose effects are done; a re-pushed event_id is acknowledged and ignored. */
  const processedEvents = kit.table('processed_events', {
    eventId: kit.text('event_id').primaryKey(),
    eventType: kit.text('event_type').notNull(),
    processedAt: kit.timestamp('processed_at').notNull(),
  });

  /**
   * A stall being escalated (PagerDuty-style): at most one open episode per project and cause. The
   * ladder and where the climb stands live in `state`, copied from the county's rules at opening.
   */
  const escalationEpisodes = kit.table(
    'escalation_episodes',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      /** `inactive`, `milestone-<id>` or `review`. */
      causeKey: kit.text('cause_key').notNull(),
      cause: kit.json('cause').$type<Record<string, unknown>>().notNull(),
      state: kit.json('state').$type<Record<string, unknown>>().notNull(),
      openedAt: kit.timestamp('opened_at').notNull(),
      closedAt: kit.timestamp('closed_at'),
      closedBy: kit.text('closed_by'),
    },
    (t) => [
      kit.uniqueIndex('escalation_episodes_open_idx').on(t.projectId, t.causeKey).where(sql`${t.closedAt} is null`),
      kit.index('escalation_episodes_project_idx').on(t.projectId),
      kit.index('escalation_episodes_opened_idx').on(t.openedAt),
    ],
  );

  /** Who was told about an episode, at which level and round: the cards whose buttons they may press. */
  const escalationNotices = kit.table(
    'escalation_notices',
    {
      id: kit.id('id'),
      episodeId: kit
        .integer('episode_id')
        .notNull()
        .references(() => escalationEpisodes.id),
      levelIndex: kit.integer('level_index').notNull(),
      level: kit.text('level').notNull(),
      round: kit.integer('round').notNull(),
      /** `user-<open_id>` or `chat-<chat_id>`. */
      recipient: kit.text('recipient').notNull(),
      day: kit.text('day').notNull(),
      sentAt: kit.timestamp('sent_at').notNull(),
    },
    (t) => [kit.uniqueIndex('escalation_notices_once_idx').on(t.episodeId, t.levelIndex, t.round, t.recipient)],
  );

  /** 到位资金: funds in place for a project, as dated entries (万元). */
  const fundsEntries = kit.table(
    'funds_entries',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      amountWan: kit.real('amount_wan').notNull(),
      /** YYYY-MM-DD, county time: the day the funds arrived. */
      day: kit.text('day').notNull(),
      actorOpenId: kit.text('actor_open_id').notNull(),
      createdAt: createdAt(),
      sourceKey: kit.text('source_key').notNull().unique(),
    },
    (t) => [kit.index('funds_entries_project_idx').on(t.projectId), kit.index('funds_entries_day_idx').on(t.day)],
  );

  /** 就业岗位: jobs a project created, as dated entries. */
  const jobEntries = kit.table(
    'job_entries',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      jobs: kit.integer('jobs').notNull(),
      day: kit.text('day').notNull(),
      actorOpenId: kit.text('actor_open_id').notNull(),
      createdAt: createdAt(),
      sourceKey: kit.text('source_key').notNull().unique(),
    },
    (t) => [kit.index('job_entries_project_idx').on(t.projectId), kit.index('job_entries_day_idx').on(t.day)],
  );

  /** The latest due day each daily task (stall scan, calendar check, bulletin) has run for: a missed 09:00 runs late, once. */
  const dailyTaskRuns = kit.table('daily_task_runs', {
    task: kit.text('task').primaryKey(),
    dueDay: kit.text('due_day').notNull(),
    ranAt: kit.timestamp('ran_at').notNull(),
    /** A run under way, for this due day, since then: a second process leaves it alone until it is done or stale. */
    claimedDueDay: kit.text('claimed_due_day'),
    claimedAt: kit.timestamp('claimed_at'),
  });

  /**
   * Sends recorded in the same transaction as the decision that made them (a digest, a bulletin),
   * until Lark has settled them (sent, or refused for good): queued again after a crash, and never
   * sent twice, however late.
   */
  const recordedSends = kit.table(
    'recorded_sends',
    {
      uuid: kit.text('uuid').primaryKey(),
      /** What decided them, e.g. `digest-user-ou_x-2026-12-01`. */
      source: kit.text('source').notNull(),
      /** The outbound job, as queued. */
      job: kit.opaqueJson('job').$type<Record<string, unknown>>().notNull(),
      recordedAt: kit.timestamp('recorded_at').notNull(),
      settledAt: kit.timestamp('settled_at'),
    },
    (t) => [kit.index('recorded_sends_source_idx').on(t.source), kit.index('recorded_sends_unsettled_idx').on(t.settledAt)],
  );

  /**
   * 问题 on a project, handled by the responsible unit, and 议定事项 of the joint meeting, tracked
   * the same way (type `decision`). Every step also goes into the project's append-only history.
   */
  const blockers = kit.table(
    'blockers',
    {
      id: kit.id('id'),
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      type: kit.text('type', { enum: blockerTypes }).notNull(),
      /** The county's kind (用电, 投诉…), as named in county.json when raised. */
      kind: kit.text('kind').notNull(),
      complaint: kit.boolean('complaint').notNull(),
      description: kit.text('description').notNull(),
      /** 责任单位. */
      unitId: kit
        .integer('unit_id')
        .notNull()
        .references(() => units.id),
      /** Who in the unit handles it (承办人), when the head named someone on accepting. */
      handlerOpenId: kit.text('handler_open_id'),
      raisedBy: kit
        .text('raised_by')
        .notNull()
        .references(() => people.openId),
      raisedAt: kit.timestamp('raised_at').notNull(),
      /** YYYY-MM-DD, county time. */
      raisedDay: kit.text('raised_day').notNull(),
      /** 办理时限, YYYY-MM-DD. */
      dueDate: kit.text('due_date').notNull(),
      status: kit.text('status', { enum: blockerStatuses }).notNull(),
      /** A pending 申请延期. */
      extension: kit.json('extension').$type<{ dueDate: string; reason: string; requestedBy: string }>(),
      /** A commitment's basis (依据) and promised amount (万元), if it has one. */
      basis: kit.text('basis'),
      amountWan: kit.real('amount_wan'),
      /** 办结: what was done; for a complaint also the finding (查处结果) and who checked it. */
      outcome: kit.text('outcome'),
      finding: kit.text('finding'),
      checkedBy: kit.text('checked_by'),
      resolvedDay: kit.text('resolved_day'),
      /** The day it was confirmed solved (or taken on by a newer decision). */
      closedDay: kit.text('closed_day'),
      /** 提交联席会议: someone who may act on it asked for the joint meeting. */
      flaggedBy: kit.text('flagged_by'),
      /** A decision: the meeting that took it, and the agenda item (blocker or earlier decision) it answers. */
      meetingId: kit.integer('meeting_id'),
      answersId: kit.integer('answers_id'),
      /** The chat it was raised in, where its raiser hears back. */
      sourceChatId: kit.text('source_chat_id'),
      sourceKey: kit.text('source_key').notNull().unique(),
      updatedAt: kit.timestamp('updated_at').notNull(),
    },
    (t) => [
      kit.index('blockers_project_idx').on(t.projectId),
      kit.index('blockers_unit_idx').on(t.unitId),
      kit.index('blockers_status_due_idx').on(t.status, t.dueDate),
      kit.index('blockers_answers_idx').on(t.answersId),
    ],
  );

  /** A joint meeting (联席会议): when and where; its agenda is fixed when it is sent, the working day before. */
  const meetings = kit.table('meetings', {
    id: kit.id('id'),
    day: kit.text('day').notNull(),
    time: kit.text('time').notNull(),
    place: kit.text('place').notNull(),
    scheduledBy: kit
      .text('scheduled_by')
      .notNull()
      .references(() => people.openId),
    createdAt: createdAt(),
    sourceKey: kit.text('source_key').notNull().unique(),
    /** Set once the agenda was fixed and its cards recorded for sending. */
    agendaAt: kit.timestamp('agenda_at'),
  });

  /** The items on a meeting's agenda, in order, and why each is there. */
  const meetingItems = kit.table(
    'meeting_items',
    {
      meetingId: kit
        .integer('meeting_id')
        .notNull()
        .references(() => meetings.id),
      blockerId: kit
        .integer('blocker_id')
        .notNull()
        .references(() => blockers.id),
      position: kit.integer('position').notNull(),
      reason: kit.text('reason').notNull(),
    },
    (t) => [kit.primaryKey({ columns: [t.meetingId, t.blockerId] })],
  );

  /** 兑现: one dated delivery on a commitment; partial deliveries add up to its amount. */
  const commitmentDeliveries = kit.table(
    'commitment_deliveries',
    {
      id: kit.id('id'),
      blockerId: kit
        .integer('blocker_id')
        .notNull()
        .references(() => blockers.id),
      /** YYYY-MM-DD, county time: the day it was delivered. */
      day: kit.text('day').notNull(),
      amountWan: kit.real('amount_wan'),
      /** What shows it was delivered (凭证). */
      evidence: kit.text('evidence').notNull(),
      actorOpenId: kit.text('actor_open_id').notNull(),
      createdAt: createdAt(),
      sourceKey: kit.text('source_key').notNull().unique(),
    },
    (t) => [kit.index('commitment_deliveries_blocker_idx').on(t.blockerId)],
  );

  /**
   * 专班: the Lark group of one project. Created once (its uuid fixed by project and generation), then
   * kept in step with the people who carry the project; `removed` once the bot is taken out of it.
   */
  const workGroups = kit.table('work_groups', {
    projectId: kit
      .integer('project_id')
      .primaryKey()
      .references(() => projects.id),
    /** Bumped when a group the bot was removed from is created anew. */
    generation: kit.integer('generation').notNull(),
    chatId: kit.text('chat_id'),
    status: kit.text('status', { enum: ['pending', 'active', 'removed', 'failed'] }).notNull(),
    /** The project card posted and pinned in the group (the send was queued). */
    cardPostedAt: kit.timestamp('card_posted_at'),
    requestedBy: kit.text('requested_by'),
    createdAt: createdAt(),
    updatedAt: kit.timestamp('updated_at').notNull(),
  });

  /** Who the bot added to a work group, or tried to: `refused` when Lark would not (outside the app's availability). */
  const workGroupMembers = kit.table(
    'work_group_members',
    {
      projectId: kit
        .integer('project_id')
        .notNull()
        .references(() => projects.id),
      openId: kit.text('open_id').notNull(),
      generation: kit.integer('generation').notNull(),
      status: kit.text('status', { enum: ['added', 'refused'] }).notNull(),
      at: kit.timestamp('at').notNull(),
    },
    (t) => [kit.primaryKey({ columns: [t.projectId, t.generation, t.openId] })],
  );

  return {
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
  };
}
