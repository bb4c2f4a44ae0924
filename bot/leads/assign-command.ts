import type { PeopleRepository, UnitsRepository } from '../../db/people-repository';
import type { ProjectsRepository } from '../../db/projects-repository';
import { formatProjectCode, parseProjectCode } from '../../domain/project-code';
import { cardMessage, textMessage } from '../../jobs/send/messages';
import { idempotencyKey, type Outbox } from '../../jobs/send/outbox';
import type { CommandSpec } from '../common/command-table';
import { unitAssignedCard } from './lead-cards';
import type { LeadRegistration } from './lead-registration';

const EXAMPLE = '/指派 ZS-2026-0001 城关镇';

/**
 * `/指派 项目编号 单位`: coordinators and admins give a project registered without a unit (or
 * with the wrong one) its responsible unit. The unit's head is told.
 */
export function assignCommand(deps: {
  projects: ProjectsRepository;
  units: UnitsRepository;
  people: PeopleRepository;
  registration: LeadRegistration;
  outbox: Outbox;
  /** The project's work group (专班), if any, takes in its new unit's head. */
  involve: (projectId: number) => Promise<void>;
}): CommandSpec {
  return {
    name: 'assign',
    aliases: ['指派'],
    summary: '为项目指定责任单位（招商服务中心、管理员）',
    example: EXAMPLE,
    async run(ctx, args) {
      if (ctx.sender.role !== 'coordinator' && ctx.sender.role !== 'admin') {
        await ctx.reply(textMessage('只有招商服务中心或管理员可以指派责任单位。'));
        return;
      }
      const [codeText = '', ...rest] = args.trim().split(/\s+/u);
      const unitName = rest
        .join(' ')
        .replace(/^(单位|unit)\s*[:：=＝]\s*/u, '')
        .trim();
      const code = parseProjectCode(codeText);
      const project = code ? await deps.projects.byCode(formatProjectCode(code.year, code.seq)) : undefined;
      if (!project || !unitName) {
        const problem = !code ? `「${codeText}」不是项目编号` : !project ? `没有项目 ${codeText}` : '缺少单位名称';
        await ctx.reply(textMessage(`${problem}。写法：${EXAMPLE}`));
        return;
      }
      const unit = await deps.units.byName(unitName);
      if (!unit) {
        const closest = await deps.units.closestNames(unitName);
        await ctx.reply(textMessage(`名册中没有单位「${unitName}」。${closest.length > 0 ? `您是否要写：${closest.join('、')}？` : ''}写法：${EXAMPLE}`));
        return;
      }
      const assigned = await deps.projects.assignUnit(project.id, unit.id, ctx.sender.openId);
      await deps.involve(project.id);
      await ctx.reply(cardMessage(await deps.registration.confirmationCard(assigned)));
      const head = await deps.people.unitHead(unit.id);
      if (head) {
        const notice = unitAssignedCard(assigned, unit.name, ctx.sender.openId);
        await deps.outbox.send('open_id', head.openId, cardMessage(notice), idempotencyKey('assigned', assigned.code, String(unit.id), head.openId));
      }
    },
  };
}
