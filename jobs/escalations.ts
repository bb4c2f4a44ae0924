import type { Episode, EscalationsRepository } from '../db/escalations-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { Project, ProjectsRepository } from '../db/projects-repository';
import { dateInZone, type IsoDate, instantAt } from '../domain/calendar-date';
import type { Clock } from '../domain/clock';
import { afterNotice, type EscalationLevel, type EscalationRules, type LadderNotice, nextNotice, openLadder } from '../domain/escalation-ladder';
import { causeKey, detectStalls, type StallRules, stallThresholds } from '../domain/stall-rules';
import type { WorkingCalendar } from '../domain/working-calendar';
import type { Logger } from './base/logger';
import type { RecordedSender, Send } from './send/outbox';

/** Who a notice goes to: a person (`user-<open_id>`) or a group chat (`chat-<chat_id>`). */
export type Recipient = string;

export const userRecipient = (openId: string): Recipient => `user-${openId}`;
export const chatRecipient = (chatId: string): Recipient => `chat-${chatId}`;

/** What the bot sends for an episode; the bot side builds the cards. */
export interface EscalationMessenger {
  /** A notice's card as a send, recorded with the notice before it is queued. */
  notice(input: { episode: Episode; project: Project; level: EscalationLevel; notice: LadderNotice; recipient: Recipient; buzz: boolean }): Send;
  resolved(input: { episode: Episode; project: Project; recipient: Recipient; by: string | null; reason: 'activity' | 'cleared' }): Promise<void>;
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
  supervisorsChatId: string | null;
  timeZone: string;
  clock: Clock;
  messenger: EscalationMessenger;
  /** Record, then send (jobs/send/outbox.ts createRecordedSender). */
  sender: Pick<RecordedSender, 'send'>;
  log: Logger;
}) {
  const { repo, calendar, timeZone } = deps;
  const dayOf = (at: Date) => dateInZone(at.getTime(), timeZone);
  const coordinators = () => deps.people.coordinatorsOrAdmins().map((p) => userRecipient(p.openId));

  /** A level with nobody on the roster falls back to the coordinators, so the climb never stops silently. */
  function recipientsFor(level: EscalationLevel, project: Project): Recipient[] {
    switch (level) {
      case 'owner':
        return [userRecipient(project.ownerOpenId)];
      case 'unit_head': {
        const head = project.unitId === null ? undefined : deps.people.unitHead(project.unitId);
        return head ? [userRecipient(head.openId)] : coordinators();
      }
      case 'leader':
        return project.leaderOpenId ? [userRecipient(project.leaderOpenId)] : coordinators();
      case 'supervisors': {
        if (deps.supervisorsChatId) return [chatRecipient(deps.supervisorsChatId)];
        const supervisors = deps.people.withRole('supervisor').map((p) => userRecipient(p.openId));
        return supervisors.length > 0 ? supervisors : coordinators();
      }
    }
  }

  async function tellResolved(episode: Episode, project: Project, by: string | null, reason: 'activity' | 'cleared') {
    for (const recipient of repo.recipients(episode.id)) await deps.messenger.resolved({ episode, project, recipient, by, reason });
  }

  return {
    async scan(): Promise<ScanResult> {
      const today = dateInZone(deps.clock(), timeZone);
      const cutoffs = stallThresholds(today, deps.stallRules, calendar);
      const ids = repo.candidates({
        inactiveBefore: Object.fromEntries(Object.entries(cutoffs.inactiveBefore).map(([stage, day]) => [stage, instantAt(day, '00:00', timeZone)])),
        overdueBefore: cutoffs.overdueBefore,
        today,
      });
      const projects = new Map(repo.projectsById(ids).map((p) => [p.id, p]));
      const milestonesByProject = new Map<number, { id: number; name: string; dueDate: string }[]>();
      for (const m of repo.openMilestonesOf(ids)) {
        const list = milestonesByProject.get(m.projectId) ?? [];
        list.push(m);
        milestonesByProject.set(m.projectId, list);
      }
      const causes = new Map<string, { projectId: number; cause: ReturnType<typeof detectStalls>[number] }>();
      for (const project of projects.values()) {
        const stalls = detectStalls(
          { stage: project.stage, lastActivityDay: dayOf(project.lastActivityAt), reviewDate: project.reviewDate },
          milestonesByProject.get(project.id) ?? [],
          today,
          deps.stallRules,
          calendar,
        );
        for (const cause of stalls) causes.set(`${project.id}|${causeKey(cause)}`, { projectId: project.id, cause });
      }

      let cleared = 0;
      const stillOpen: Episode[] = [];
      const openKeys = new Set<string>();
      for (const episode of repo.open()) {
        const key = `${episode.projectId}|${episode.causeKey}`;
        if (causes.has(key)) {
          stillOpen.push(episode);
          openKeys.add(key);
        } else if (repo.close(episode, 'scan', 'cleared')) {
          cleared++;
          await tellResolved(episode, deps.projects.byId(episode.projectId)!, null, 'cleared');
        }
      }
      const opened = repo.startMany(
        [...causes.entries()]
          .filter(([key]) => !openKeys.has(key))
          .map(([, { projectId, cause }]) => ({ projectId, key: causeKey(cause), cause, state: openLadder(deps.escalationRules) })),
      );

      // Record, then send: the notices, the ladders' new states and the cards commit in one
      // transaction, then the cards are queued. A crash in between leaves them recorded, and the
      // next start (or the day's next scan) queues them; none goes twice, however late.
      const sends: Send[] = [];
      const notices: Parameters<EscalationsRepository['recordNotices']>[0] = [];
      const states: Parameters<EscalationsRepository['recordNotices']>[1] = [];
      for (const episode of [...stillOpen, ...opened]) {
        const notice = nextNotice(episode.state, today, calendar);
        if (!notice) continue;
        const project = projects.get(episode.projectId) ?? deps.projects.byId(episode.projectId)!;
        const step = episode.state.ladder[notice.levelIndex]!;
        for (const recipient of recipientsFor(step.level, project)) {
          notices.push({ episode, ...notice, level: step.level, recipient, day: today });
          sends.push(
            deps.messenger.notice({ episode, project, level: step.level, notice, recipient, buzz: deps.escalationRules.buzzLevels.includes(step.level) }),
          );
        }
        states.push({ episodeId: episode.id, state: afterNotice(episode.state, notice, today) });
      }
      await deps.sender.send(`escalation-${today}`, sends, () => repo.recordNotices(notices, states));
      const result = {
        day: today,
        stalledProjects: new Set([...causes.values()].map((c) => c.projectId)).size,
        opened: opened.length,
        cleared,
        notices: sends.length,
      };
      deps.log.info(result, 'stall scan');
      return result;
    },

    /** Activity on a project ends its alarms, and everyone who was told hears so. */
    async resolveForActivity(projectId: number, actorOpenId: string): Promise<void> {
      for (const episode of repo.openOf(projectId)) {
        if (repo.close(episode, actorOpenId, 'activity')) await tellResolved(episode, deps.projects.byId(projectId)!, actorOpenId, 'activity');
      }
    },
  };
}

export type Escalations = ReturnType<typeof createEscalations>;
