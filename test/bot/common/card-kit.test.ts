import { describe, expect, it } from 'vitest';
import { clip, fitLines, md, pagesOf } from '../../../bot/common/card-kit';

describe('md: user text as literal card markdown', () => {
  it.each([
    ['<b>粗</b>', '&#60;b&#62;粗&#60;&#47;b&#62;'],
    ['*x*', '&#42;x&#42;'],
    ['_y_', '&#95;y&#95;'],
    ['[z](http://e)', '&#91;z&#93;&#40;http&#58;&#47;&#47;e&#41;'],
    ['`code`', '&#96;code&#96;'],
    ['<at id=all></at>', '&#60;at id=all&#62;&#60;&#47;at&#62;'],
    ['~~删~~ # 标题 | 表格 & &copy;', '&sim;&sim;删&sim;&sim; &#35; 标题 &#124; 表格 &#38; &#38;copy;'],
    ['富硒茶深加工，年产 500 吨', '富硒茶深加工，年产 500 吨'],
  ])('%j → %j', (text, escaped) => {
    expect(md(text)).toBe(escaped);
  });

  it('drops the indent that would open a code block, and keeps the line breaks', () => {
    expect(md('第一行\n    第二行')).toBe('第一行\n第二行');
  });
});

describe('fitting text into a card', () => {
  it('clips long text and marks the cut', () => {
    expect(clip('一二三四五', 5)).toBe('一二三四五');
    expect(clip('一二三四五六', 5)).toBe('一二三四…');
  });

  it('keeps the lines that fit the budget and counts the rest', () => {
    const lines = Array.from({ length: 10 }, () => '长'.repeat(100)); // ~302 bytes each in JSON
    expect(fitLines(lines, 1000)).toEqual({ shown: lines.slice(0, 3), left: 7 });
  });

  it('pages every line once, in order, a line too long for any page on a page of its own', () => {
    const lines = ['a', '长'.repeat(400), 'b', 'c'];
    const pages = pagesOf(lines, 100);
    expect(pages.flat()).toEqual(lines);
    expect(pages).toContainEqual(['长'.repeat(400)]);
  });
});
