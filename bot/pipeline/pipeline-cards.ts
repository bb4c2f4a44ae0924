import type { BlockerView } from '../../db/blockers-repository';
import type { Milestone } from '../../db/pipeline-repository';
import type { HistoryEntry, Project } from '../../db/projects-repository';
import { formatWan } from '../../domain/amount';
import { compareDates, formatDateZh, type IsoDate } from '../../domain/calendar-date';
import type { Catalog } from '../../domain/catalog';
import { type EscalationLevel, levelName } from '../../domain/escalation-ladder';
import type { NudgeOccasion } from '../../domain/nudge-schedule';
import { stageName } from '../../domain/stages';
import { type StallCause, stallDescription } from '../../domain/stall-rules';
import type { WorkingCalendar } from '../../domain/working-calendar';
import type { DigestItem } from '../../jobs/reminders';
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
  formSelect,
  hr,
  LINES_BUDGET_BYTES,
  markdown,
  md,
  mention,
  pagesOf,
  withMore,
} from '../common/card-kit';
import { type ProjectLabels, projectFieldLines } from '../leads/lead-cards';

/** A project card shows this many milestones; the rest are counted. Custom milestones and 督办 orders make the list long. */
const MAX_MILESTONE_LINES = 20;
/** Notes are cut to this many characters where a card shows recent records; /记录 shows them whole. */
const NOTE_PREVIEW_CHARS = 100;
/** The 完成 form offers this many open milestones, the most urgent first. */
const MAX_DONE_OPTIONS = 50;
/** A digest card holds this many items with their buttons: 11 elements each, well under Lark's 200. */
export const DIGEST_ITEMS_PER_CARD = 15;

const HISTORY_WORDS: Record<string, string> = {
  registered: '登记',
  unit_assigned: '指派单位',
  progress: '进展',
  stage_moved: '阶段',
  milestone_set: '设定节点',
  milestone_moved: '节点改期',
  milestone_done: '节点完成',
  funds_recorded: '到位资金',
  jobs_recorded: '就业',
  owner_reassigned: '改派',
  escalation_opened: '停滞预警',
  escalation_notice: '预警通知',
  escalation_ack: '已阅/推进中',
  escalation_snooze: '暂缓',
  supervision_ordered: '督办',
  summons: '约谈',
  escalation_resolved: '预警解除',
  blocker_raised: '提出问题',
  decision_recorded: '联席会议议定',
  blocker_accept: '受理',
  blocker_return: '退回',
  blocker_reassign: '改派责任单位',
  blocker_extend: '申请延期',
  blocker_grant: '延期审批',
  blocker_resolve: '办结',
  blocker_confirm: '确认解决',
  blocker_reopen: '仍未解决',
  blocker_flag: '提交联席会议',
  commitment_made: '承诺',
  commitment_delivered: '兑现',
};

