/**
 * The quarterly bulletin's card: the projects stalled longest, the
 * 落地服务 section per responsible unit, the decisions not carried out, and 承诺兑现.
 */
import { describe, expect, it } from 'vitest';
import { bulletinCard } from '../../../bot/standings/bulletin-cards';
import type { CommitmentsDue, MissedCommitment, PendingDecision, UnitBlockers } from '../../../db/bulletin-repository';
import type { Episode } from '../../../db/escalations-repository';
import type { Project } from '../../../db/projects-repository';
import { textOf } from '../../support/bot-harness';

const period = { kind: 'quarter' as const, from: '2026-07-01', to: '2026-09-30', label: '2026年第3季度' };
const project = (code: string, name: string) => ({ id: 1, code, name, ownerOpenId: 'ou_owner' }) as Project;
const episode = (causeKey: string, cause: Episode['cause']) => ({ id: 1, projectId: 1, causeKey, cause, openedAt: new Date(0) }) as Episode;

const stalled = {
  episode: episode('inactive', { kind: 'inactive', lastActivityDay: '2026-08-01', workingDays: 25 }),
  project: project('ZS-2026-0002', '包装饮用水'),
};
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

const missed = (more: Partial<MissedCommitment>): MissedCommitment => ({
  code: 'ZS-2026-0001',
  unitName: '县工信局',
  description: '厂房租金前三年全免',
  dueDate: '2026-09-01',
  keptDay: null,
  amountWan: 120,
  deliveredWan: 40,
  ...more,
});
const noCommitments: CommitmentsDue = { due: 0, onTime: 0, late: 0, notKept: 0, notYetDue: 0, missed: [] };

const text = (input: Partial<Parameters<typeof bulletinCard>[0]>) =>
  textOf({
    latestContent: bulletinCard({
      period,
      rows: [],
      stalled: { longest: [], total: 0 },
      lost: [],
      summons: [],
      blockers: [],
      decisions: [],
      commitments: noCommitments,
      ...input,
    }),
  } as never);

describe('bulletin card', () => {
  it('names the projects stalled longest and counts the rest', () => {
    const shown = text({ stalled: { longest: [stalled], total: 12 } });
    expect(shown).toMatch(/停滞最久的项目\*\*\n\*\*ZS-2026-0002\*\* 包装饮用水：已 25 个工作日无进展/);
    expect(shown).toMatch(/另有 11 个停滞项目/);
    expect(text({ stalled: { longest: [stalled], total: 1 } })).not.toContain('另有');
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

  it('counts the commitments due in the quarter and lists those not kept or kept late, amounts as delivered / promised', () => {
    const shown = text({
      commitments: {
        due: 6,
        onTime: 3,
        late: 1,
        notKept: 2,
        notYetDue: 0,
        missed: [
          missed({ description: `${'免'.repeat(50)}*` }),
          missed({ code: 'ZS-2026-0002', unitName: '县交通局', description: '进场道路修通', dueDate: '2026-09-20', amountWan: null, deliveredWan: 0 }),
          missed({
            code: 'ZS-2026-0003',
            unitName: '县财政局',
            description: '设备补贴',
            dueDate: '2026-08-01',
            keptDay: '2026-08-20',
            amountWan: 1.2,
            deliveredWan: 1.2,
          }),
        ],
      },
    });
    expect(shown).toContain(
      [
        '**承诺兑现**',
        '本期到期承诺 6 项：按期兑现 3 项，逾期兑现 1 项，未兑现 2 项',
        `**ZS-2026-0001** 县工信局：${'免'.repeat(39)}…（时限 2026-09-01，未兑现，累计兑现 40万元 / 120万元）`,
        '**ZS-2026-0002** 县交通局：进场道路修通（时限 2026-09-20，未兑现）',
        '**ZS-2026-0003** 县财政局：设备补贴（时限 2026-08-01，2026-08-20 逾期兑现，累计兑现 1.2万元 / 1.2万元）',
      ].join('\n'),
    );
    expect(shown).not.toContain('未到时限');
  });

  it('counts the commitments not yet due while the quarter runs, and names none when all were kept on time', () => {
    const shown = text({ commitments: { ...noCommitments, due: 3, onTime: 2, notYetDue: 1 } });
    expect(shown).toMatch(/\*\*承诺兑现\*\*\n本期到期承诺 3 项：按期兑现 2 项，逾期兑现 0 项，未兑现 0 项，未到时限 1 项$/m);
  });

  it('escapes user text and counts what it leaves out', () => {
    const units = Array.from({ length: 12 }, (_, i) => unit(`*镇${i}*`, 1, 1, 0, i));
    const decisions = Array.from({ length: 11 }, () => decision({ description: '[接通](http://e)' }));
    const late = Array.from({ length: 13 }, () => missed({ unitName: '*县工信局*', description: '[免租](http://e)' }));
    const shown = text({ blockers: units, decisions, commitments: { ...noCommitments, due: 13, notKept: 13, missed: late } });
    expect(shown).toContain('&#42;镇0&#42;：办结 1 个');
    expect(shown).toContain('&#91;接通&#93;&#40;http&#58;&#47;&#47;e&#41;');
    expect(shown).toContain('&#42;县工信局&#42;：&#91;免租&#93;&#40;http&#58;&#47;&#47;e&#41;');
    expect(shown).toContain('…另有 2 个责任单位（/问题清单 查看）');
    expect(shown).toContain('…另有 1 项议定事项（/台账 查看）');
    expect(shown).toContain('…另有 3 项承诺（/台账 查看）');
  });

  it('says so when there is nothing to report', () => {
    const shown = text({});
    expect(shown).toContain('**落地服务**\n本期无办结或逾期问题');
    expect(shown).toContain('**议定事项未落实**\n无');
    expect(shown).toContain('**承诺兑现**\n本期无到期承诺');
  });
});
