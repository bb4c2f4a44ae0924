import { describe, expect, it } from 'vitest';
import { catalogSchema, matchChannel, matchIndustry } from '../../domain/catalog';
import { catalog } from './county-catalog';

describe('matchIndustry', () => {
  it.each([
    ['富硒茶叶', '富硒茶叶'],
    [' 富硒 茶叶 ', '富硒茶叶'],
    ['文旅康养', '文旅康养'],
  ])('%j is %s', (input, value) => {
    expect(matchIndustry(catalog, input)).toEqual({ ok: true, value });
  });

  it.each([
    ['富硒茶', '富硒茶叶'],
    ['富硒茶业', '富硒茶叶'],
    ['饮用水', '包装饮用水'],
    ['康养文旅', '文旅康养'],
  ])('%j suggests %s', (input, expected) => {
    const result = matchIndustry(catalog, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.suggestions).toContain(expected);
      expect(result.suggestions.length).toBeLessThanOrEqual(3);
    }
  });

  it('suggests nothing for a word unlike any industry', () => {
    expect(matchIndustry(catalog, '房地产')).toEqual({ ok: false, suggestions: [] });
  });
});

describe('matchChannel', () => {
  it.each([
    ['以商招商', 'business_network'],
    ['定向招商', 'targeted'],
    ['敲门/定向招商', 'targeted'],
    ['targeted', 'targeted'],
    ['Targeted', 'targeted'],
    ['ＯＴＨＥＲ', 'other'],
    ['归雁', 'returnee'],
    ['园区 招商', 'park_platform'],
  ])('%j is %s', (input, value) => {
    expect(matchChannel(catalog, input)).toEqual({ ok: true, value });
  });

  it.each([
    ['以商', '以商招商'],
    ['敲门', '敲门招商'],
    ['中介', '中介招商'],
    ['targetd', '敲门招商'],
    ['云招商', '云上招商'],
  ])('%j suggests the channel name %s', (input, expected) => {
    const result = matchChannel(catalog, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.suggestions[0]).toBe(expected);
  });
});

describe('catalogSchema', () => {
  it('defaults missing aliases to none', () => {
    const parsed = catalogSchema.parse({ industries: ['其他'], channels: [{ code: 'other', name: '其他' }] });
    expect(parsed.channels[0]?.aliases).toEqual([]);
  });

  it.each([
    ['no industries', { industries: [], channels: [{ code: 'other', name: '其他' }] }],
    ['a blank industry', { industries: [' '], channels: [{ code: 'other', name: '其他' }] }],
    ['an industry twice', { industries: ['其他', ' 其他'], channels: [{ code: 'other', name: '其他' }] }],
    ['a code that is not snake_case', { industries: ['其他'], channels: [{ code: 'Other One', name: '其他' }] }],
    [
      'an alias shared by two channels',
      {
        industries: ['其他'],
        channels: [
          { code: 'agency', name: '中介招商', aliases: ['委托'] },
          { code: 'other', name: '其他', aliases: ['委托'] },
        ],
      },
    ],
  ])('refuses %s', (_, json) => {
    expect(catalogSchema.safeParse(json).success).toBe(false);
  });
});
