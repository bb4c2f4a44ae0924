import type { BlockersRepository, BlockerView } from '../db/blockers-repository';
import type { Episode, EscalationsRepository } from '../db/escalations-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { Project, ProjectsRepository } from '../db/projects-repository';
import { dateInZone, type IsoDate, instantAt } from '../domain/calendar-date';
import type { Clock } from '../domain/clock';
import {
  afterNotice,
  type EscalationLevel,
  type EscalationRules,
  type LadderNotice,
  type LadderState,
  nextNotice,
  openLadder,
} from '../domain/escalation-ladder';
import { causeKey, detectStalls, isBlockerCauseKey, type StallCause, type StallRules, stallThresholds } from '../domain/stall-rules';
import type { WorkingCalendar } from '../domain/working-calendar';
import type { Logger } from './base/logger';
import { blockerHolders } from './blocker-holders';
import type { RecordedSender, Send } from './send/outbox';

/** Who a notice goes to: a person (`user-<open_id>`) or a group chat (`chat-<chat_id>`). */
export type Recipient = string;

/** Alarms recorded and queued together; bounds a scan's memory. */
const SCAN_CHUNK = 1_000;

export const userRecipient = (openId: string): Recipient => `user-${openId}`;
export const chatRecipient = (chatId: string): Recipient => `chat-${chatId}`;

/** What the bot sends for an episode; the bot side builds the cards. */
export interface EscalationMessenger {
  /** A notice's card as a send, recorded with the notice before it is queued. */
  /** `blockers`: the project's unfinished blockers, which a stall notice names with who holds them. */
  notice(input: {
    episode: Episode;
    project: Project;
    level: EscalationLevel;
    notice: LadderNotice;
    recipient: Recipient;
    buzz: boolean;
    blockers: BlockerView[];
  }): Send;
  resolved(input: { episode: Episode; project: Project; recipient: Recipient; by: string | null; reason: 'activity' | 'cleared' }): Promise<void>;
  /** A new alarm, told to the project's work group (专班) without buttons: the people it names act on their own cards. */
  groupNotice(input: { episode: Episode; project: Project; chatId: string }): Send;
}

export interface ScanResult {
  day: IsoDate;
  stalledProjects: number;
  opened: number;
  cleared: number;
  notices: number;
}

/**
 * Stall detection and the escalation ladder. The daily scan finds stalled projects (SQL cut-offs
 * confirmed by the county's rules), opens one episode per project and cause, clears episodes whose
 * cause went away, and sends each open episode's next notice. Everything is keyed so that a second
 * scan the same day changes nothing: episodes are unique while open, notices unique per level,
 * round and recipient, and sends carry deterministic uuids.
 */
