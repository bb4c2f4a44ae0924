import { type PeopleRepository, type Person, readerOf, type UnitsRepository } from '../../db/people-repository';
import { PERIOD_FORMS, parsePeriod } from '../../domain/periods';
import { registerScope, type VisibilityRules } from '../../domain/visibility';
import type { CardCallbackResponse } from '../../jobs/queues';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import { type CardActionTable, toast } from '../common/card-action';
import type { CommandSpec } from '../common/command-table';
import type { StandingsService } from './standings';
import { standingsCard } from './standings-cards';

const EXAMPLE = '/排名 2026Q3';

/**
 * `/排名 [期间] [单位]`: the standings for a period (this quarter by default). Everyone sees the
 * table; a unit's score breakdown is shown to its own people, and to county-wide roles for any unit.
 */
export function standingsFeature(deps: { standings: StandingsService; units: UnitsRepository; people: PeopleRepository; visibility: VisibilityRules }) {
  type Answer = { ok: true; card: ReturnType<typeof standingsCard> } | { ok: false; message: string };

  async function answer(viewer: Person, periodText: string, unitName: string | undefined, page: number): Promise<Answer> {
    const parsed = parsePeriod(periodText, deps.standings.today());
    if (!parsed.ok) return { ok: false, message: `${parsed.problem}\n${parsed.hint}` };
    const asked = unitName ? await deps.units.byName(unitName) : undefined;
    if (unitName && !asked) return { ok: false, message: `名册中没有单位「${unitName}」。例：${EXAMPLE} 城关镇` };
    const countyWide = registerScope(readerOf(viewer), deps.visibility).kind === 'all';
    if (asked && !countyWide && asked.id !== viewer.unitId)
      return { ok: false, message: '只能查看本单位的得分明细；县级领导、招商服务中心和督查组可查看各单位。' };
    const unitId = asked?.id ?? viewer.unitId ?? undefined;
    const pageValue = (n: number) => ({ action: 'standings.page', period: periodText, unit: asked?.name ?? '', page: String(n) });
    return { ok: true, card: standingsCard(await deps.standings.compute(parsed.period), { unitId, page, pageValue }) };
  }

  /** The period is everything but a trailing unit name. */
  async function splitArgs(args: string): Promise<{ periodText: string; unitName?: string }> {
    const words = args.trim().split(/\s+/u).filter(Boolean);
    const last = words.at(-1);
    if (last && (await deps.units.byName(last))) return { periodText: words.slice(0, -1).join(' '), unitName: last };
    return { periodText: words.join(' ') };
  }

  const command: CommandSpec = {
    name: 'standings',
    aliases: ['排名'],
    summary: '考核排名：本季度（或指定期间）各单位得分、名次和变化；可加单位名看明细',
    example: EXAMPLE,
    details: `期间可写：${PERIOD_FORMS}；不写为本季度。县级领导、招商服务中心、督查组可加单位名查看任一单位明细，如 /排名 2026Q3 城关镇`,
    async run(ctx, args) {
      const { periodText, unitName } = await splitArgs(args);
      const result = await answer(ctx.sender, periodText, unitName, 1);
      await ctx.reply(result.ok ? cardMessage(result.card) : textMessage(`❌ ${result.message}`));
    },
  };

  const actions: CardActionTable = {
    // The value only says which page: what the operator may see is decided again, as for the command.
    'standings.page': async (a): Promise<CardCallbackResponse> => {
      const v = a.action.value;
      const viewer = await deps.people.recordSeen({ openId: a.operator.open_id, name: '' });
      const result = await answer(viewer, String(v.period ?? ''), String(v.unit ?? '') || undefined, Number(v.page ?? 1));
      return result.ok ? { card: { type: 'raw', data: result.card } } : toast('error', result.message);
    },
  };
  return { command, actions };
}
