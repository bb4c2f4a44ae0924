import { describe, expect, it } from 'vitest';
import { type Actor, mayChangeProject, mayLogProgress, type ProjectParties, whoMayChange, whoMayLogProgress } from '../../domain/permissions';

const parties: ProjectParties = { ownerOpenId: 'ou_owner', leaderOpenId: 'ou_leader', unitId: 7, unitHeadOpenId: 'ou_head' };

const official = (openId: string, unitId: number | null = null): Actor => ({ openId, role: 'official', unitId });

describe('mayChangeProject and mayLogProgress', () => {
  it.each([
    ['the owner', official('ou_owner'), true, true],
    ['the project leader', { openId: 'ou_leader', role: 'leader', unitId: null }, true, true],
    ['the unit head named for the project', official('ou_head', 3), true, true],
    ['a unit head of the same unit', { openId: 'ou_head2', role: 'unit_head', unitId: 7 }, true, true],
    ['a coordinator', { openId: 'ou_c', role: 'coordinator', unitId: 1 }, true, true],
    ['an admin', { openId: 'ou_a', role: 'admin', unitId: null }, true, true],
    ['an official of the project unit', official('ou_member', 7), false, true],
    ['an official of another unit', official('ou_other', 8), false, false],
    ['an official with no unit', official('ou_other'), false, false],
    ['a unit head of another unit', { openId: 'ou_head3', role: 'unit_head', unitId: 8 }, false, false],
    ['another county leader', { openId: 'ou_leader2', role: 'leader', unitId: null }, false, false],
  ] satisfies [string, Actor, boolean, boolean][])('%s: change %s, log progress %s', (_, actor, change, log) => {
    expect(mayChangeProject(actor, parties)).toBe(change);
    expect(mayLogProgress(actor, parties)).toBe(log);
  });

  it('does not take "no unit" as a shared unit', () => {
    const unitless: ProjectParties = { ...parties, unitId: null, unitHeadOpenId: null };
    expect(mayLogProgress(official('ou_x', null), unitless)).toBe(false);
    expect(mayChangeProject({ openId: 'ou_h', role: 'unit_head', unitId: null }, unitless)).toBe(false);
  });
});

describe('whoMayChange and whoMayLogProgress', () => {
  it('name the roles of a project with a unit and a leader', () => {
    const change = whoMayChange(parties);
    for (const who of ['负责人', '单位', '包抓领导', '招商服务中心', '管理员']) expect(change).toContain(who);
    expect(whoMayLogProgress(parties)).toContain('干部');
    expect(change).not.toContain('干部');
  });

  it('leave out the roles a project does not have', () => {
    const bare: ProjectParties = { ownerOpenId: 'ou_owner', leaderOpenId: null, unitId: null, unitHeadOpenId: null };
    expect(whoMayChange(bare)).not.toContain('包抓领导');
    expect(whoMayChange(bare)).not.toContain('单位');
    expect(whoMayLogProgress(bare)).not.toContain('单位');
  });
});
