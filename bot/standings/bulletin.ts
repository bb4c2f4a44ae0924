import type { BulletinRepository } from '../../db/bulletin-repository';
import type { DigestsRepository } from '../../db/digests-repository';
import type { EscalationsRepository } from '../../db/escalations-repository';
import type { PeopleRepository } from '../../db/people-repository';
import type { ProjectsRepository } from '../../db/projects-repository';
import { addDays, compareDates, type IsoDate } from '../../domain/calendar-date';
import { lastQuarterEndedBy, type Period, periodAsOf, periodInstants } from '../../domain/periods';
import type { WorkingCalendar } from '../../domain/working-calendar';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type RecordedSender, type Send } from '../../jobs/send/outbox';
import type { Card } from '../common/card-kit';
import { BULLETIN_TOP, bulletinCard as buildBulletinCard } from './bulletin-cards';
import type { StandingsService } from './standings';

/**
 * 一季度一督查一通报: the quarter's ranking, the biggest movers, the projects stalled longest, the
 * projects lost with their reasons, the summons held, each responsible unit's blockers resolved and
 * overdue, the decisions not carried out, and the commitments due in the quarter (kept on time,
 * late or not). Due at 09:00 on the first working day
 * after a quarter ends (a holiday moves it) and posted at the first chance from then on, once per
 * quarter whatever restarts happen; shown on demand with /通报.
 */
export function createBulletin(deps: {
  standings: StandingsService;
  repo: BulletinRepository;
  escalations: EscalationsRepository;
  projects: ProjectsRepository;
  people: PeopleRepository;
  digests: DigestsRepository;
  calendar: WorkingCalendar;
  sender: RecordedSender;
  leadershipChatId: string | null;
  timeZone: string;
}) {
  /** A province may have 100,000 alarms open: the card names the longest-open few and counts the rest. */
  async function longestStalled() {
    const { longest, total } = await deps.escalations.longestStalled(BULLETIN_TOP);
    const withProjects = [];
    for (const episode of longest) withProjects.push({ episode, project: (await deps.projects.byId(episode.projectId))! });
    return { longest: withProjects, total };
  }

  async function bulletinCard(period: Period): Promise<Card> {
    const { fromMs, toMs } = periodInstants(period, deps.timeZone);
    // As the standings count: at the quarter's end, or today while it runs.
    const asOf = periodAsOf(period, deps.standings.today());
    return buildBulletinCard({
      period,
      rows: (await deps.standings.compute(period)).rows,
      stalled: await longestStalled(),
      lost: await deps.repo.lostBetween(fromMs, toMs),
      summons: await deps.repo.summonsBetween(fromMs, toMs),
      blockers: await deps.repo.blockersByUnit(period.from, period.to, asOf),
      decisions: await deps.repo.pendingDecisions(asOf),
      commitments: await deps.repo.commitmentsDue(period.from, period.to, asOf),
    });
  }

  return {
    bulletinCard,

    /**
     * Posts last quarter's bulletin once it is due and not yet posted: recorded like a digest, with
     * its sends, before anything is queued. Returns the period posted, if any.
     */
    async postIfDue(today: IsoDate): Promise<Period | undefined> {
      const quarter = lastQuarterEndedBy(today);
      if (compareDates(today, deps.calendar.nextWorkingDay(addDays(quarter.to, 1), true)) < 0) return undefined;
      const key = `bulletin-${quarter.from}`;
      if (await deps.digests.everDelivered(key)) return void (await deps.sender.flush(key));
      const message = cardMessage(await bulletinCard(quarter));
      const uuid = idempotencyKey('bulletin', quarter.from);
      const sends: Send[] = deps.leadershipChatId
        ? [{ receiveIdType: 'chat_id', receiveId: deps.leadershipChatId, message, uuid }]
        : (await deps.people.coordinatorsOrAdmins()).map((c) => ({
            receiveIdType: 'open_id',
            receiveId: c.openId,
            message,
            uuid: idempotencyKey(uuid, c.openId),
          }));
      await deps.sender.send(key, sends, () => deps.digests.markDelivered(key, today, 1));
      return quarter;
    },
  };
}

export type Bulletin = ReturnType<typeof createBulletin>;
