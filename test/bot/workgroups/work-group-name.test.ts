import { describe, expect, it } from 'vitest';
import { workGroupName } from '../../../bot/workgroups/work-groups';

describe('a work group’s name', () => {
  it('is 【专班】, the project’s name and its code', () => {
    expect(workGroupName({ name: '富硒茶深加工', code: 'ZS-2026-0001' })).toBe('【专班】富硒茶深加工 ZS-2026-0001');
  });

  it('cuts a long project name so the whole fits Lark’s 60 characters, the code kept whole', () => {
    const name = workGroupName({ name: '茶'.repeat(100), code: 'ZS-2026-10000' });
    expect([...name].length).toBe(60);
    expect(name.endsWith('… ZS-2026-10000')).toBe(true);
  });
});
