import type { BlockerView } from '../../db/blockers-repository';
import type { Episode } from '../../db/escalations-repository';
import type { Project } from '../../db/projects-repository';
import { statusName } from '../../domain/blockers';
import { addDays, type IsoDate } from '../../domain/calendar-date';
import { type EscalationLevel, levelName } from '../../domain/escalation-ladder';
import type { PickerPeople } from '../../domain/pickers';
import { stageName } from '../../domain/stages';
import { overdueNoun, stallDescription } from '../../domain/stall-rules';
import { blockerNoun } from '../blockers/blocker-cards';
import {
  button,
  buttonRow,
  type Card,
  type CardElement,
  card,
  clip,
  fitLines,
  form,
  formDate,
  formInput,
  formPerson,
  markdown,
  md,
  mention,
  pickerLeftNote,
  withMore,
} from '../common/card-kit';

/** The ids every escalation button carries: the handler re-checks them against the notices sent. */
export interface NoticeRef {
  episode: string;
  level: string;
  round: string;
}

export const noticeRef = (episode: Episode, levelIndex: number, round: number): NoticeRef => ({
  episode: String(episode.id),
  level: String(levelIndex),
  round: String(round),
});

function projectLines(p: Project): string {
  return [
    `**${p.code}** ${md(p.name)}（${stageName(p.stage)}）`,
    `投资方：${md(p.investor)}`,
    `负责人：${mention(p.ownerOpenId)}${p.leaderOpenId ? `　包抓领导：${mention(p.leaderOpenId)}` : ''}`,
  ].join('\n');
}

/**
 * `/预警`: the open alarms one may see, oldest first, as many as a card holds, and how many more;
 * `resent` of them follow as fresh notices the asker can act on.
 */
export function stalledListCard(alarms: { episode: Episode; project: Project }[], timeZone: string, resent = 0): Card {
  const lines = alarms.map(({ episode, project }) => {
    const step = episode.state.ladder[episode.state.levelIndex];
    const told = step ? `已通知${levelName(step.level)}` : '待通知';
    const since = new Intl.DateTimeFormat('sv-SE', { timeZone }).format(episode.openedAt);
    return `**${project.code}** ${md(clip(project.name, 40))} · ${md(stallDescription(episode.cause))} · ${told} · 自 ${since}`;
  });
  const { shown, left } = fitLines(lines);
  const fresh = resent > 0 ? [markdown(`其中 ${resent} 条是通知过您的预警，下面重新发出可操作的卡片。`)] : [];
  return card(`🚨 停滞预警（${alarms.length}）`, 'red', [markdown(withMore(shown, left, '条预警').join('\n')), ...fresh]);
}

/** A project's blockers in a stall notice hold this much of the card; the rest are counted. */
const BLOCKER_LINES_BYTES = 8 * 1024;

/** The unfinished blockers a stall waits on, with who holds each. */
function waitingOn(blockers: BlockerView[]): CardElement[] {
  if (blockers.length === 0) return [];
  const lines = blockers.map(
    (b) =>
      `- ${blockerNoun(b)}·${md(b.kind)}：${md(clip(b.description, 60))} · ${md(b.unitName)}${b.handlerOpenId ? ` ${mention(b.handlerOpenId)}` : ''} · ${statusName(b.status)} · 时限 ${b.dueDate}`,
  );
  const { shown, left } = fitLines(lines, BLOCKER_LINES_BYTES);
  return [markdown(`**项目在等待以下问题解决**（不全是负责人的责任）\n${withMore(shown, left, '项（/问题清单 查看）').join('\n')}`)];
}

/**
 * A stall notice for one level, with the actions that level may take. A stall's notice names the
 * blockers the project waits on; an overdue blocker's notice says what is overdue and where.
 */
export function escalationNoticeCard(input: {
  project: Project;
  episode: Episode;
  level: EscalationLevel;
  levelIndex: number;
  round: number;
  blockers: BlockerView[];
}): Card {
  const { project, episode, level, levelIndex, round } = input;
  const cause = episode.cause;
  const ref = noticeRef(episode, levelIndex, round);
  const buttons: CardElement[] = [button('已阅/推进中', { action: 'esc.ack.form', ...ref }, 'primary'), button('暂缓', { action: 'esc.snooze.form', ...ref })];
  if (level === 'leader') buttons.push(button('督办', { action: 'esc.supervise.form', ...ref }), button('约谈', { action: 'esc.summon.form', ...ref }));
  if (level === 'leader' || level === 'unit_head') buttons.push(button('改派', { action: 'esc.reassign.form', ...ref }));
  const again = round > 0 ? `（第 ${round + 1} 次提醒）` : '';
  const told = `**通知到**：第 ${levelIndex + 1} 级 · ${levelName(level)}${again}`;
  const what =
    cause.kind === 'blocker_overdue'
      ? `**逾期**：${md(stallDescription(cause))}\n**事项**：${md(cause.blockerKind)}：${md(cause.description)}\n**责任单位**：${md(cause.unitName)}，时限 ${cause.dueDate}\n${told}\n办结、延期获批或退回后预警解除。`
      : `**停滞原因**：${md(stallDescription(cause))}\n${told}\n请推进并记录进展（/进展 ${project.code} …），任何进展都会解除预警。`;
  const title =
    cause.kind === 'blocker_overdue' ? `🚨 ${cause.type === 'blocker' ? '问题' : overdueNoun(cause)}逾期 · ${project.code}` : `🚨 项目预警 · ${project.code}`;
  return card(title, levelIndex >= 2 ? 'red' : 'orange', [
    markdown(projectLines(project)),
    markdown(what),
    ...waitingOn(input.blockers),
    // Lark passes no tap on a card older than 14 days; an alarm can last longer.
    markdown('<font color="grey">卡片发出 14 天后不能再点按，届时发送 /预警 获取新卡片。</font>'),
    buttonRow(buttons),
  ]);
}