/** One history entry in a line: when, who, what. `noteChars` cuts notes and reasons for a preview. */
export function historyLine(entry: HistoryEntry, timeZone: string, noteChars = Infinity): string {
  const when = new Intl.DateTimeFormat('zh-CN', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(entry.at);
  const c = entry.changes as Record<string, string | undefined>;
  const text = (value: string | undefined) => md(clip(value ?? '', noteChars));
  const what: Record<string, () => string> = {
    progress: () => text(c.note),
    stage_moved: () => `${stageName(c.from as never)} → ${stageName(c.to as never)}${c.reason ? `（${text(c.reason)}）` : ''}`,
    milestone_set: () => `${md(c.milestone ?? '')} 定于 ${c.dueDate}`,
    milestone_moved: () => `${md(c.milestone ?? '')} ${c.from} → ${c.to}${c.reason ? `（${text(c.reason)}）` : ''}`,
    milestone_done: () => `${md(c.milestone ?? '')} 于 ${c.doneDate} 完成`,
    funds_recorded: () => `${formatWan(Number(c.amountWan))}（${c.day}）`,
    jobs_recorded: () => `${c.jobs} 人（${c.day}）`,
    owner_reassigned: () => `${c.from ? mention(c.from) : ''} → ${c.to ? mention(c.to) : ''}（${text(c.reason)}）`,
    escalation_opened: () => md(stallDescription(entry.changes.cause as StallCause)),
    escalation_notice: () =>
      `通知 ${c.recipient?.startsWith('user-') ? mention(c.recipient.slice(5)) : '督查组群'}（${levelName(c.level as EscalationLevel)}${Number(c.round) > 0 ? ` 第 ${Number(c.round) + 1} 次` : ''}）`,
    escalation_ack: () => `下一步 ${c.nextStep}`,
    escalation_snooze: () => `${c.days} 天（${text(c.reason)}）`,
    supervision_ordered: () => `${text(c.task)}，期限 ${c.dueDate}`,
    summons: () => `${c.when} ${text(c.topic)}`,
    escalation_resolved: () => (c.reason === 'activity' ? '有新进展' : '停滞情况消除'),
    blocker_raised: () => `${c.complaint ? '投诉' : '问题'}·${md(c.kind ?? '')}：${text(c.description)}，时限 ${c.dueDate}`,
    decision_recorded: () => `${text(c.description)}，时限 ${c.dueDate}`,
    blocker_accept: () => (c.handler ? `承办人 ${mention(c.handler)}` : ''),
    blocker_return: () => text(c.reason),
    blocker_reassign: () => `时限 ${c.dueDate}`,
    blocker_extend: () => `至 ${c.dueDate}（${text(c.reason)}）`,
    blocker_grant: () => (entry.changes.granted ? `同意，新时限 ${c.dueDate}` : '不同意'),
    blocker_resolve: () => `${text(c.outcome)}${c.finding ? `；查处结果：${text(c.finding)}` : ''}`,
    blocker_confirm: () => (entry.changes.silent ? '逾期未答复，视为已解决' : ''),
    blocker_reopen: () => text(c.reason),
    commitment_made: () => `${text(c.description)}，时限 ${c.dueDate}${c.amountWan ? `，${formatWan(Number(c.amountWan))}` : ''}`,
    commitment_delivered: () =>
      `${c.amountWan ? `${formatWan(Number(c.amountWan))} ` : ''}（${c.day}）${text(c.evidence)}${entry.changes.kept ? '，承诺已兑现' : ''}`,
  };
  const detail = what[entry.action]?.() ?? '';
  return `${when} ${entry.actorOpenId ? mention(entry.actorOpenId) : ''} **${HISTORY_WORDS[entry.action] ?? entry.action}** ${detail}`.trim();
}

/** Planned vs actual, with late ones marked: done late, or open and past due. */
function milestoneLine(m: Milestone, today: IsoDate, calendar: WorkingCalendar): string {
  if (m.doneDate) {
    const late = compareDates(m.doneDate, m.dueDate) > 0;
    return `**${md(m.name)}** 计划 ${m.dueDate} · 实际 ${m.doneDate}${late ? ' <font color="red">（延期完成）</font>' : ' ✅'}`;
  }
  const overdue = compareDates(m.dueDate, today) < 0;
  return `**${md(m.name)}** 计划 ${m.dueDate} · 未完成${overdue ? ` <font color="red">已逾期 ${calendar.workingDaysBetween(m.dueDate, today)} 个工作日</font>` : ''}`;
}

export function projectCard(input: {
  project: Project;
  labels: ProjectLabels;
  catalog: Catalog;
  milestones: Milestone[];
  history: HistoryEntry[];
  today: IsoDate;
  calendar: WorkingCalendar;
  timeZone: string;
  totals: { fundsWan: number; jobs: number };
  /** Unfinished blockers and decisions of the project. */
  openBlockers: number;
}): Card {
  const p = input.project;
  const stage = [
    `**阶段**：${stageName(p.stage)}${p.stageReason ? `（${md(p.stageReason)}）` : ''}${p.reviewDate ? `，${p.reviewDate} 复核` : ''}`,
    `**到位资金**：${formatWan(input.totals.fundsWan)}　**就业岗位**：${input.totals.jobs} 人`,
    ...(input.openBlockers > 0 ? [`**未解决问题**：${input.openBlockers} 项（/问题清单 项目:${p.code}）`] : []),
  ].join('\n');
  const elements: CardElement[] = [
    markdown(`${projectFieldLines(p, input.labels, input.catalog)}\n${stage}`),
    hr(),
    markdown(
      input.milestones.length > 0
        ? `**关键时间节点**\n${withMore(
            input.milestones.slice(0, MAX_MILESTONE_LINES).map((m) => milestoneLine(m, input.today, input.calendar)),
            input.milestones.length - MAX_MILESTONE_LINES,
            '个节点',
          ).join('\n')}`
        : `**关键时间节点**：尚未设定（如：/节点 ${p.code} 开工 2027-03-01）`,
    ),
    hr(),
    markdown(
      `**最近记录**（全部记录：/记录 ${p.code}）\n${input.history
        .slice(0, 5)
        .map((e) => historyLine(e, input.timeZone, NOTE_PREVIEW_CHARS))
        .join('\n')}`,
    ),
    buttonRow([
      button('记进展', { action: 'project.progress', project: String(p.id) }, 'primary'),
      button('设节点', { action: 'project.milestone', project: String(p.id) }),
      button('标记完成', { action: 'project.done', project: String(p.id) }),
      button('提问题', { action: 'project.blocker', project: String(p.id) }),
      button('记承诺', { action: 'project.commitment', project: String(p.id) }),
    ]),
  ];
  return card(`${p.code} ${p.name}`, p.stage === 'lost' ? 'grey' : 'blue', elements);
}

export function progressFormCard(p: Project, formId: string): Card {
  return card(`记进展 · ${p.code}`, 'blue', [
    markdown(md(p.name)),
    form('progress_form', [formInput('note', '进展', '如：客商来县考察，已看厂址', true)], '保存', {
      action: 'progress.submit',
      project: String(p.id),
      form: formId,
    }),
  ]);
}

/** `/我的`: one's projects, then every open milestone of theirs, soonest first, as many as the card holds. */
export function myProjectsCard(projects: Project[], deadlines: Milestone[], today: IsoDate): Card {
  const codes = new Map(projects.map((p) => [p.id, p.code]));
  const projectLines = fitLines(
    projects.map((p) => `**${p.code}** ${md(clip(p.name, 40))} · ${stageName(p.stage)}`),
    LINES_BUDGET_BYTES / 2,
  );
  const deadlineLines = fitLines(
    deadlines.map(
      (m) => `${m.dueDate} **${codes.get(m.projectId)}** ${md(m.name)}${compareDates(m.dueDate, today) < 0 ? ' <font color="red">已逾期</font>' : ''}`,
    ),
    LINES_BUDGET_BYTES / 2,
  );
  return card('我的项目', 'blue', [
    markdown(withMore(projectLines.shown, projectLines.left, '个项目').join('\n')),
    markdown(deadlines.length > 0 ? `**未完成的节点**\n${withMore(deadlineLines.shown, deadlineLines.left, '个节点').join('\n')}` : '**未完成的节点**：暂无'),
  ]);
}

/** Set a milestone, or move one (`current` given): moving asks for the reason. */
export function milestoneFormCard(p: Project, formId: string, current?: Milestone): Card {
  const fields = current
    ? [
        markdown(`**${md(current.name)}** 现定于 ${current.dueDate}`),
        formDate('dueDate', '新的日期'),
        formInput('reason', '改期原因', '如：土地报批延迟', true),
      ]
    : [
        formSelect(
          'name',
          '节点',
          ['签约', '开工', '投产', '达产'].map((n) => ({ text: n, value: n })),
        ),
        formInput('customName', '或自定义', '如：环评批复'),
        formDate('dueDate', '计划日期'),
        formInput('reason', '原因', '改期时必填'),
      ];
  const value: Record<string, string> = { action: 'milestone.submit', project: String(p.id), form: formId, ...(current ? { name: current.name } : {}) };
  return card(`${current ? '节点改期' : '设定节点'} · ${p.code}`, 'blue', [markdown(md(p.name)), form('milestone_form', fields, '保存', value)]);
}

export function doneFormCard(p: Project, open: Milestone[], formId: string, today: IsoDate): Card {
  if (open.length === 0) return card(`标记完成 · ${p.code}`, 'grey', [markdown('没有未完成的节点。')]);
  const offered = open.slice(0, MAX_DONE_OPTIONS);
  const left = open.length - offered.length;
  return card(`标记完成 · ${p.code}`, 'blue', [
    markdown(`${md(p.name)}${left > 0 ? `\n只列出最早到期的 ${offered.length} 个节点；其余 ${left} 个可用命令标记，如 /完成 ${p.code} 节点名称` : ''}`),
    form(
      'done_form',
      [
        formSelect(
          'name',
          '节点',
          offered.map((m) => ({ text: `${m.name}（计划 ${m.dueDate}）`, value: m.name })),
          offered[0]!.name,
        ),
        formDate('doneDate', '实际完成日期', today),
      ],
      '完成',
      { action: 'done.submit', project: String(p.id), form: formId },
    ),
  ]);
}

/** Asked when a project is signed: the 开工, 投产 and 达产 dates, prefilled from the county's defaults. */
export function signedDatesFormCard(p: Project, defaults: { started: IsoDate; producing: IsoDate; at_capacity: IsoDate }, formId: string): Card {
  return card(`🎉 ${p.code} 已签约：请定关键时间节点`, 'green', [
    markdown(`「${md(p.name)}」已签约。请确认开工、投产、达产的计划日期（已按县里的默认期限预填），负责人 ${mention(p.ownerOpenId)} 将按期收到提醒。`),
    form(
      'signed_dates',
      [
        formDate('started', '开工日期', defaults.started),
        formDate('producing', '投产日期', defaults.producing),
        formDate('at_capacity', '达产日期', defaults.at_capacity),
      ],
      '保存节点',
      { action: 'signed.dates', project: String(p.id), form: formId },
    ),
  ]);
}

function occasionText(o: NudgeOccasion): string {
  if (o.kind === 'before') return `还有 ${o.workingDays} 个工作日到期`;
  if (o.kind === 'due') return '<font color="orange">今天到期</font>';
  return `<font color="red">已逾期 ${o.workingDays} 个工作日</font>`;
}

/**
 * One card of the morning digest: up to {@link DIGEST_ITEMS_PER_CARD} items for one person (or
 * group), most urgent first. A long digest comes in parts; the last one counts what no part holds.
 */
export function digestCard(day: IsoDate, items: DigestItem[], forGroup: boolean, part: { index: number; count: number; notShown: number }): Card {
  const elements = items.flatMap((item) => {
    if ('blocker' in item) {
      const b = item.blocker;
      return [
        markdown(
          `**${b.code}** ${md(b.projectName)} · ${blockerNoun(b)}·${md(b.kind)}：${md(clip(b.description, 60))} · 时限 ${b.dueDate} · ${occasionText(item.occasion)}`,
        ),
        buttonRow(
          b.type === 'commitment'
            ? [button('兑现', { action: 'commitment.deliver.form', blocker: String(b.id) }, 'primary')]
            : [
                button('办结', { action: 'blocker.resolve.form', blocker: String(b.id) }, 'primary'),
                button('申请延期', { action: 'blocker.extend.form', blocker: String(b.id) }),
              ],
        ),
      ];
    }
    const { milestone: m, occasion } = item;
    return [
      markdown(
        `**${m.code}** ${md(m.projectName)} · **${md(m.name)}** 计划 ${m.dueDate} · ${occasionText(occasion)}${forGroup ? ` · 负责人 ${mention(m.ownerOpenId)}` : ''}`,
      ),
      buttonRow([
        button('完成', { action: 'milestone.done', milestone: String(m.milestoneId) }, 'primary'),
        button('改期', { action: 'milestone.move', milestone: String(m.milestoneId) }),
        button('记进展', { action: 'project.progress', project: String(m.projectId) }),
      ]),
    ];
  });
  if (part.notShown > 0) {
    elements.push(
      markdown(
        forGroup
          ? `…另有 ${part.notShown} 项逾期未列出，各负责人已分别收到提醒`
          : `…另有 ${part.notShown} 项未列出，发送 /我的 查看全部节点，/问题清单 查看全部问题`,
      ),
    );
  }
  const numbered = part.count > 1 ? `（${part.index + 1}/${part.count}）` : '';
  const title = `${forGroup ? '⏰ 逾期节点通报' : '⏰ 今日节点提醒'} · ${formatDateZh(day)}${numbered}`;
  return card(title, items.some((i) => i.occasion.kind === 'overdue') ? 'red' : 'orange', elements);
}

/** The undelivered commitments a 流失 notice puts first hold at most this much of it. */
const UNKEPT_BYTES = 8 * 1024;

/**
 * 流失: the unit head and the leader hear that an accountability review is due, with the record;
 * commitments not delivered (承诺不兑现导致外流外转) come first, each with its unit.
 */
export function lostNoticeCard(p: Project, reason: string, history: HistoryEntry[], timeZone: string, unkept: BlockerView[], today: IsoDate): Card {
  const unkeptLines = fitLines(
    unkept.map(
      (c) =>
        `- ${md(clip(c.description, 80))} · ${md(c.unitName)} · 时限 ${c.dueDate}${compareDates(c.dueDate, today) < 0 ? ' <font color="red">已逾期</font>' : ''}${c.amountWan !== null ? ` · 已兑现 ${formatWan(c.deliveredWan)} / ${formatWan(c.amountWan)}` : ''}`,
    ),
    UNKEPT_BYTES,
  );
  const { shown, left } = fitLines(
    history.map((e) => historyLine(e, timeZone, NOTE_PREVIEW_CHARS)),
    LINES_BUDGET_BYTES - 6 * 1024 - (unkept.length > 0 ? UNKEPT_BYTES : 0),
  );
  const earlier = left > 0 ? `\n…更早的 ${left} 条记录：发送 /记录 ${p.code} 查看全部` : '';
  return card(`⚠️ 项目流失 · ${p.code}`, 'red', [
    ...(unkept.length > 0
      ? [
          markdown(
            `**有 ${unkept.length} 项承诺未兑现**（承诺不兑现导致外流外转的，实行责任倒查）\n${withMore(unkeptLines.shown, unkeptLines.left, '项').join('\n')}`,
          ),
        ]
      : []),
    markdown(`「${md(p.name)}」（投资方：${md(p.investor)}）已标记为流失。原因：${md(reason)}\n请按规定开展**责任倒查**。负责人 ${mention(p.ownerOpenId)}。`),
    hr(),
    markdown(`**项目记录**（最近 ${shown.length} 条，共 ${history.length} 条）\n${shown.join('\n')}${earlier}`),
  ]);
}

/** `/记录`: one page of a project's whole record, newest first, notes in full, with the pages around it. */
export function historyCard(p: Project, history: HistoryEntry[], page: number, timeZone: string): Card {
  const pages = pagesOf(history.map((e) => historyLine(e, timeZone)));
  const at = Math.min(Math.max(page, 1), Math.max(pages.length, 1));
  const nav = (to: number, text: string) => button(text, { action: 'history.page', project: String(p.id), page: String(to) });
  const buttons = [...(at > 1 ? [nav(at - 1, '上一页')] : []), ...(at < pages.length ? [nav(at + 1, '下一页')] : [])];
  return card(`📜 ${p.code} 全部记录（${history.length}）`, 'blue', [
    markdown((pages[at - 1] ?? ['暂无记录']).join('\n')),
    ...(pages.length > 1 ? [markdown(`第 ${at}/${pages.length} 页`), buttonRow(buttons)] : []),
  ]);
}
