/**
 * The quarterly bulletin's card: the stalled projects without overdue blockers' alarms, the
 * 落地服务 section per responsible unit, and the decisions not carried out.
 */
import { describe, expect, it } from 'vitest';
import { bulletinCard } from '../../../bot/standings/bulletin-cards';
import type { PendingDecision, UnitBlockers } from '../../../db/bulletin-repository';
import type { Episode } from '../../../db/escalations-repository';
import type { Project } from '../../../db/projects-repository';
import { textOf } from '../../support/bot-harness';

const period = { kind: 'quarter' as const, from: '2026-07-01', to: '2026-09-30', label: '2026年第3季度' };
const project = (code: string, name: string) => ({ id: 1, code, name, ownerOpenId: 'ou_owner' }) as Project;
const episode = (causeKey: string, cause: Episode['cause']) => ({ id: 1, projectId: 1, causeKey, cause, openedAt: new Date(0) }) as Episode;

const stalled = [
  {
    episode: episode('blocker-7', {
      kind: 'blocker_overdue',
      blockerId: 7,
      type: 'blocker',
      blockerKind: '用电',
      description: '10kV专线未接入',
      unitName: '县供电公司',
      dueDate: '2026-09-01',
      workingDays: 3,
    }),
    project: project('ZS-2026-0001', '富硒茶深加工'),
  },
  { episode: episode('inactive', { kind: 'inactive', lastActivityDay: '2026-08-01', workingDays: 25 }), project: project('ZS-2026-0002', '包装饮用水') },
];
const unit = (unitName: string, resolved: number, resolvedOnTime: number, overdue: number, unitId = 1): UnitBlockers => ({
  unitId,
  unitName,
  resolved,
  resolvedOnTime,
  overdue,
});
const decision = (more: Partial<PendingDecision>): PendingDecision => ({
  code: 'ZS-2026-0001',
  unitName: '县供电公司',
  description: '10kV专线于9月底前接通',
  dueDate: '2026-09-01',
  status: 'accepted',
  overdue: true,
  ...more,
});

const text = (input: Partial<Parameters<typeof bulletinCard>[0]>) =>
  textOf({ latestContent: bulletinCard({ period, rows: [], stalled: [], lost: [], summons: [], blockers: [], decisions: [], ...input }) } as never);

describe('bulletin card', () => {
  it('leaves overdue blockers’ alarms out of the stalled projects', () => {
    const shown = text({ stalled });
    expect(shown).toMatch(/停滞最久的项目\*\*\n\*\*ZS-2026-0002\*\* 包装饮用水：已 25 个工作日无进展/);
    expect(shown).not.toContain('ZS-2026-0001');
    expect(shown).not.toContain('另有');
  });

  it('counts each responsible unit’s blockers resolved (on time) and overdue', () => {
    const shown = text({ blockers: [unit('县供电公司', 3, 2, 1), unit('县自然资源局', 1, 1, 0, 2)] });
    expect(shown).toContain('**落地服务**\n县供电公司：办结 3 个（按期 2 个），逾期 1 个\n县自然资源局：办结 1 个（按期 1 个），逾期 0 个');
  });

  it('lists the decisions not carried out with unit, project, clipped text and due date', () => {
    const shown = text({
      decisions: [
        decision({ description: `${'接'.repeat(50)}*` }),
        decision({ code: 'ZS-2026-0002', unitName: '县交通局', status: 'returned' }),
        decision({ code: 'ZS-2026-0003', unitName: '县水利局', dueDate: '2026-12-01', overdue: false }),
      ],
    });
    expect(shown).toContain(
      [
        '**议定事项未落实**',
        `**ZS-2026-0001** 县供电公司：${'接'.repeat(39)}…（时限 2026-09-01，已逾期）`,
        '**ZS-2026-0002** 县交通局：10kV专线于9月底前接通（时限 2026-09-01，已退回待改派）',
        '**ZS-2026-0003** 县水利局：10kV专线于9月底前接通（时限 2026-12-01）',
      ].join('\n'),
    );
  });

  it('escapes user text and counts what it leaves out', () => {
    const units = Array.from({ length: 12 }, (_, i) => unit(`*镇${i}*`, 1, 1, 0, i));
    const decisions = Array.from({ length: 11 }, () => decision({ description: '[接通](http://e)' }));
    const shown = text({ blockers: units, decisions });
    expect(shown).toContain('&#42;镇0&#42;：办结 1 个');
    expect(shown).toContain('&#91;接通&#93;&#40;http&#58;&#47;&#47;e&#41;');
    expect(shown).toContain('…另有 2 个责任单位（/问题清单 查看）');
    expect(shown).toContain('…另有 1 项议定事项（/台账 查看）');
  });

  it('says so when there is nothing to report', () => {
    const shown = text({});
    expect(shown).toContain('**落地服务**\n本期无办结或逾期问题');
    expect(shown).toContain('**议定事项未落实**\n无');
  });
});
