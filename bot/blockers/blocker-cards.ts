import type { Blocker, BlockerView, Meeting } from '../../db/blockers-repository';
import { formatWan } from '../../domain/amount';
import { type AgendaReason, agendaReasonName, type BlockerKind, isOverdue, statusName } from '../../domain/blockers';
import { formatDateZh, type IsoDate } from '../../domain/calendar-date';
import type { PickerPeople } from '../../domain/pickers';
import type { WorkingCalendar } from '../../domain/working-calendar';
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
  formSelect,
  LINES_BUDGET_BYTES,
  markdown,
  md,
  mention,
  pickerLeftNote,
  withMore,
} from '../common/card-kit';

/** 问题, 投诉 or 议定事项, as a card names it. */
export function blockerNoun(b: Pick<Blocker, 'type' | 'complaint'>): string {
  if (b.type === 'decision') return '议定事项';
  if (b.type === 'commitment') return '承诺';
  return b.complaint ? '投诉' : '问题';
}

/** Where the time limit stands on `today`: N working days left, due today, or overdue. */
function limitText(b: BlockerView, today: IsoDate, cal: WorkingCalendar): string {
  const base = `时限 ${b.dueDate}`;
  if (!['open', 'accepted'].includes(b.status)) return base;
  if (isOverdue(b, today)) return `${base} <font color="red">已逾期 ${cal.workingDaysBetween(b.dueDate, today)} 个工作日</font>`;
  if (b.dueDate === today) return `${base} <font color="orange">今天到期</font>`;
  return `${base}（还有 ${cal.workingDaysBetween(today, b.dueDate)} 个工作日）`;
}

/** The facts of a blocker, as every card about it starts. */
function blockerFacts(b: BlockerView, today: IsoDate, cal: WorkingCalendar): string {
  return [
    `**${b.code}** ${md(clip(b.projectName, 40))}`,
    b.type === 'commitment' ? `**承诺**：${md(b.description)}` : `**${blockerNoun(b)}**（${md(b.kind)}）：${md(b.description)}`,
    ...(b.basis ? [`**依据**：${md(b.basis)}`] : []),
    ...(b.amountWan !== null ? [`**金额**：${formatWan(b.amountWan)}，已兑现 ${formatWan(b.deliveredWan)}`] : []),
    `**责任单位**：${md(b.unitName)}${b.handlerOpenId ? `　**承办人**：${mention(b.handlerOpenId)}` : ''}`,
    `**提出人**：${mention(b.raisedBy)}　${limitText(b, today, cal)}　**状态**：${statusName(b.status)}`,
    ...(b.extension ? [`**延期申请**：至 ${b.extension.dueDate}（${md(b.extension.reason)}），待审批`] : []),
  ].join('\n');
}

const ref = (b: Pick<Blocker, 'id'>, action: string) => ({ action, blocker: String(b.id) });

/**
 * The card the responsible unit works from: the blocker and what it may do now (受理 while new;
 * 申请延期 and 办结 while with the unit; 退回 if not theirs), and 提交联席会议.
 */
export function blockerCard(b: BlockerView, today: IsoDate, cal: WorkingCalendar, headline?: string): Card {
  const buttons: CardElement[] = [];
  if (b.type === 'commitment' && b.status === 'open') buttons.push(button('兑现', ref(b, 'commitment.deliver.form'), 'primary'));
  if (b.type !== 'commitment' && b.status === 'open') buttons.push(button('受理', ref(b, 'blocker.accept.form'), 'primary'));
  if (b.type !== 'commitment' && (b.status === 'open' || b.status === 'accepted')) {
    buttons.push(
      button('办结', ref(b, 'blocker.resolve.form'), b.status === 'accepted' ? 'primary' : 'default'),
      button('申请延期', ref(b, 'blocker.extend.form')),
      button('退回', ref(b, 'blocker.return.form'), 'danger'),
    );
  }
  if (b.type !== 'decision' && ['open', 'accepted', 'returned'].includes(b.status)) buttons.push(button('提交联席会议', ref(b, 'blocker.flag')));
  const elements: CardElement[] = [
    ...(headline ? [markdown(headline)] : []),
    markdown(blockerFacts(b, today, cal)),
    // Lark passes no tap on a card older than 14 days; a blocker can last longer.
    markdown('<font color="grey">卡片发出 14 天后不能再点按，届时发送 /问题清单 获取新卡片。</font>'),
  ];
  if (buttons.length > 0) elements.push(buttonRow(buttons));
  const icon = b.complaint ? '📮' : { blocker: '🧱', decision: '📋', commitment: '🤝' }[b.type];
  return card(`${icon} ${blockerNoun(b)} · ${b.code} · ${md(b.kind)}`, b.complaint ? 'red' : 'orange', elements);
}

