import { describe, expect, it } from 'vitest';
import type { ProjectParties } from '../../domain/permissions';
import { mayReadProject, type Reader, registerScope, visibilityRulesSchema } from '../../domain/visibility';

const parties: ProjectParties = { ownerOpenId: 'ou_owner', leaderOpenId: 'ou_leader', unitId: 1, unitHeadOpenId: 'ou_head' };
const reader = (over: Partial<Reader>): Reader => ({ openId: 'ou_reader', role: 'official', unitId: 2, onRoster: true, ...over });
const defaults = visibilityRulesSchema.parse({});

describe('reading one project', () => {
  it('is refused to anyone outside the roster, even its owner', () => {
    expect(mayReadProject(reader({ onRoster: false }), parties, defaults)).toBe(false);
    expect(mayReadProject(reader({ openId: 'ou_owner', onRoster: false }), parties, defaults)).toBe(false);
  });

  it('is open to everyone on the roster by default, as it always was', () => {
    for (const role of ['official', 'unit_head', 'leader', 'coordinator', 'supervisor', 'admin'] as const) {
      expect(mayReadProject(reader({ role }), parties, defaults), role).toBe(true);
    }
  });

  it('follows the county’s choice per role: the unit’s projects, or only those one answers for', () => {
    const rules = visibilityRulesSchema.parse({ project: { official: 'unit', unit_head: 'own' } });
    expect(mayReadProject(reader({ unitId: 1 }), parties, rules)).toBe(true);
    expect(mayReadProject(reader({ unitId: 2 }), parties, rules)).toBe(false);
    expect(mayReadProject(reader({ unitId: 2, openId: 'ou_owner' }), parties, rules)).toBe(true);
    expect(mayReadProject(reader({ role: 'unit_head', unitId: 1 }), parties, rules)).toBe(false);
    expect(mayReadProject(reader({ role: 'unit_head', openId: 'ou_head' }), parties, rules)).toBe(true);
    expect(mayReadProject(reader({ role: 'leader' }), parties, rules)).toBe(true);
  });

  it('refuses a county setting that is not a scope', () => {
    expect(visibilityRulesSchema.safeParse({ project: { official: 'none' } }).success).toBe(false);
  });
});

describe('reading a register', () => {
  it.each([
    [reader({ onRoster: false, role: 'coordinator' }), { kind: 'none' }],
    [reader({ role: 'official', unitId: 2 }), { kind: 'unit', unitId: 2 }],
    [reader({ role: 'official', unitId: null }), { kind: 'none' }],
    [reader({ role: 'leader', unitId: null }), { kind: 'all' }],
    [reader({ role: 'supervisor' }), { kind: 'all' }],
  ])('%o → %o', (who, scope) => {
    expect(registerScope(who, defaults)).toEqual(scope);
  });

  it('can be closed to a role', () => {
    expect(registerScope(reader({}), visibilityRulesSchema.parse({ registers: { official: 'none' } }))).toEqual({ kind: 'none' });
  });
});
