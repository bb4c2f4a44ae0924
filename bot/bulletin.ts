import type { BulletinRepository } from '../db/bulletin-repository';
import type { DigestsRepository } from '../db/digests-repository';
import type { EscalationsRepository } from '../db/escalations-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { ProjectsRepository } from '../db/projects-repository';
import { addDays, type IsoDate } from '../domain/calendar-date';
import { lastQuarterEndedBy, periodInstants, type Period } from '../domain/periods';
import { biggestMovers } from '../domain/scoring';
import { stallDescription } from '../domain/stall-rules';
import type { WorkingCalendar } from '../domain/working-calendar';
import { card, cardMessage, hr, markdown, md, mention, type Card } from './cards/card-kit';
import { rankChangeText } from './cards/standings-cards';
import { idempotencyKey, type Outbox } from './outbox';
import type { StandingsService } from './standings';

const TOP = 10;

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
    const s = deps.standings.compute(period);
    const { fromMs, toMs } = periodInstants(period, deps.timeZone);
    const ranking = s.rows.slice(0, TOP).map((r) => `${r.rank}. ${md(r.unitName)} ${r.total} 分（${rankChangeText(r)}）`);
    const movers = biggestMovers(s.rows, 3);
    const moverLines = [
      ...movers.up.map((r) => `⬆️ ${md(r.unitName)} 上升 ${r.rankChange} 名`),
      ...movers.down.map((r) => `⬇️ ${md(r.unitName)} 下降 ${-(r.rankChange ?? 0)} 名`),
    ];
    const stalled = deps.escalations.open().slice(0, TOP).map((e) => {
      const p = deps.projects.byId(e.projectId)!;
      return `**${p.code}** ${md(p.name)}：${stallDescription(e.cause)}，负责人 ${mention(p.ownerOpenId)}`;
    });
    const lost = deps.repo.lostBetween(fromMs, toMs).map((l) => `**${l.code}** ${md(l.name)}（${md(l.investor)}）：${md(l.reason)}`);
    const summons = deps.repo.summonsBetween(fromMs, toMs).map((m) => `**${m.code}** ${md(m.name)}：${m.when} ${md(m.topic)}，${m.attendees.map(mention).join(' ')}`);
    const section = (title: string, lines: string[], none: string) => markdown(`**${title}**\n${lines.length > 0 ? lines.join('\n') : none}`);
    return card(`📢 ${period.label} 招商引资工作通报`, 'red', [
      section(`考核排名（前 ${TOP}）`, ranking, '暂无单位'),
      section('进退最大', moverLines, '名次无变化'),
      hr(),
      section('停滞最久的项目', stalled, '无'),
      section('本期流失项目', lost, '无'),
      section('本期约谈', summons, '无'),
    ]);
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