/** A step someone else took, for the people who follow the blocker (no buttons). */
export function blockerNewsCard(b: BlockerView, title: string, news: string, today: IsoDate, cal: WorkingCalendar): Card {
  return card(`${title} · ${b.code}`, 'blue', [markdown(news), markdown(blockerFacts(b, today, cal))]);
}

/** To the raiser once it is reported done: confirm, or say it is not solved. */
export function confirmCard(b: BlockerView, confirmWithin: number, today: IsoDate, cal: WorkingCalendar): Card {
  const outcome = [
    `**办理结果**：${md(b.outcome ?? '')}`,
    ...(b.complaint ? [`**查处结果**：${md(b.finding ?? '')}`, `**核查人**：${b.checkedBy ? mention(b.checkedBy) : ''}`] : []),
  ].join('\n');
  return card(`✅ ${blockerNoun(b)}已办结，请确认 · ${b.code}`, 'green', [
    markdown(outcome),
    markdown(blockerFacts(b, today, cal)),
    markdown(`请在 ${confirmWithin} 个工作日内确认；逾期未答复视为已解决。`),
    buttonRow([button('确认解决', ref(b, 'blocker.confirm'), 'primary'), button('仍未解决', ref(b, 'blocker.reopen.form'), 'danger')]),
  ]);
}

/** To the coordinators and the project's leader: grant or refuse an extension. */
export function extensionCard(b: BlockerView, today: IsoDate, cal: WorkingCalendar): Card {
  return card(`⏳ 延期申请 · ${b.code}`, 'orange', [
    markdown(`${b.extension ? mention(b.extension.requestedBy) : ''} 申请将时限延至 **${b.extension?.dueDate ?? ''}**。`),
    markdown(blockerFacts(b, today, cal)),
    buttonRow([
      button('同意延期', { ...ref(b, 'blocker.grant'), answer: 'yes' }, 'primary'),
      button('不同意', { ...ref(b, 'blocker.grant'), answer: 'no' }, 'danger'),
    ]),
  ]);
}

/** To the coordinators once a unit sends it back: name the right unit. */
export function returnedCard(b: BlockerView, reason: string, today: IsoDate, cal: WorkingCalendar): Card {
  return card(`↩️ ${blockerNoun(b)}被退回，请改派 · ${b.code}`, 'orange', [
    markdown(`${md(b.unitName)} 退回：${md(reason)}`),
    markdown(blockerFacts(b, today, cal)),
    buttonRow([button('改派责任单位', ref(b, 'blocker.reassign.form'), 'primary')]),
  ]);
}

type FormValue = Record<string, string>;
const formValue = (b: Blocker, action: string, formId: string): FormValue => ({ ...ref(b, action), form: formId });

export const acceptFormCard = (b: BlockerView, handlers: PickerPeople, formId: string): Card =>
  card(`受理 · ${b.code}`, 'blue', [
    markdown(`${md(b.kind)}：${md(clip(b.description, 100))}\n可指定本单位的承办人，提醒将发给承办人；不指定则由您办理。`),
    form(
      'accept_form',
      [formPerson('handler', '承办人（可不选）', handlers), ...pickerLeftNote(handlers, '本单位人员')],
      '受理',
      formValue(b, 'blocker.accept', formId),
    ),
  ]);

export const returnFormCard = (b: BlockerView, formId: string): Card =>
  card(`退回 · ${b.code}`, 'orange', [
    markdown(`${md(b.kind)}：${md(clip(b.description, 100))}\n退回后招商服务中心将改派责任单位。`),
    form('return_form', [formInput('reason', '退回原因', '如：该线路属市供电公司管辖', true)], '退回', formValue(b, 'blocker.return', formId)),
  ]);

export const extendFormCard = (b: BlockerView, formId: string): Card =>
  card(`申请延期 · ${b.code}`, 'blue', [
    markdown(`${md(b.kind)}：${md(clip(b.description, 100))}\n现时限 ${b.dueDate}。延期须经招商服务中心或包抓领导同意。`),
    form(
      'extend_form',
      [formDate('dueDate', '延至'), formInput('reason', '延期原因', '如：设备厂家供货推迟', true)],
      '提交申请',
      formValue(b, 'blocker.extend', formId),
    ),
  ]);

