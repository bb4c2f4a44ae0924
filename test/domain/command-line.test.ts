import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../domain/command-line';

describe('parseCommandLine', () => {
  it.each([
    ['/lead 富硒茶深加工 投资方:某公司', { word: 'lead', rest: '富硒茶深加工 投资方:某公司' }],
    ['/线索', { word: '线索', rest: '' }],
    ['／线索 富硒茶', { word: '线索', rest: '富硒茶' }],
    ['   /LEAD  富硒茶  ', { word: 'lead', rest: '富硒茶' }],
    ['\u3000/help', { word: 'help', rest: '' }],
    ['/Help\n第二行', { word: 'help', rest: '第二行' }],
    ['/lead富硒茶', { word: 'lead', rest: '富硒茶' }],
    ['／ｌｅａｄ 富硒茶', { word: 'lead', rest: '富硒茶' }],
    ['/登记 名称:「富硒茶 深加工」', { word: '登记', rest: '名称:「富硒茶 深加工」' }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommandLine(text)).toEqual(expected);
  });

  it.each(['', '   ', '你好', 'lead 富硒茶', '/', '/ lead', '请看 /lead'])('%j is not a command', (text) => {
    expect(parseCommandLine(text)).toBeNull();
  });
});
