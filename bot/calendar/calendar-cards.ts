import { type Card, card, markdown, md } from '../common/card-kit';

/** The coordinators are asked for a year's public holidays the calendar data lacks. */
export function holidayDataMissingCard(missingYears: number[], overridesPath: string): Card {
  return card('📅 请补充节假日安排', 'orange', [
    markdown(
      `节假日数据缺少 **${missingYears.join('、')} 年**，提醒可能落在法定节假日或漏掉调休上班日。\n` +
        `请按国务院办公厅通知，在 ${md(overridesPath)} 中补充该年的放假日期（holidays）和调休上班日期（workdays），然后重启机器人。`,
    ),
  ]);
}