export const resolveFormCard = (b: BlockerView, checkers: PickerPeople, formId: string): Card =>
  card(`办结 · ${b.code}`, 'green', [
    markdown(b.complaint ? '有诉必查、有查必果：投诉须写明查处结果和核查人。' : `${md(b.kind)}：${md(clip(b.description, 100))}`),
    form(
      'resolve_form',
      [
        formInput('outcome', b.complaint ? '处理情况' : '办理结果', '如：已完成专线接入，设备已通电', true),
        ...(b.complaint
          ? [
              formInput('finding', '查处结果', '如：经核查反映属实，已责令限期整改', true),
              formPerson('checkedBy', '核查人', checkers),
              ...pickerLeftNote(checkers, '人员'),
            ]
          : []),
      ],
      '办结',
      formValue(b, 'blocker.resolve', formId),
    ),
  ]);

export const deliverFormCard = (b: BlockerView, formId: string): Card =>
  card(`兑现 · ${b.code}`, 'green', [
    markdown(
      `**承诺**：${md(clip(b.description, 100))}${b.amountWan !== null ? `\n金额 ${formatWan(b.amountWan)}，已兑现 ${formatWan(b.deliveredWan)}；部分兑现累计达到金额即视为兑现。` : ''}`,
    ),
    form(
      'deliver_form',
      [
        ...(b.amountWan !== null ? [formInput('amount', '本次兑现金额', '如：40万', true)] : []),
        formDate('day', '兑现日期'),
        formInput('evidence', '凭证', '如：租金减免协议已签订，首年租金已退还', true),
      ],
      '记录兑现',
      formValue(b, 'commitment.deliver', formId),
    ),
  ]);

/** The form behind a project card's 记承诺 button. */
export function commitmentFormCard(project: { id: number; code: string; name: string }, formId: string): Card {
  return card(`记承诺 · ${project.code}`, 'blue', [
    markdown(`${md(project.name)}：写下县里对客商的承诺、依据、负责兑现的单位和时限；承诺必须刚性兑现，到期前后都会提醒。`),
    form(
      'commitment_form',
      [
        formInput('promise', '承诺内容', '如：厂房租金前三年全免', true),
        formInput('basis', '依据', '如：招商引资奖励办法第五条'),
        formInput('unit', '责任单位', '如：县工信局', true),
        formDate('dueDate', '兑现时限'),
        formInput('amount', '金额（可不填）', '如：120万'),
      ],
      '登记承诺',
      { action: 'commitment.submit', project: String(project.id), form: formId },
    ),
  ]);
}

export const reopenFormCard = (b: BlockerView, formId: string): Card =>
  card(`仍未解决 · ${b.code}`, 'orange', [
    markdown(`${md(b.kind)}：${md(clip(b.description, 100))}`),
    form('reopen_form', [formInput('reason', '还差什么', '如：专线已接入但电压不稳', true)], '退回重办', formValue(b, 'blocker.reopen', formId)),
  ]);

export const reassignFormCard = (b: BlockerView, formId: string): Card =>
  card(`改派责任单位 · ${b.code}`, 'blue', [
    markdown(`${md(b.kind)}：${md(clip(b.description, 100))}\n原责任单位：${md(b.unitName)}。写新的责任单位全称；时限按该类问题的默认期限重新计算，也可另定。`),
    form(
      'reassign_form',
      [formInput('unit', '责任单位', '如：县自然资源局', true), formDate('dueDate', '时限（可不选）')],
      '改派',
      formValue(b, 'blocker.reassign', formId),
    ),
  ]);

/** The form behind a project card's 提问题 button. */
export function raiseFormCard(project: { id: number; code: string; name: string }, kinds: readonly BlockerKind[], formId: string): Card {
  return card(`提问题 · ${project.code}`, 'orange', [
    markdown(`${md(project.name)}：写明影响项目的问题和能解决它的单位；不选时限即按该类问题的默认期限。`),
    form(
      'raise_form',
      [
        formSelect(
          'kind',
          '问题类型',
          kinds.map((k) => ({ text: `${k.name}（${k.workingDays} 个工作日）`, value: k.name })),
        ),
        formInput('description', '问题描述', '如：10kV专线未接入，影响设备调试', true),
        formInput('unit', '责任单位', '如：县供电公司', true),
        formDate('dueDate', '时限（可不选）'),
      ],
      '提交',
      { action: 'blocker.submit', project: String(project.id), form: formId },
    ),
  ]);
}

