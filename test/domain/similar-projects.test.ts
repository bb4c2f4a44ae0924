import { describe, expect, it } from 'vitest';
import { findSimilarProjects, investorKey, isSimilarProjectName } from '../../domain/similar-projects';

describe('investorKey', () => {
  it.each([
    ['某茶业有限公司', '某茶业公司 '],
    ['某茶业有限公司', '某茶业有限责任公司'],
    ['某茶业股份有限公司', '某茶业'],
    ['某茶业（集团）有限公司', '某茶业集团'],
    ['某茶业(集团)有限公司', '某茶业 集团公司'],
    ['ＡＢＣ茶业有限公司', 'abc茶业'],
    ['某茶业，有限公司。', '某 茶 业'],
  ])('%j and %j share a key', (a, b) => {
    expect(investorKey(a)).toBe(investorKey(b));
  });

  it.each([
    ['某茶业有限公司', '某水业有限公司'],
    ['某茶业有限公司', '另一茶业有限公司'],
  ])('%j and %j differ', (a, b) => {
    expect(investorKey(a)).not.toBe(investorKey(b));
  });

  it('keeps a name made only of a legal form', () => {
    expect(investorKey('集团公司')).toBe('集团公司');
  });
});

describe('isSimilarProjectName', () => {
  it.each([
    ['富硒茶深加工', '富硒茶深加工', true],
    ['富硒茶深加工', '富硒茶深加工项目', true],
    ['富硒茶深加工', ' 富硒茶 深加工 ', true],
    ['富硒茶深加工', '富硒茶精深加工', true],
    ['年产千吨富硒茶深加工项目', '富硒茶深加工', true],
    ['富硒茶深加工', '包装饮用水厂', false],
    ['富硒茶深加工', '富硒茶叶种植基地', false],
    ['茶厂', '水厂', false],
    ['茶', '富硒茶深加工', false],
    ['', '', false],
  ])('%j vs %j → %s', (a, b, similar) => {
    expect(isSimilarProjectName(a, b)).toBe(similar);
    expect(isSimilarProjectName(b, a)).toBe(similar);
  });
});

describe('findSimilarProjects', () => {
  const existing = [
    { id: 1, name: '富硒茶深加工项目', investor: '某茶业有限公司' },
    { id: 2, name: '包装饮用水厂', investor: '某茶业有限公司' },
    { id: 3, name: '富硒茶深加工', investor: '另一茶业有限公司' },
  ];

  it('finds the same investor with a similar project name', () => {
    expect(findSimilarProjects({ name: '富硒茶深加工', investor: '某茶业公司 ' }, existing).map((p) => p.id)).toEqual([1]);
  });

  it('finds nothing for a new project of a known investor', () => {
    expect(findSimilarProjects({ name: '文旅康养小镇', investor: '某茶业有限公司' }, existing)).toEqual([]);
  });
});