/** A new alarm in the project's work group (专班): what and who is told; the buttons are on their own cards. */
export function escalationGroupCard(project: Project, episode: Episode): Card {
  const step = episode.state.ladder[0];
  return card(`🚨 项目预警 · ${project.code}`, 'orange', [
    markdown(
      `${md(project.name)}：${md(stallDescription(episode.cause))}。\n已通知${step ? levelName(step.level) : '负责人'}，未处理将逐级上报；解除后会在群里告知。`,
    ),
  ]);
}

export function escalationResolvedCard(project: Project, episode: Episode, by: string | null, reason: 'activity' | 'cleared'): Card {
  const cause = episode.cause;
  const why =
    cause.kind === 'blocker_overdue'
      ? `${md(overdueNoun(cause))}已办结、兑现、延期或改派`
      : reason === 'activity' && by
        ? `${mention(by)} 推进了项目`
        : '停滞情况已消除';
  return card(`✅ 预警解除 · ${project.code}`, 'green', [markdown(`${md(project.name)}：${why}，预警解除。`)]);
}

type FormValue = Record<string, string>;

export const acknowledgeFormCard = (project: Project, value: FormValue, today: IsoDate): Card =>
  card(`已阅/推进中 · ${project.code}`, 'blue', [
    markdown(`${md(project.name)}：写下一步的日期，到期仍无进展将继续提醒。`),
    form('ack_form', [formDate('nextStep', '下一步日期', addDays(today, 3))], '确认', { action: 'esc.ack', ...value }),
  ]);

export const snoozeFormCard = (project: Project, value: FormValue, maxDays: number): Card =>
  card(`暂缓 · ${project.code}`, 'blue', [
    markdown(`${md(project.name)}：暂缓提醒最多 ${maxDays} 天，须写明原因。`),
    form('snooze_form', [formInput('days', '暂缓天数', `1–${maxDays}`, true), formInput('reason', '原因', '如：等待省级批复', true)], '暂缓', {
      action: 'esc.snooze',
      ...value,
    }),
  ]);

export const supervisionFormCard = (project: Project, value: FormValue): Card =>
  card(`督办 · ${project.code}`, 'red', [
    markdown(`${md(project.name)}：督办事项将通知负责人和单位负责人，并作为节点按期提醒。`),
    form('supervise_form', [formInput('task', '督办事项', '如：月底前完成土地挂牌', true), formDate('dueDate', '完成期限')], '下达督办', {
      action: 'esc.supervise',
      ...value,
    }),
  ]);

export const summonsFormCard = (project: Project, value: FormValue, attendees: PickerPeople): Card =>
  card(`约谈 · ${project.code}`, 'red', [
    markdown(`${md(project.name)}：约谈通知将发给所选人员。`),
    form(
      'summons_form',
      [
        formDate('when', '约谈日期'),
        formInput('place', '地点', '如：县政府 3 楼会议室'),
        formPerson('attendees', '参加人员', attendees, true),
        ...pickerLeftNote(attendees, '可约谈人员'),
        formInput('topic', '事由', '如：项目停滞原因及整改措施', true),
      ],
      '发出约谈',
      { action: 'esc.summon', ...value },
    ),
  ]);

export const reassignFormCard = (project: Project, value: FormValue, owners: PickerPeople): Card =>
  card(`改派负责人 · ${project.code}`, 'orange', [
    markdown(`${md(project.name)}：现负责人 ${mention(project.ownerOpenId)}。`),
    form(
      'reassign_form',
      [formPerson('newOwner', '新负责人', owners), ...pickerLeftNote(owners, '干部'), formInput('reason', '原因', '如：原负责人岗位调整', true)],
      '改派',
      { action: 'esc.reassign', ...value },
    ),
  ]);

export const supervisionOrderCard = (project: Project, leader: string, task: string, dueDate: IsoDate): Card =>
  card(`📌 督办 · ${project.code}`, 'red', [markdown(`${mention(leader)} 督办「${md(project.name)}」：**${md(task)}**，期限 ${dueDate}。`)]);

export const summonsNoticeCard = (project: Project, leader: string, s: { when: IsoDate; place?: string; topic: string }): Card =>
  card(`📣 约谈通知 · ${project.code}`, 'red', [
    markdown(`${mention(leader)} 就「${md(project.name)}」约谈：${md(s.topic)}\n时间：${s.when}${s.place ? `\n地点：${md(s.place)}` : ''}`),
  ]);

export const reassignedCard = (project: Project, by: string, reason: string): Card =>
  card(`🔁 项目改派 · ${project.code}`, 'orange', [
    markdown(`${mention(by)} 将「${md(project.name)}」改由 ${mention(project.ownerOpenId)} 负责。原因：${md(reason)}`),
  ]);
