import type { Project } from '../../db/projects-repository';
import { formatWan } from '../../domain/amount';
import type { Catalog } from '../../domain/catalog';
import type { InputProblem } from '../../domain/lead-grammar';
import type { PickerPeople } from '../../domain/pickers';
import {
  button,
  buttonRow,
  type Card,
  type CardElement,
  card,
  form,
  formInput,
  formPerson,
  formSelect,
  hr,
  markdown,
  md,
  mention,
  pickerLeftNote,
} from '../common/card-kit';

/** Names the card shows for a project's people and unit. */
export interface ProjectLabels {
  unitName: string | null;
}

export function projectFieldLines(p: Project, labels: ProjectLabels, catalog: Catalog): string {
  const channel = catalog.channels.find((c) => c.code === p.channel)?.name ?? p.channel;
  const lines: [string, string | null][] = [
    ['项目编号', `**${p.code}**`],
    ['项目名称', md(p.name)],
    ['投资方', md(p.investor)],
    ['计划投资', p.plannedInvestmentWan === null ? null : formatWan(p.plannedInvestmentWan)],
    ['行业', p.industry === null ? null : md(p.industry)],
    ['招商方式', channel === null ? null : md(channel)],
    ['责任单位', labels.unitName ? md(labels.unitName) : '<font color="orange">待指派</font>'],
    ['负责人', mention(p.ownerOpenId)],
    ['包抓领导', p.leaderOpenId ? mention(p.leaderOpenId) : null],
    ['引荐人', p.referrer ? md(p.referrer) : null],
    ['备注', p.note ? md(p.note) : null],
    ['登记人', mention(p.createdBy)],
  ];
  return lines
    .filter((line): line is [string, string] => line[1] !== null)
    .map(([k, v]) => `**${k}**：${v}`)
    .join('\n');
}

/** The confirmation a registration answers with, in the thread or in place of the form. */
export function leadRegisteredCard(p: Project, labels: ProjectLabels, catalog: Catalog): Card {
  const elements: CardElement[] = [markdown(projectFieldLines(p, labels, catalog))];
  if (p.unitId === null) {
    elements.push(markdown('<font color="orange">尚未确定责任单位，已通知招商服务中心指派。</font>'));
  }
  return card(`✅ 已登记 ${p.code}`, 'green', elements);
}

/** An investor already has a project with a similar name: show it and ask before a second one. */
export function similarProjectCard(
  existing: Project,
  draft: { name: string; investor: string },
  pendingId: string,
  labels: ProjectLabels,
  catalog: Catalog,
): Card {
  return card('⚠️ 可能重复登记', 'orange', [
    markdown(`投资方「${md(draft.investor)}」已有名称相近的项目：`),
    markdown(projectFieldLines(existing, labels, catalog)),
    hr(),
    markdown(`仍要登记新项目「${md(draft.name)}」吗？`),
    buttonRow([button('仍然登记', { action: 'lead.confirm', pending: pendingId }, 'primary'), button('取消', { action: 'lead.cancel', pending: pendingId })]),
  ]);
}

/** The coordinators hear what the roster could not settle about a new project (markdown lines in `gaps`). */
export function rosterGapsCard(project: Project, gaps: string[]): Card {
  return card(`📌 待指派：${project.code}`, 'orange', [
    markdown(`${mention(project.createdBy)} 登记了项目「${md(project.name)}」（投资方：${md(project.investor)}），需要招商服务中心处理：`),
    markdown(gaps.map((g) => `- ${g}`).join('\n')),
    markdown(`请用 \`/指派 ${project.code} 单位名称\` 指定责任单位；人员请补录名册后重新导入。`),
  ]);
}

/** `/指派`: the unit head hears that a project is now their unit's. */
export function unitAssignedCard(project: Project, unitName: string, by: string): Card {
  return card(`📌 新指派项目：${project.code}`, 'blue', [
    markdown(`${mention(by)} 将项目「${md(project.name)}」（投资方：${md(project.investor)}）指派给${md(unitName)}，负责人 ${mention(project.ownerOpenId)}。`),
  ]);
}

export function leadCancelledCard(draft: { name: string }): Card {
  return card('已取消登记', 'grey', [markdown(`未登记「${md(draft.name)}」。`)]);
}

/** The problems with an input, each with how to write it right. */
export function problemsText(problems: InputProblem[], example: string): string {
  const lines = problems.map((p, i) => `${i + 1}. ${p.message}\n   ${p.hint}`);
  return `❌ 未登记，请修改后重发：\n${lines.join('\n')}\n\n完整示例：\n${example}`;
}

/** `/lead` with nothing after it: a form. `formId` makes a second submit of the same form a no-op. */
export function leadFormCard(catalog: Catalog, formId: string, pickers: { owners: PickerPeople; leaders: PickerPeople }): Card {
  return card('登记招商线索', 'blue', [
    form(
      'lead_form',
      [
        formInput('name', '项目名称', '如：富硒茶深加工', true),
        formInput('investor', '投资方', '如：某茶业有限公司', true),
        formInput('amount', '计划投资', '如：1.2亿、5000万'),
        formSelect(
          'industry',
          '行业',
          catalog.industries.map((i) => ({ text: i, value: i })),
        ),
        formSelect(
          'channel',
          '招商方式',
          catalog.channels.map((c) => ({ text: c.name, value: c.code })),
        ),
        markdown('**负责人**（不选则为您本人）'),
        formPerson('owner', '选择负责人', pickers.owners),
        ...pickerLeftNote(pickers.owners, '干部'),
        markdown('**包抓领导**'),
        formPerson('leader', '选择包抓县级领导', pickers.leaders),
        ...pickerLeftNote(pickers.leaders, '县级领导'),
        formInput('referrer', '引荐人', '个人或单位'),
        formInput('note', '备注', '其他情况'),
      ],
      '登记',
      { action: 'lead.submit', form: formId },
    ),
  ]);
}
