import { type StandingChange, standingsPages } from '../../domain/scoring';
import { button, buttonRow, type Card, type CardElement, card, hr, markdown, md } from '../common/card-kit';
import type { Standings } from './standings';

/** Rows per card: 30 rows of table and chart stay far below Lark's 30 KB, whatever the county. */
export const STANDINGS_PAGE_SIZE = 30;

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function rankChangeText(row: StandingChange): string {
  if (row.rankChange === null) return '新上榜';
  if (row.rankChange === 0) return '持平';
  return row.rankChange > 0 ? `↑${row.rankChange}` : `↓${-row.rankChange}`;
}

/** One unit's place and every line of its score, for its head (or a leader asking for it). */
function unitDetail(row: StandingChange, s: Standings): CardElement[] {
  const lines = row.lines.length > 0 ? row.lines.map((l) => `- ${md(l.label)}：${signed(l.points)} 分`).join('\n') : '- 本期暂无得分项';
  return [
    markdown(
      `**${md(row.unitName)}**：第 **${row.rank}** 名 / ${s.rows.length}，得分 **${row.total}**\n` +
        `较${s.previous.label}：名次 ${rankChangeText(row)}，得分 ${signed(row.scoreChange)}\n${lines}`,
    ),
    hr(),
  ];
}

/**
 * The standings card: a unit's detail when one is shown, then one page of the table with a bar
 * chart of the same rows, and buttons to the other pages.
 */
export function standingsCard(s: Standings, options: { unitId?: number; page: number; pageValue: (page: number) => Record<string, string> }): Card {
  const pages = standingsPages(s.rows, STANDINGS_PAGE_SIZE);
  const page = pages[Math.min(Math.max(options.page, 1), pages.length) - 1]!;
  const detail = s.rows.find((r) => r.unitId === options.unitId);
  const elements: CardElement[] = detail ? unitDetail(detail, s) : [];
  if (s.rows.length === 0) {
    elements.push(markdown('名册中还没有单位，暂无排名。'));
    return card(`📊 ${s.period.label} 考核排名`, 'blue', elements);
  }
  elements.push(
    {
      tag: 'table',
      page_size: 10,
      row_height: 'low',
      columns: [
        { name: 'rank', display_name: '名次', data_type: 'number', width: 'auto' },
        { name: 'unit', display_name: '单位', data_type: 'text' },
        { name: 'score', display_name: '得分', data_type: 'number', format: { precision: 2 } },
        { name: 'change', display_name: `较${s.previous.label}`, data_type: 'text' },
      ],
      rows: page.rows.map((r) => ({ rank: r.rank, unit: r.unitName, score: r.total, change: rankChangeText(r) })),
    },
    {
      tag: 'chart',
      aspect_ratio: '16:9',
      chart_spec: {
        type: 'bar',
        data: [{ id: 'scores', values: page.rows.map((r) => ({ unit: r.unitName, score: r.total })) }],
        xField: 'unit',
        yField: 'score',
        label: { visible: true },
      },
    },
  );
  if (page.pageCount > 1) {
    const nav: CardElement[] = [];
    if (page.page > 1) nav.push(button('上一页', options.pageValue(page.page - 1)));
    if (page.page < page.pageCount) nav.push(button('下一页', options.pageValue(page.page + 1)));
    elements.push(markdown(`第 ${page.page}/${page.pageCount} 页`), buttonRow(nav));
  }
  return card(`📊 ${s.period.label} 考核排名`, 'blue', elements);
}
