import type { CommitmentsDue, LostProject, MissedCommitment, PendingDecision, SummonsHeld, UnitBlockers } from '../../db/bulletin-repository';
import type { Episode } from '../../db/escalations-repository';
import type { Project } from '../../db/projects-repository';
import { formatWan } from '../../domain/amount';
import type { Period } from '../../domain/periods';
import { biggestMovers, type StandingChange } from '../../domain/scoring';
import { stallDescription } from '../../domain/stall-rules';
import { type Card, card, clip, hr, markdown, md, mention, withMore } from '../common/card-kit';
import { rankChangeText } from './standings-cards';

/** Each list of the bulletin names this many; the rest are counted, and /台账 has them all. */
export const BULLETIN_TOP = 10;
const TOP = BULLETIN_TOP;
/** 约谈 lists its first attendees; the rest are counted. */
const ATTENDEES_SHOWN = 10;
/** A decision's (or a commitment's) line shows this much of its text; the whole is on its card and in /台账. */
const DECISION_SHOWN = 40;

export interface BulletinInput {
  period: Period;
  rows: StandingChange[];
  /**
   * The projects' stall alarms open longest, oldest first, with their projects (overdue blockers'
   * alarms are the responsible unit's, counted under 落地服务), and how many are open.
   */
  stalled: { longest: { episode: Episode; project: Project }[]; total: number };
  lost: LostProject[];
  summons: SummonsHeld[];
  /** Responsible units with blockers resolved in the quarter or overdue at its end, most overdue first. */
  blockers: UnitBlockers[];
  /** Decisions not carried out at the quarter's end, earliest due first. */
  decisions: PendingDecision[];
  /** Commitments due in the quarter, as they stood at its end. */
  commitments: CommitmentsDue;
}

/** `本期到期承诺 5 项：按期兑现 2 项，逾期兑现 1 项，未兑现 1 项，未到时限 1 项`; the last only while the quarter runs. */
function commitmentSummary(c: CommitmentsDue): string {
  const notYetDue = c.notYetDue > 0 ? `，未到时限 ${c.notYetDue} 项` : '';
  return `本期到期承诺 ${c.due} 项：按期兑现 ${c.onTime} 项，逾期兑现 ${c.late} 项，未兑现 ${c.notKept} 项${notYetDue}`;
}

/** `**ZS-2026-0001** 县工信局：厂房租金前三年全免（时限 2026-09-01，未兑现，累计兑现 40万元 / 120万元）`. */
function missedCommitmentLine(m: MissedCommitment): string {
  const state = m.keptDay === null ? '未兑现' : `${m.keptDay} 逾期兑现`;
  const amount = m.amountWan === null ? '' : `，累计兑现 ${formatWan(m.deliveredWan)} / ${formatWan(m.amountWan)}`;
  return `**${m.code}** ${md(m.unitName)}：${md(clip(m.description, DECISION_SHOWN))}（时限 ${m.dueDate}，${state}${amount}）`;
}

/**
 * 一季度一督查一通报: the quarter's ranking, the biggest movers, the projects stalled longest, the
 * projects lost with their reasons, the summons held, 落地服务 (each responsible unit's blockers
 * resolved and overdue), the decisions not carried out, and 承诺兑现 (the commitments due in the
 * quarter: kept on time, late or not, and those missed). Long texts are cut and long lists
 * counted, so the bulletin is one card whatever the quarter held.
 */
export function bulletinCard(b: BulletinInput): Card {
  const ranking = b.rows.slice(0, TOP).map((r) => `${r.rank}. ${md(r.unitName)} ${r.total} 分（${rankChangeText(r)}）`);
  const movers = biggestMovers(b.rows, 3);
  const moverLines = [
    ...movers.up.map((r) => `⬆️ ${md(r.unitName)} 上升 ${r.rankChange} 名`),
    ...movers.down.map((r) => `⬇️ ${md(r.unitName)} 下降 ${-(r.rankChange ?? 0)} 名`),
  ];
  const stalled = b.stalled.longest
    .slice(0, TOP)
    .map(({ episode, project: p }) => `**${p.code}** ${md(clip(p.name, 30))}：${md(stallDescription(episode.cause))}，负责人 ${mention(p.ownerOpenId)}`);
  const lost = b.lost.slice(0, TOP).map((l) => `**${l.code}** ${md(clip(l.name, 30))}（${md(clip(l.investor, 30))}）：${md(clip(l.reason, 60))}`);
  const summons = b.summons.slice(0, TOP).map((m) => {
    const attendees = m.attendees.slice(0, ATTENDEES_SHOWN).map(mention).join(' ');
    const others = m.attendees.length > ATTENDEES_SHOWN ? ` 等 ${m.attendees.length} 人` : '';
    return `**${m.code}** ${md(clip(m.name, 30))}：${m.when} ${md(clip(m.topic, 60))}，${attendees}${others}`;
  });
  const landing = b.blockers.slice(0, TOP).map((u) => `${md(u.unitName)}：办结 ${u.resolved} 个（按期 ${u.resolvedOnTime} 个），逾期 ${u.overdue} 个`);
  const decisions = b.decisions.slice(0, TOP).map((d) => {
    const state = d.status === 'returned' ? '，已退回待改派' : d.overdue ? '，已逾期' : '';
    return `**${d.code}** ${md(d.unitName)}：${md(clip(d.description, DECISION_SHOWN))}（时限 ${d.dueDate}${state}）`;
  });
  const missed = b.commitments.missed.slice(0, TOP).map(missedCommitmentLine);
  const commitments =
    b.commitments.due === 0 ? [] : [commitmentSummary(b.commitments), ...withMore(missed, b.commitments.missed.length - missed.length, '项承诺（/台账 查看）')];
  const section = (title: string, lines: string[], total: number, what: string, none: string) =>
    markdown(`**${title}**\n${lines.length > 0 ? withMore(lines, total - lines.length, what).join('\n') : none}`);
  return card(`📢 ${b.period.label} 招商引资工作通报`, 'red', [
    section(`考核排名（前 ${TOP}）`, ranking, ranking.length, '', '暂无单位'),
    section('进退最大', moverLines, moverLines.length, '', '名次无变化'),
    hr(),
    section('停滞最久的项目', stalled, b.stalled.total, '个停滞项目（/预警 查看）', '无'),
    section('本期流失项目', lost, b.lost.length, '个流失项目（/台账 查看）', '无'),
    section('本期约谈', summons, b.summons.length, '次约谈（/记录 查看各项目）', '无'),
    hr(),
    section('落地服务', landing, b.blockers.length, '个责任单位（/问题清单 查看）', '本期无办结或逾期问题'),
    section('议定事项未落实', decisions, b.decisions.length, '项议定事项（/台账 查看）', '无'),
    section('承诺兑现', commitments, commitments.length, '', '本期无到期承诺'),
  ]);
}
