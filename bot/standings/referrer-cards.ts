import { stageName } from '../../domain/stages';
import type { ProjectStage } from '../../domain/vocabulary';
import { type Card, card, clip, fitLines, markdown, md, withMore } from '../common/card-kit';

/** One referred project as `/引荐` lists it. */
export interface ReferredLine {
  code: string;
  name: string;
  stage: ProjectStage;
  rewardDue: boolean;
}

/** Under each referrer, this many projects are listed and the rest counted. */
const PROJECTS_PER_REFERRER = 20;

/** `/引荐`: projects by referrer with the stage reached and whether the reward is due; as many referrers as the card holds. */
export function referrersCard(title: string, byReferrer: ReadonlyMap<string, ReferredLine[]>): Card {
  const sections = [...byReferrer.entries()].map(([referrer, projects]) => {
    const lines = projects
      .slice(0, PROJECTS_PER_REFERRER)
      .map((p) => `- **${p.code}** ${md(clip(p.name, 40))} · ${stageName(p.stage)}${p.rewardDue ? ' · ✅ 奖励条件已满足' : ''}`);
    return `**${md(clip(referrer, 60))}**（${projects.length} 个项目）\n${withMore(lines, projects.length - lines.length, '个项目').join('\n')}`;
  });
  const { shown, left } = fitLines(sections);
  return card(title, 'turquoise', [markdown(withMore(shown, left, '位引荐人（可按期间查看，如 /引荐 2026Q3）').join('\n\n'))]);
}
