import { lastQuarterEndedBy, parsePeriod } from '../../domain/periods';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import type { Bulletin } from './bulletin';
import type { StandingsService } from './standings';

/** `/通报 [期间]`: the bulletin on demand; by default the last quarter that ended. */
export function bulletinCommand(deps: { bulletin: Bulletin; standings: StandingsService }): CommandSpec {
  return {
    name: 'bulletin',
    aliases: ['通报'],
    summary: '季度通报：排名、进退、停滞最久、流失与约谈、落地服务与议定事项（默认上一季度）',
    example: '/通报 2026Q3',
    async run(ctx, args) {
      const today = deps.standings.today();
      const parsed = args.trim() === '' ? { ok: true as const, period: lastQuarterEndedBy(today) } : parsePeriod(args, today);
      if (!parsed.ok) return ctx.reply(textMessage(`❌ ${parsed.problem}\n${parsed.hint}`));
      await ctx.reply(cardMessage(await deps.bulletin.bulletinCard(parsed.period)));
    },
  };
}
