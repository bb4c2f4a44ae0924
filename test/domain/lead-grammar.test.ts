import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../domain/command-line';
import { LEAD_FIELDS } from '../../domain/lead-draft';
import { type InputProblem, LEAD_EXAMPLE, LEAD_KEY_REFERENCE, type LeadDraft, type LeadResult, parseLeadArgs } from '../../domain/lead-grammar';
import { catalog } from './county-catalog';

const mentions = new Map([
  ['@_user_2', { openId: 'ou_zhang', name: '张三' }],
  ['@_user_3', { openId: 'ou_li', name: '李四' }],
]);

function parse(text: string): LeadResult {
  return parseLeadArgs(text, mentions, catalog);
}

function draftOf(text: string): LeadDraft {
  const result = parse(text);
  if (!result.ok) throw new Error(`expected a draft, got ${JSON.stringify(result.problems)}`);
  return result.draft;
}

function problemsOf(text: string): InputProblem[] {
  const result = parse(text);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.draft)}`);
  for (const p of result.problems) {
    expect(p.message).toMatch(/\p{Script=Han}/u);
    expect(p.hint).toMatch(/\p{Script=Han}/u);
  }
  return result.problems;
}

describe('parseLeadArgs: a complete line', () => {
  it('reads every field of the documented example', () => {
    expect(
      draftOf(
        '富硒茶深加工 投资方:某茶业有限公司 金额:1.2亿 行业:富硒茶叶 来源:以商招商 负责人:@_user_2 包抓:@_user_3 ' +
          '引荐人:王五 单位:县招商服务中心 备注:已实地考察',
      ),
    ).toEqual({
      name: '富硒茶深加工',
      investor: '某茶业有限公司',
      plannedInvestmentWan: 12000,
      industry: '富硒茶叶',
      channel: 'business_network',
      owner: { kind: 'mention', openId: 'ou_zhang', name: '张三' },
      leader: { kind: 'mention', openId: 'ou_li', name: '李四' },
      referrer: '王五',
      unitName: '县招商服务中心',
      note: '已实地考察',
    });
  });

  it('leaves out fields that were not given', () => {
    expect(draftOf('富硒茶深加工 投资方:某茶业有限公司')).toStrictEqual({ name: '富硒茶深加工', investor: '某茶业有限公司' });
  });

  it('parses LEAD_EXAMPLE after its command word', () => {
    const line = parseCommandLine(LEAD_EXAMPLE);
    expect(line?.word).toBe('lead');
    const draft = draftOf(line?.rest ?? '');
    expect(draft).toMatchObject({ name: '富硒茶深加工', plannedInvestmentWan: 12000, industry: '富硒茶叶' });
    expect(draft.owner).toEqual({ kind: 'name', name: '张三' });
  });

  it('has a key reference that names every field', () => {
    for (const { label, keys } of Object.values(LEAD_FIELDS)) {
      expect(LEAD_KEY_REFERENCE).toContain(label);
      for (const key of keys) expect(LEAD_KEY_REFERENCE).toContain(key);
    }
  });
});

describe('parseLeadArgs: separators, keys and values', () => {
  it.each([
    ['ASCII colon', '茶厂 投资方:某公司 金额:5000万'],
    ['full-width colon', '茶厂 投资方：某公司 金额：5000万'],
    ['equals', '茶厂 投资方=某公司 金额=5000万'],
    ['full-width equals', '茶厂 投资方＝某公司 金额＝5000万'],
    ['spaces around the separator', '茶厂 投资方 : 某公司 金额 ＝ 5000万'],
    ['full-width spaces', '茶厂\u3000投资方：某公司\u3000金额：5000万'],
    ['Chinese commas between pairs', '茶厂，投资方：某公司，金额：5000万，'],
    ['ASCII semicolons between pairs', '茶厂; 投资方:某公司; 金额:5000万'],
    ['new lines between pairs', '茶厂\n投资方:某公司\n金额:5000万'],
    ['English keys', '茶厂 investor:某公司 amount:5000万'],
    ['English keys in any case', '茶厂 Investor:某公司 AMOUNT:5000万'],
    ['key variants', '茶厂 投资人:某公司 计划投资:5000万'],
    ['the name as a key', '投资方:某公司 名称:茶厂 投资额:5000万'],
  ])('%s', (_, text) => {
    expect(draftOf(text)).toMatchObject({ name: '茶厂', investor: '某公司', plannedInvestmentWan: 5000 });
  });

  it.each([
    ['double quotes', '投资方:"某茶业 有限公司"', '某茶业 有限公司'],
    ['Chinese quotes', '投资方:“某茶业 有限公司”', '某茶业 有限公司'],
    ['single quotes', "投资方:'某茶业 有限公司'", '某茶业 有限公司'],
    ['corner brackets', '投资方:「某茶业 有限公司」', '某茶业 有限公司'],
    ['spaces without quotes', '投资方:某茶业 有限公司', '某茶业 有限公司'],
    ['a key-like word inside quotes', '投资方:"某茶业 金额:很多"', '某茶业 金额:很多'],
    ['an unclosed quote kept as written', '投资方:“某茶业', '“某茶业'],
  ])('investor with %s', (_, pair, investor) => {
    expect(draftOf(`茶厂 ${pair} 金额:1亿`)).toMatchObject({ investor, plannedInvestmentWan: 10000 });
  });

  it('quotes the project name', () => {
    expect(draftOf('“富硒茶 深加工” 投资方:某公司').name).toBe('富硒茶 深加工');
  });

  it.each([
    ['a time', '下午 3:00 在县政府见面'],
    ['a time glued to text', '下午3:00见面'],
    ['a link', '资料见 https://example.com/a'],
    ['a colon right after the key', '联系人:王经理'],
    ['a quoted key-like word', '"联系人: 王经理"'],
  ])('a note with %s stays one note', (_, note) => {
    expect(draftOf(`茶厂 投资方:某公司 备注:${note}`).note).toBe(note.replace(/^"|"$/g, ''));
  });

  it('replaces mention placeholders in text fields by names', () => {
    expect(draftOf('茶厂 投资方:某公司 引荐人:@_user_2 备注:请 @_user_3 跟进')).toMatchObject({
      referrer: '@张三',
      note: '请 @李四 跟进',
    });
  });
});

describe('parseLeadArgs: people', () => {
  it.each([
    ['a mention', '负责人:@_user_2', { kind: 'mention', openId: 'ou_zhang', name: '张三' }],
    ['a plain name', '负责人:张三', { kind: 'name', name: '张三' }],
    ['a name typed with @', '负责人:@张三', { kind: 'name', name: '张三' }],
    ['an English key', 'owner=@_user_3', { kind: 'mention', openId: 'ou_li', name: '李四' }],
  ])('owner from %s', (_, pair, owner) => {
    expect(draftOf(`茶厂 投资方:某公司 ${pair}`).owner).toEqual(owner);
  });

  it.each([
    ['a placeholder missing from the map', '负责人:@_user_9', 'owner'],
    ['two mentions', '负责人:@_user_2 @_user_3', 'owner'],
    ['two names', '包抓:张三、李四', 'leader'],
    ['a mention and a name', '包抓:@_user_2，李四', 'leader'],
  ])('refuses %s', (_, pair, field) => {
    expect(problemsOf(`茶厂 投资方:某公司 ${pair}`).map((p) => p.field)).toEqual([field]);
  });
});

describe('parseLeadArgs: problems', () => {
  it('suggests the closest key for an unknown one and lists the valid keys', () => {
    const [problem, ...others] = problemsOf('茶厂 投资方:某公司 invester:某公司 金钱:5000万');
    expect(problem?.field).toBe('key');
    expect(problem?.suggestions).toContain('investor');
    expect(problem?.hint).toContain('投资方');
    expect(others[0]?.suggestions).toContain('金额');
  });

  it.each([
    ['missing investor', '茶厂 金额:5000万', ['investor']],
    ['missing name', '投资方:某公司', ['name']],
    ['an empty line', '', ['name', 'investor']],
    ['an empty value', '茶厂 投资方:某公司 备注:', ['note']],
    ['an empty required value, reported once', '茶厂 投资方: 金额:5000万', ['investor']],
    ['a key given twice', '茶厂 投资方:某公司 金额:1亿 金额:2亿', ['amount']],
    ['the name given twice', '茶厂 名称:茶厂 投资方:某公司', ['name']],
    ['a bad amount', '茶厂 投资方:某公司 金额:很多', ['amount']],
    ['a negative amount', '茶厂 投资方:某公司 金额:-5', ['amount']],
    ['an unknown channel', '茶厂 投资方:某公司 来源:朋友介绍', ['channel']],
    ['a name too long', `${'茶'.repeat(101)} 投资方:某公司`, ['name']],
    ['a note too long', `茶厂 投资方:某公司 备注:${'长'.repeat(1001)}`, ['note']],
    ['a plain owner name too long', `茶厂 投资方:某公司 负责人:${'张'.repeat(51)}`, ['owner']],
  ])('reports %s', (_, text, fields) => {
    expect(problemsOf(text).map((p) => p.field)).toEqual(fields);
  });

  it('accepts the longest allowed texts', () => {
    expect(draftOf(`${'茶'.repeat(100)} 投资方:某公司 备注:${'长'.repeat(1000)}`).note).toHaveLength(1000);
  });

  it('suggests the closest industries for an unknown one', () => {
    const [problem] = problemsOf('茶厂 投资方:某公司 行业:富硒茶');
    expect(problem).toMatchObject({ field: 'industry' });
    expect(problem?.suggestions).toContain('富硒茶叶');
    expect(problem?.hint).toContain('富硒茶叶');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf('金额:很多 行业:富硒茶 来源:以商 颜色:红 负责人:@_user_9 备注:');
    expect(problems.map((p) => p.field).sort()).toEqual(['amount', 'channel', 'industry', 'investor', 'key', 'name', 'note', 'owner'].sort());
    expect(problems.find((p) => p.field === 'channel')?.suggestions).toContain('以商招商');
  });
});
