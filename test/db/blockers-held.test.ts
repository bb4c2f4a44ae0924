import { describe, expect, it, onTestFinished } from 'vitest';
import { createBlockersRepository } from '../../db/blockers-repository';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { formatProjectCode } from '../../domain/project-code';
import { tempDir } from '../support/temp-dir';
import { openTestStore } from '../support/test-store';

describe('the blockers someone holds, for their morning digest', () => {
  it('are a unit head’s unit’s, a handler’s own, and, for a coordinator standing in, those of units with no head', async () => {
    const dir = tempDir('blockers-held');
    const store = await openTestStore(dir.path);
    onTestFinished(async () => {
      await store.close();
      dir.remove();
    });
    const clock = () => Date.parse('2026-12-01T10:00:00+08:00');
    const units = createUnitsRepository({ store, clock });
    const people = createPeopleRepository({ store, clock });
    const headed = await units.upsert('县供电公司', 'department');
    const headless = await units.upsert('县水务局', 'department');
    await people.upsertFromRoster({ openId: 'ou_head', name: '郑经理', unitId: headed.id, role: 'unit_head' });
    await people.upsertFromRoster({ openId: 'ou_clerk', name: '冯专员', unitId: headed.id, role: 'official' });
    await people.upsertFromRoster({ openId: 'ou_coordinator', name: '王主任', unitId: null, role: 'coordinator' });
    const { project } = await createProjectsRepository({ store, clock }).register(
      {
        year: 2026,
        name: '包装饮用水',
        investor: '某水业',
        investorKey: '某水业',
        plannedInvestmentWan: null,
        industry: null,
        channel: null,
        referrer: null,
        note: null,
        unitId: headed.id,
        ownerOpenId: 'ou_clerk',
        leaderOpenId: null,
        createdBy: 'ou_clerk',
        sourceChatId: null,
        sourceKey: 'lead-1',
      },
      formatProjectCode,
    );
    const repo = createBlockersRepository({ store, clock });
    const raise = async (unitId: number, description: string, key: string) =>
      (
        await repo.raise(
          { projectId: project.id, actorOpenId: 'ou_clerk', sourceKey: key },
          { type: 'blocker', kind: '用水', complaint: false, description, unitId, dueDate: '2026-12-10', raisedDay: '2026-12-01', sourceChatId: null },
          'blocker_raised',
        )
      ).blocker;
    await raise(headed.id, '专线未接入', 'b1');
    const handed = await raise(headed.id, '变压器待更换', 'b2');
    await raise(headless.id, '临时用水未通', 'b3');
    await repo.step(
      { projectId: project.id, actorOpenId: 'ou_head', sourceKey: 's1' },
      handed,
      ['open'],
      { status: 'accepted', handlerOpenId: 'ou_clerk' },
      'blocker_accept',
      {},
    );
    const held = async (openId: string, standsIn = false) => (await repo.heldBy(openId, standsIn)).map((b) => b.description);
    expect(await held('ou_head')).toEqual(['专线未接入']);
    expect(await held('ou_clerk')).toEqual(['变压器待更换']);
    expect(await held('ou_coordinator', true)).toEqual(['临时用水未通']);
    expect(await held('ou_coordinator', false)).toEqual([]);
  });
});
