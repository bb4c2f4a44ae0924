import type { LedgerFilter, LedgerRepository } from '../../db/ledger-repository';
import { readerOf, type UnitsRepository } from '../../db/people-repository';
import type { Catalog } from '../../domain/catalog';
import { parseStage } from '../../domain/stages';
import { registerRefusal, registerScope, type VisibilityRules } from '../../domain/visibility';
import { fileMessage, textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import { buildLedgerWorkbook, channelNames } from './ledger-workbook';

const EXAMPLE = '/台账 城关镇 签约 2026';

/**
 * `/台账 [单位] [阶段] [年份]`: the project ledger as an .xlsx sent into the chat, with a second
 * sheet of the blockers and decisions, and a third of the commitments, of those projects and of
 * those units as responsible units.
 * County-wide roles export any unit's projects; everyone else only their own unit's.
 */
export function ledgerCommand(deps: {
  ledger: LedgerRepository;
  units: UnitsRepository;
  catalog: Catalog;
  uploadFile: (name: string, bytes: Buffer) => Promise<string>;
  timeZone: string;
  today: () => string;
  visibility: VisibilityRules;
}): CommandSpec {
  return {
    name: 'export',
    aliases: ['台账'],
    summary: '导出项目台账（Excel），可按单位、阶段、登记年份筛选',
    example: EXAMPLE,
    async run(ctx, args) {
      const filter: LedgerFilter = {};
      const named: string[] = [];
      for (const word of args.trim().split(/\s+/u).filter(Boolean)) {
        const unit = await deps.units.byName(word);
        const stage = parseStage(word);
        if (unit) {
          named.push(unit.name);
          filter.unitIds = [...(filter.unitIds ?? []), unit.id];
        } else if (/^\d{4}年?$/u.test(word)) filter.year = Number(word.slice(0, 4));
        else if (stage.ok) filter.stage = stage.stage;
        else return ctx.reply(textMessage(`❌ 看不懂「${word}」：可写单位全称、阶段（如 签约）或登记年份（如 2026）。例：${EXAMPLE}`));
      }
      const scope = registerScope(readerOf(ctx.sender), deps.visibility);
      if (scope.kind === 'none') return ctx.reply(textMessage(registerRefusal(readerOf(ctx.sender))));
      if (scope.kind === 'unit') {
        if (filter.unitIds?.some((id) => id !== scope.unitId))
          return ctx.reply(textMessage('只能导出本单位的台账；县级领导、招商服务中心和督查组可导出各单位。'));
        filter.unitIds = [scope.unitId];
      }
      const blockers = await deps.ledger.blockerRows(filter);
      const commitments = await deps.ledger.commitmentRows(filter);
      const title = `招商引资项目台账${named.length > 0 ? `（${named.join('、')}）` : ''}`;
      const today = deps.today();
      const { bytes, projects } = await buildLedgerWorkbook(
        deps.ledger.rows(filter),
        { title, today, timeZone: deps.timeZone, channelNames: channelNames(deps.catalog) },
        blockers,
        commitments,
      );
      const fileKey = await deps.uploadFile(`招商台账-${today}.xlsx`, bytes);
      await ctx.reply(fileMessage(fileKey), 'ledger-file');
      await ctx.reply(textMessage(`已导出 ${projects} 个项目，${blockers.length} 个问题和议定事项，${commitments.length} 项承诺。`));
    },
  };
}
