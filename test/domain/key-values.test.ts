import { describe, expect, it } from 'vitest';
import { readKeyedValues, replaceMentions, splitKeyValues, takeWord } from '../../domain/key-values';

describe('splitKeyValues', () => {
  it.each([
    [
      '茶厂 投资方:某公司 金额:5000万',
      '茶厂',
      [
        ['投资方', '某公司'],
        ['金额', '5000万'],
      ],
    ],
    [
      '投资方：某公司，金额＝5000万，',
      '',
      [
        ['投资方', '某公司'],
        ['金额', '5000万'],
      ],
    ],
    ['“富硒茶 深加工” 投资方:"某茶业 金额:很多"', '富硒茶 深加工', [['投资方', '某茶业 金额:很多']]],
    ['下午 3:00 见面 备注:资料见 https://example.com/a', '下午 3:00 见面', [['备注', '资料见 https://example.com/a']]],
    ['', '', []],
  ])('%j', (text, head, pairs) => {
    expect(splitKeyValues(text)).toEqual({ head, pairs: pairs.map(([key, value]) => ({ key, value })) });
  });
});

describe('readKeyedValues', () => {
  const fields = { reason: { label: '原因', keys: ['原因', 'reason'] }, note: { label: '备注', keys: ['备注'] } };
  const read = (text: string) => readKeyedValues(text, fields, (field) => `写${fields[field].label}。例：${fields[field].keys[0]}:…`);

  it('reads known keys in any case and width', () => {
    expect(read('头 REASON：资金 备注:无')).toEqual({ head: '头', values: { reason: '资金', note: '无' }, problems: [] });
  });

  it('reports unknown, repeated and empty keys at once', () => {
    const { values, problems } = read('头 原因:甲 原因:乙 原图:丙 备注:');
    expect(values).toEqual({ reason: '甲' });
    expect(problems.map((p) => p.field)).toEqual(['reason', 'key', 'note']);
    expect(problems[1]?.suggestions).toContain('原因');
    expect(problems[1]?.hint).toContain('备注');
  });
});

describe('takeWord', () => {
  it.each([
    ['ZS-2026-0001 开工 2027-03-01', 'ZS-2026-0001', '开工 2027-03-01'],
    ['  开工  ', '开工', ''],
    ['"环评 批复" 2027-03-01', '环评 批复', '2027-03-01'],
    ['「环评 批复」2027-03-01', '环评 批复', '2027-03-01'],
    ['"未闭合 引号', '"未闭合', '引号'],
    ['第一行\n第二行', '第一行', '第二行'],
    ['', '', ''],
  ])('%j → %j + %j', (text, word, rest) => {
    expect(takeWord(text)).toEqual({ word, rest });
  });
});

describe('replaceMentions', () => {
  it('writes resolved placeholders as @name and leaves the others', () => {
    const mentions = new Map([['@_user_1', { openId: 'ou_1', name: '张三' }]]);
    expect(replaceMentions('请 @_user_1 和 @_user_2 跟进', mentions)).toBe('请 @张三 和 @_user_2 跟进');
  });
});
