import { describe, expect, it } from 'vitest';
import { parseLeadForm } from '../../domain/lead-form';
import { parseLeadArgs } from '../../domain/lead-grammar';
import { catalog } from './county-catalog';

const complete = {
  name: ' 富硒茶深加工 ',
  investor: '某茶业有限公司',
  amount: '1.2亿',
  industry: '富硒茶叶',
  channel: 'business_network',
  owner: 'ou_zhang',
  leader: ['ou_li'],
  referrer: '王五',
  note: '已实地考察',
};

function fieldsWithProblems(formValue: Record<string, unknown>): string[] {
  const result = parseLeadForm(formValue, catalog);
  return result.ok ? [] : result.problems.map((p) => p.field);
}

describe('parseLeadForm', () => {
  it('reads a complete form', () => {
    expect(parseLeadForm(complete, catalog)).toEqual({
      ok: true,
      draft: {
        name: '富硒茶深加工',
        investor: '某茶业有限公司',
        plannedInvestmentWan: 12000,
        industry: '富硒茶叶',
        channel: 'business_network',
        owner: { kind: 'open_id', openId: 'ou_zhang' },
        leader: { kind: 'open_id', openId: 'ou_li' },
        referrer: '王五',
        note: '已实地考察',
      },
    });
  });

  it.each([
    ['a string', 'ou_zhang', { kind: 'open_id', openId: 'ou_zhang' }],
    ['an array of one', ['ou_zhang'], { kind: 'open_id', openId: 'ou_zhang' }],
    ['an empty array', [], undefined],
    ['an empty string', '', undefined],
    ['null', null, undefined],
  ])('takes a person picker value given as %s', (_, owner, expected) => {
    const result = parseLeadForm({ name: '茶厂', investor: '某公司', owner }, catalog);
    expect(result.ok && result.draft.owner).toEqual(expected);
  });

  it('leaves out empty optional inputs', () => {
    const result = parseLeadForm({ name: '茶厂', investor: '某公司', amount: '', note: '  ', industry: null }, catalog);
    expect(result).toStrictEqual({ ok: true, draft: { name: '茶厂', investor: '某公司' } });
  });

  it.each([
    ['two people in a picker', { owner: ['ou_a', 'ou_b'] }, ['owner']],
    ['a picker value that is not an id', { leader: [42] }, ['leader']],
    ['a text input that is not text', { note: { text: 'x' } }, ['note']],
    ['no investor', { investor: '' }, ['investor']],
    ['no name and no investor', { name: undefined, investor: ' ' }, ['name', 'investor']],
    ['a bad amount', { amount: '很多' }, ['amount']],
    ['an unknown channel code', { channel: 'word_of_mouth' }, ['channel']],
    ['an unknown industry', { industry: '房地产' }, ['industry']],
    ['several problems at once', { investor: '', amount: '-1', owner: ['a', 'b'] }, ['owner', 'investor', 'amount']],
  ])('reports %s', (_, change, fields) => {
    expect(fieldsWithProblems({ ...complete, ...change })).toEqual(fields);
  });

  it('applies the same rules as the /lead command', () => {
    const fromForm = parseLeadForm({ name: '茶厂', investor: '某公司', amount: '很多', industry: '富硒茶' }, catalog);
    const fromCommand = parseLeadArgs('茶厂 投资方:某公司 金额:很多 行业:富硒茶', new Map(), catalog);
    const messages = (r: typeof fromForm) => (r.ok ? [] : r.problems.map((p) => [p.field, p.message, p.suggestions]));
    expect(messages(fromForm)).toEqual(messages(fromCommand));
  });
});