/** `/问题清单`: one line per blocker, as many as a card holds, and the count of the rest. */
export function blockerListCard(title: string, list: BlockerView[], today: IsoDate, cal: WorkingCalendar): Card {
  const lines = list.map((b) => {
    const late = isOverdue(b, today) ? ` <font color="red">逾期 ${cal.workingDaysBetween(b.dueDate, today)} 个工作日</font>` : '';
    return `**${b.code}** ${blockerNoun(b)}·${md(b.kind)} ${md(clip(b.description, 40))} · ${md(b.unitName)} · ${statusName(b.status)} · 时限 ${b.dueDate}${late}`;
  });
  const { shown, left } = fitLines(lines, LINES_BUDGET_BYTES);
  const overdue = list.filter((b) => isOverdue(b, today)).length;
  return card(`🧱 ${title}（${list.length}）`, overdue > 0 ? 'red' : 'blue', [
    markdown(list.length > 0 ? withMore(shown, left, '项（可加条件缩小范围，如：/问题清单 逾期）').join('\n') : '没有符合条件的问题。'),
    ...(overdue > 0 ? [markdown(`其中逾期 **${overdue}** 项。`)] : []),
  ]);
}

/** An agenda item as the agenda card lists it. */
export interface AgendaLine {
  position: number;
  reason: AgendaReason;
  blocker: BlockerView;
  /** The decision this meeting recorded for it, if any. */
  decided?: Blocker;
}

/** The agenda holds this many items per card, each also an option of the card's decision form. */
export const AGENDA_ITEMS_PER_CARD = 30;

/**
 * The joint meeting's agenda, one card per {@link AGENDA_ITEMS_PER_CARD} items: each item with why
 * it is there, and a form for the coordinator to record a decision on any of them.
 */
export function agendaCard(meeting: Meeting, items: AgendaLine[], part: { index: number; count: number }, today: IsoDate, cal: WorkingCalendar): Card {
  const lines = items.map(({ position, reason, blocker: b, decided }) => {
    const late = isOverdue(b, today) ? ` <font color="red">逾期 ${cal.workingDaysBetween(b.dueDate, today)} 个工作日</font>` : '';
    const outcome = decided ? `\n　　✅ 议定：${md(clip(decided.description, 60))}（${decided.dueDate} 前）` : '';
    return `${position + 1}. [${agendaReasonName(reason)}] **${b.code}** ${blockerNoun(b)}·${md(b.kind)} ${md(clip(b.description, 60))} · ${md(b.unitName)} · ${statusName(b.status)} · 时限 ${b.dueDate}${late}${outcome}`;
  });
  const numbered = part.count > 1 ? `（${part.index + 1}/${part.count}）` : '';
  const open = items.filter((i) => !i.decided);
  const elements: CardElement[] = [
    markdown(`**时间**：${formatDateZh(meeting.day)} ${meeting.time}　**地点**：${md(meeting.place)}`),
    markdown(lines.length > 0 ? lines.join('\n') : '本次会议没有需要协调的问题。'),
  ];
  if (open.length > 0) {
    elements.push(
      form(
        `decision_form_${part.index}`,
        [
          formSelect(
            'item',
            '议题',
            open.map((i) => ({ text: `${i.position + 1}. ${i.blocker.code} ${clip(i.blocker.description, 20)}`, value: String(i.blocker.id) })),
          ),
          formInput('decision', '议定事项', '如：县供电公司12月15日前完成专线接入', true),
          formInput('unit', '责任单位', '如：县供电公司', true),
          formDate('dueDate', '完成时限'),
        ],
        '记录议定事项',
        { action: 'meeting.decide', meeting: String(meeting.id), part: String(part.index), form: `agenda-${meeting.id}-${part.index}` },
      ),
    );
  }
  return card(`🏛️ 联席会议议程 · ${formatDateZh(meeting.day)}${numbered}`, 'turquoise', elements);
}

/** To a responsible unit's head: their items on tomorrow's agenda. */
export function unitAgendaCard(meeting: Meeting, unitName: string, items: AgendaLine[]): Card {
  const lines = items.map(
    ({ position, reason, blocker: b }) =>
      `${position + 1}. [${agendaReasonName(reason)}] **${b.code}** ${blockerNoun(b)}·${md(b.kind)} ${md(clip(b.description, 60))} · 时限 ${b.dueDate}`,
  );
  const { shown, left } = fitLines(lines);
  return card(`🏛️ 联席会议 · ${md(unitName)} 的议题`, 'turquoise', [
    markdown(`${formatDateZh(meeting.day)} ${meeting.time} 在 ${md(meeting.place)} 召开联席会议，以下议题涉及贵单位，请做好汇报准备：`),
    markdown(withMore(shown, left, '项').join('\n')),
  ]);
}