export function createEscalations(deps: {
  repo: EscalationsRepository;
  projects: ProjectsRepository;
  people: PeopleRepository;
  calendar: WorkingCalendar;
  stallRules: StallRules;
  escalationRules: EscalationRules;
  /** The ladder overdue blockers and decisions climb (county.json `blockers.escalation`). */
  blockerEscalationRules: EscalationRules;
  blockers: BlockersRepository;
  supervisorsChatId: string | null;
  timeZone: string;
  clock: Clock;
  messenger: EscalationMessenger;
  /** Record, then send (jobs/send/outbox.ts createRecordedSender). */
  sender: Pick<RecordedSender, 'decideAndSend'>;
  log: Logger;
}) {
  const { repo, calendar, timeZone } = deps;
  const dayOf = (at: Date) => dateInZone(at.getTime(), timeZone);
  const coordinators = async () => (await deps.people.coordinatorsOrAdmins()).map((p) => userRecipient(p.openId));

  /** A level with nobody on the roster falls back to the coordinators, so the climb never stops silently. */
  async function recipientsFor(level: EscalationLevel, project: Project, cause: StallCause, blockers: BlockerView[]): Promise<Recipient[]> {
    const orCoordinators = async (openIds: (string | null | undefined)[]) => {
      const known = [...new Set(openIds.filter((id): id is string => Boolean(id)))];
      return known.length > 0 ? known.map(userRecipient) : await coordinators();
    };
    switch (level) {
      case 'owner':
        return [userRecipient(project.ownerOpenId)];
      case 'unit_head': {
        // A project waiting on a blocker is not only its own unit's to answer for: whoever holds the blocker hears too.
        const head = project.unitId === null ? undefined : (await deps.people.unitHead(project.unitId))?.openId;
        return await orCoordinators([head, ...(await Promise.all(blockers.map((b) => blockerHolders(b, deps.people)))).flat()]);
      }
      case 'leader':
        return project.leaderOpenId ? [userRecipient(project.leaderOpenId)] : await coordinators();
      case 'holder': {
        const blocker = cause.kind === 'blocker_overdue' ? await repoBlocker(cause.blockerId) : undefined;
        return blocker ? (await blockerHolders(blocker, deps.people)).map(userRecipient) : await coordinators();
      }
      case 'leaders': {
        const blocker = cause.kind === 'blocker_overdue' ? await repoBlocker(cause.blockerId) : undefined;
        return await orCoordinators([blocker && (await deps.blockers.unitLeader(blocker.unitId)), project.leaderOpenId]);
      }
      case 'supervisors': {
        if (deps.supervisorsChatId) return [chatRecipient(deps.supervisorsChatId)];
        const supervisors = (await deps.people.withRole('supervisor')).map((p) => userRecipient(p.openId));
        return supervisors.length > 0 ? supervisors : await coordinators();
      }
    }
  }
  const repoBlocker = (id: number) => deps.blockers.byId(id);

  /** Blockers, decisions and commitments still with their unit past the time limit, as causes on their projects. */
  async function overdueBlockers(today: string) {
    return (await deps.blockers.overdue(today)).map((b) => ({
      projectId: b.projectId,
      cause: {
        kind: 'blocker_overdue',
        blockerId: b.id,
        type: b.type,
        blockerKind: b.kind,
        description: b.description,
        unitName: b.unitName,
        dueDate: b.dueDate,
        workingDays: calendar.workingDaysBetween(b.dueDate, today),
      } as const,
    }));
  }

  /** The notice each episode's ladder has due today, to each of its recipients, with the episode's state after it. */
  async function noticesFor(episodes: Episode[], projects: Map<number, Project>, unfinished: Map<number, BlockerView[]>, today: string) {
    const notices: Parameters<EscalationsRepository['recordNotices']>[0] = [];
    const states: Parameters<EscalationsRepository['recordNotices']>[1] = [];
    const sends: Send[] = [];
    for (const episode of episodes) {
      const notice = nextNotice(episode.state, today, calendar);
      if (!notice) continue;
      const project = projects.get(episode.projectId)!;
      const step = episode.state.ladder[notice.levelIndex]!;
      const blocking = isBlockerCauseKey(episode.causeKey) ? [] : (unfinished.get(project.id) ?? []);
      const rules = rulesOf(episode.cause);
      for (const recipient of await recipientsFor(step.level, project, episode.cause, blocking)) {
        notices.push({ episode, ...notice, level: step.level, recipient, day: today });
        sends.push(
          deps.messenger.notice({
            episode,
            project,
            level: step.level,
            notice,
            recipient,
            buzz: rules.buzzLevels.includes(step.level),
            blockers: blocking,
          }),
        );
      }
      states.push({ episodeId: episode.id, state: afterNotice(episode.state, notice, today) });
    }
    return { notices, states, sends };
  }
  type Notices = Awaited<ReturnType<typeof noticesFor>>;

  const rulesOf = (cause: StallCause) => (cause.kind === 'blocker_overdue' ? deps.blockerEscalationRules : deps.escalationRules);

  /** A ladder's state once the notice it has due today (if any) is sent. */
  function afterFirstNotice(state: LadderState, today: IsoDate): LadderState {
    const notice = nextNotice(state, today, calendar);
    return notice ? afterNotice(state, notice, today) : state;
  }

  async function tellResolved(episode: Episode, project: Project, by: string | null, reason: 'activity' | 'cleared') {
    const group = project.workChatId ? [chatRecipient(project.workChatId)] : [];
    for (const recipient of new Set([...(await repo.recipients(episode.id)), ...group]))
      await deps.messenger.resolved({ episode, project, recipient, by, reason });
  }

  return {
    async scan(): Promise<ScanResult> {
      const today = dateInZone(deps.clock(), timeZone);
      const cutoffs = stallThresholds(today, deps.stallRules, calendar);
      const candidates = await repo.candidates({
        inactiveBefore: Object.fromEntries(Object.entries(cutoffs.inactiveBefore).map(([stage, day]) => [stage, instantAt(day, '00:00', timeZone)])),
        overdueBefore: cutoffs.overdueBefore,
        today,
      });
      // Overdue from the first working day past the time limit. Few blockers are late or unfinished
      // at any time: they are read whole, the projects a chunk at a time.
      const lateBlockers = new Map<number, StallCause[]>();
      for (const { projectId, cause } of await overdueBlockers(today)) {
        if (cause.workingDays > 0) lateBlockers.set(projectId, [...(lateBlockers.get(projectId) ?? []), cause]);
      }
      const unfinished = new Map<number, BlockerView[]>();
      for (const b of await deps.blockers.unfinished()) unfinished.set(b.projectId, [...(unfinished.get(b.projectId) ?? []), b]);
      const projectIds = [...new Set([...candidates, ...lateBlockers.keys()])].sort((a, b) => a - b);

      // A chunk of projects at a time: their causes, episodes, notices and cards, so that a first
      // scan over a province where everything is late never holds 100,000 projects or cards in memory.
      // Each chunk's new episodes, notices, ladder states and cards commit together, then the cards are queued
      // (record, then send); a crash between chunks leaves the rest to the task's re-run, and
      // nothing goes twice, however late. Only the keys of the causes found stay to the end.
      const causeKeys = new Set<string>();
      let stalledProjects = 0;
      let opened = 0;
      let sent = 0;
      const chunks = Array.from({ length: Math.ceil(projectIds.length / SCAN_CHUNK) }, (_, i) => projectIds.slice(i * SCAN_CHUNK, (i + 1) * SCAN_CHUNK));

      /** The stall causes a chunk's projects have today, keyed `<project id>|<cause key>`. */
      const causesIn = (projects: Map<number, Project>, openMilestones: { id: number; projectId: number; name: string; dueDate: string }[]) => {
        const milestonesByProject = new Map<number, { id: number; name: string; dueDate: string }[]>();
        for (const m of openMilestones) {
          const ofProject = milestonesByProject.get(m.projectId);
          if (ofProject) ofProject.push(m);
          else milestonesByProject.set(m.projectId, [m]);
        }
        const causes = new Map<string, { projectId: number; cause: StallCause }>();
        for (const project of projects.values()) {
          const stalls = [
            ...(candidates.has(project.id)
              ? detectStalls(
                  { stage: project.stage, lastActivityDay: dayOf(project.lastActivityAt), reviewDate: project.reviewDate },
                  milestonesByProject.get(project.id) ?? [],
                  today,
                  deps.stallRules,
                  calendar,
                )
              : []),
            ...(lateBlockers.get(project.id) ?? []),
          ];
          if (stalls.length > 0) stalledProjects++;
          for (const cause of stalls) causes.set(`${project.id}|${causeKey(cause)}`, { projectId: project.id, cause });
        }
        return causes;
      };

      /** A chunk's new alarms, its notices, ladder states and cards: one transaction. */
      const write = (chunk: number, projects: Map<number, Project>, causes: { projectId: number; cause: StallCause }[], ongoing: Notices) =>
        deps.sender.decideAndSend(`escalation-${today}-${chunk}`, async () => {
          // A new alarm is written with its ladder as it stands after today's first notice, rather
          // than opened and then updated: on a province's first scan, that is thousands of updates fewer.
          const started = await repo.startMany(
            causes.map(({ projectId, cause }) => ({ projectId, key: causeKey(cause), cause, state: afterFirstNotice(openLadder(rulesOf(cause)), today) })),
          );
          opened += started.length;
          // A new alarm is told to the project's work group too, without buttons.
          const groupSends = started.flatMap((episode) => {
            const project = projects.get(episode.projectId)!;
            return project.workChatId ? [deps.messenger.groupNotice({ episode, project, chatId: project.workChatId })] : [];
          });
          // Its notices are decided from the ladder it opened with; the state after them is already written.
          const first = await noticesFor(
            started.map((episode) => ({ ...episode, state: openLadder(rulesOf(episode.cause)) })),
            projects,
            unfinished,
            today,
          );
          await repo.recordNotices([...ongoing.notices, ...first.notices], ongoing.states);
          const sends = [...groupSends, ...ongoing.sends, ...first.sends];
          sent += sends.length;
          return sends;
        });

      // What a chunk reads: its projects, their open milestones and their open episodes. The scan
      // writes none of the next chunk's, so it is read while this one is decided and written (on
      // PostgreSQL, on connections of their own).
      const read = (ids: number[]) => Promise.all([repo.projectsById(ids), repo.openMilestonesOf(ids), repo.openOfProjects(ids)]);
      let reading = chunks[0] && read(chunks[0]);
      // A chunk is written while the next one is read and decided, so the database works while the
      // process does; one write at a time, in chunk order.
      let writing: Promise<void> | undefined;
      try {
        for (let chunk = 0; chunk < chunks.length; chunk++) {
          const [projectRows, openMilestones, openEpisodes] = await reading!;
          reading = chunks[chunk + 1] && read(chunks[chunk + 1]!);
          // Awaited next time round; should this chunk fail first, its failure is not left unhandled.
          reading?.catch(() => {});
          const projects = new Map(projectRows.map((p) => [p.id, p]));
          const causes = causesIn(projects, openMilestones);
          for (const key of causes.keys()) causeKeys.add(key);
          const stillOpen = openEpisodes.filter((episode) => causes.delete(`${episode.projectId}|${episode.causeKey}`));
          // The notices due on alarms already open are decided before the write lock is taken.
          const ongoing = await noticesFor(stillOpen, projects, unfinished, today);
          if (causes.size === 0 && ongoing.states.length === 0) continue;
          await writing;
          writing = write(chunk, projects, [...causes.values()], ongoing);
          // Awaited before the next write; should the scan fail first, its failure is not left unhandled.
          writing.catch(() => {});
        }
      } catch (err) {
        // The write under way ends before the scan reports its failure, so a re-run never overlaps it.
        await writing?.catch(() => {});
        throw err;
      }
      await writing;

      // Every open episode whose cause went away is closed, and everyone told hears so.
      let cleared = 0;
      for await (const episode of repo.openEpisodesWithout(causeKeys)) {
        if (await repo.close(episode, 'scan', 'cleared')) {
          cleared++;
          await tellResolved(episode, (await deps.projects.byId(episode.projectId))!, null, 'cleared');
        }
      }
      const result = { day: today, stalledProjects, opened, cleared, notices: sent };
      deps.log.info(result, 'stall scan');
      return result;
    },

    /** Activity on a project ends its stall alarms, and everyone who was told hears so; an overdue blocker's alarm waits for the blocker. */
    async resolveForActivity(projectId: number, actorOpenId: string): Promise<void> {
      for (const episode of await repo.openOf(projectId)) {
        if (isBlockerCauseKey(episode.causeKey)) continue;
        if (await repo.close(episode, actorOpenId, 'activity')) await tellResolved(episode, (await deps.projects.byId(projectId))!, actorOpenId, 'activity');
      }
    },

    /** A blocker done, sent back or given more time: its overdue alarm ends, and everyone told hears so. */
    async settleBlocker(blockerId: number, actorOpenId: string): Promise<void> {
      const blocker = await deps.blockers.byId(blockerId);
      const episode = blocker && (await repo.openOf(blocker.projectId)).find((e) => e.causeKey === `blocker-${blockerId}`);
      if (episode && (await repo.close(episode, actorOpenId, 'activity')))
        await tellResolved(episode, (await deps.projects.byId(episode.projectId))!, actorOpenId, 'activity');
    },
  };
}

export type Escalations = ReturnType<typeof createEscalations>;
