import type { BulletinRepository } from '../db/bulletin-repository';
import type { DigestsRepository } from '../db/digests-repository';
import type { EscalationsRepository } from '../db/escalations-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { ProjectsRepository } from '../db/projects-repository';
import { addDays, type IsoDate } from '../domain/calendar-date';
import { lastQuarterEndedBy, periodInstants, type Period } from '../domain/periods';
import type { WorkingCalendar } from '../domain/working-calendar';
import { bulletinCard as buildBulletinCard } from './cards/bulletin-cards';
import { cardMessage, type Card } from './cards/card-kit';
import { idempotencyKey, type Outbox } from './outbox';
import type { StandingsService } from './standings';

/**
 * 一季度一督查一通报: the quarter's ranking, the biggest movers, the projects stalled longest, the
 * projects lost with their reasons, and the summons held. Posted by itself at 09:00 on the first
 * working day after a quarter ends (a holiday moves it), and shown on demand with /通报.
 */
export function createBulletin(deps: {
  standings: StandingsService;
  repo: BulletinRepository;
  escalations: EscalationsRepository;
  projects: ProjectsRepository;
  people: PeopleRepository;
  digests: DigestsRepository;
  calendar: WorkingCalendar;
  outbox: Outbox;
  leadershipChatId: string | null;
  timeZone: string;
}) {
  function bulletinCard(period: Period): Card {
    const { fromMs, toMs } = periodInstants(period, deps.timeZone);
    return buildBulletinCard({
      period,
      rows: deps.standings.compute(period).rows,
      stalled: deps.escalations.open().map((episode) => ({ episode, project: deps.projects.byId(episode.projectId)! })),
      lost: deps.repo.lostBetween(fromMs, toMs),
      summons: deps.repo.summonsBetween(fromMs, toMs),
    });
  }

  return {
    bulletinCard,

    /**
     * Posts last quarter's bulletin if today is the first working day after it ended, once: the
     * delivery is recorded like a digest's. Returns the period posted, if any.
     */
    async postIfDue(today: IsoDate): Promise<Period | undefined> {
      const quarter = lastQuarterEndedBy(today);
      if (deps.calendar.nextWorkingDay(addDays(quarter.to, 1), true) !== today) return undefined;
      const key = `bulletin-${quarter.from}`;
      if (deps.digests.isDelivered(key, today)) return undefined;
      const message = cardMessage(bulletinCard(quarter));
      const uuid = idempotencyKey('bulletin', quarter.from);
      if (deps.leadershipChatId) await deps.outbox.send('chat_id', deps.leadershipChatId, message, uuid);
      else for (const c of deps.people.coordinatorsOrAdmins()) await deps.outbox.send('open_id', c.openId, message, idempotencyKey(uuid, c.openId));
      deps.digests.markDelivered(key, today, 1);
      return quarter;
    },
  };
}

export type Bulletin = ReturnType<typeof createBulletin>;
