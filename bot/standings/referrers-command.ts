import { sql } from 'drizzle-orm';
import { readerOf } from '../../db/people-repository';
import { instant, jsonText, listOf } from '../../db/sql-dialect';
import type { Store } from '../../db/store';
import { parsePeriod, periodInstants } from '../../domain/periods';
import { PIPELINE_STAGES, type ReferrerReward, rewardDue } from '../../domain/referrers';
import { stageName } from '../../domain/stages';
import { registerRefusal, registerScope, type VisibilityRules } from '../../domain/visibility';
import type { ProjectStage } from '../../domain/vocabulary';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import type { CommandSpec } from '../common/command-table';
import { type ReferredLine, referrersCard } from './referrer-cards';

interface ReferredProject {
  code: string;
  name: string;
  referrer: string;
  stage: ProjectStage;
  unitId: number | null;
  /** Every stage the project ever moved into, from its history. */
  stagesReached: string | null;
}

/**
 * `/引荐 [期间]` (全民招商): projects by referrer with the stage reached and whether the county's
 * reward condition is met. County-wide roles see every unit's; others their own unit's.
 */
export function referrersCommand(deps: {
  store: Store;
  rule: ReferrerReward;
  timeZone: string;
  today: () => string;
  visibility: VisibilityRules;
}): CommandSpec {
  return {
    name: 'referrers',
    aliases: ['引荐'],
    summary: '按引荐人列出项目、达到的阶段及奖励条件是否满足（可写期间：按登记时间）',
    example: '/引荐 2026',
    async run(ctx, args) {
      const parsed = args.trim() === '' ? undefined : parsePeriod(args, deps.today());
      if (parsed && !parsed.ok) return ctx.reply(textMessage(`❌ ${parsed.problem}\n${parsed.hint}`));
      const scope = registerScope(readerOf(ctx.sender), deps.visibility);
      if (scope.kind === 'none') return ctx.reply(textMessage(registerRefusal(readerOf(ctx.sender))));
      const { dialect } = deps.store;
      const registered = parsed?.ok ? periodInstants(parsed.period, deps.timeZone) : undefined;
      const rows = await deps.store.rows<ReferredProject>(sql`
        select p.code, p.name, p.referrer, p.stage, p.unit_id "unitId",
               (select ${listOf(dialect, jsonText(dialect, sql.raw('h.changes'), 'to'))} from project_history h
                where h.project_id = p.id and h.action = 'stage_moved') "stagesReached"
        from projects p
        where p.referrer is not null and p.referrer <> ''
          ${registered ? sql`and p.created_at >= ${instant(dialect, registered.fromMs)} and p.created_at < ${instant(dialect, registered.toMs)}` : sql``}
          ${scope.kind === 'all' ? sql`` : sql`and p.unit_id = ${scope.unitId}`}
        order by p.referrer, p.code`);
      if (rows.length === 0) return ctx.reply(textMessage('这段时间没有登记引荐人的项目。'));
      const byReferrer = new Map<string, ReferredLine[]>();
      for (const r of rows) {
        const highest = PIPELINE_STAGES.filter((stage) => (r.stagesReached ?? '').split(',').includes(stage)).at(-1);
        const list = byReferrer.get(r.referrer) ?? [];
        list.push({ code: r.code, name: r.name, stage: r.stage, rewardDue: rewardDue(r.stage, highest, deps.rule) });
        byReferrer.set(r.referrer, list);
      }
      const title = `🤝 引荐情况${parsed?.ok ? ` · ${parsed.period.label}` : ''}（奖励条件：达到${stageName(deps.rule.stage)}）`;
      await ctx.reply(cardMessage(referrersCard(title, byReferrer)));
    },
  };
}
