import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../domain/command-line';
import {
  DONE_EXAMPLE,
  MILESTONE_EXAMPLE,
  PROGRESS_EXAMPLE,
  PROJECT_EXAMPLE,
  parseDoneArgs,
  parseFundsArgs,
  parseJobsArgs,
  parseMilestoneArgs,
  parseProgressArgs,
  parseProjectArgs,
  parseStageArgs,
  STAGE_EXAMPLE,
} from '../../domain/project-commands';
import { checkStageMove, STAGES, stageMoveExample } from '../../domain/stages';
import { fields, mentions, problemsOf, today, valueIn } from './command-args';

describe('the examples', () => {
  it.each([
    [PROGRESS_EXAMPLE, parseProgressArgs],
    [STAGE_EXAMPLE, parseStageArgs],
    [MILESTONE_EXAMPLE, parseMilestoneArgs],
    [DONE_EXAMPLE, parseDoneArgs],
    [PROJECT_EXAMPLE, parseProjectArgs],
  ] as const)('%s parses after its command word', (example, parse) => {
    const line = parseCommandLine(example);
    expect(valueIn(parse(line?.rest ?? '', today))).toMatchObject({ code: 'ZS-2026-0001' });
  });

  it.each(STAGES.map((s) => s.code))('the /阶段 example for %s parses and passes the rules', (stage) => {
    const value = valueIn(parseStageArgs(parseCommandLine(stageMoveExample(stage, today))?.rest ?? '', today));
    expect(value.to).toBe(stage);
    // Every stage can be reached: 搁置 and 流失 from 线索, the others by resuming.
    const from = stage === 'paused' || stage === 'lost' ? 'lead' : 'paused';
    expect(checkStageMove(from, value, { today, pausedFrom: stage })).toEqual({ ok: true });
  });
});

describe('project codes', () => {
  it.each([
    ['ZS-2026-0001', 'ZS-2026-0001'],
    ['zs-2026-1', 'ZS-2026-0001'],
    ['ＺＳ－２０２６－００１２', 'ZS-2026-0012'],
    ['ZS_2026_10000', 'ZS-2026-10000'],
  ])('%j reads as %s', (written, code) => {
    expect(valueIn(parseProjectArgs(written, today))).toEqual({ code });
  });

  it.each([
    ['', 'no code'],
    ['2026-0001', 'no ZS'],
    ['ZS-26-1', 'a short year'],
    ['富硒茶', 'a project name'],
  ])('refuses %j (%s) with the code format', (written) => {
    const problems = problemsOf(parseProjectArgs(written, today));
    expect(fields(problems)).toEqual(['code']);
    expect(problems[0]?.hint).toContain('ZS-2026-0001');
  });

  it('refuses extra words after /项目', () => {
    expect(fields(problemsOf(parseProjectArgs('ZS-2026-0001 ZS-2026-0002', today)))).toEqual(['extra']);
  });
});

describe('/进展', () => {
  it.each([
    ['ZS-2026-0001 客商来县考察，已看厂址', '客商来县考察，已看厂址'],
    ['ZS-2026-0001 会谈纪要：客商同意 下午 3:00 再谈', '会谈纪要：客商同意 下午 3:00 再谈'],
    ['ZS-2026-0001 联系人:王经理 电话:123', '联系人:王经理 电话:123'],
    ['ZS-2026-0001 请 @_user_2 跟进', '请 @张三 跟进'],
    ['ZS-2026-0001\n第一行\n第二行', '第一行\n第二行'],
    [`ZS-2026-0001 ${'长'.repeat(1000)}`, '长'.repeat(1000)],
  ])('%j keeps the whole note as written', (args, note) => {
    expect(valueIn(parseProgressArgs(args, today, mentions))).toEqual({ code: 'ZS-2026-0001', note });
  });

  it.each([
    ['ZS-2026-0001', ['note']],
    ['ZS-2026-0001    ', ['note']],
    [`ZS-2026-0001 ${'长'.repeat(1001)}`, ['note']],
    ['富硒茶 有进展', ['code']],
    ['', ['code', 'note']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseProgressArgs(args, today)))).toEqual(expected);
  });
});

describe('/阶段', () => {
  it.each([
    ['ZS-2026-0001 签约', { to: 'signed' }],
    ['zs-2026-1 意向', { to: 'negotiating' }],
    ['ZS-2026-0001 落地 土地已摘牌', { to: 'started', note: '土地已摘牌' }],
    ['ZS-2026-0001 签约 备注:在县政府签约', { to: 'signed', note: '在县政府签约' }],
    ['ZS-2026-0001 搁置 资金未到位 复核:2027-01-15', { to: 'paused', reason: '资金未到位', reviewDate: '2027-01-15' }],
    ['ZS-2026-0001 搁置 原因:资金未到位 复核日期：2027年1月15日', { to: 'paused', reason: '资金未到位', reviewDate: '2027-01-15' }],
    ['ZS-2026-0001 搁置 资金未到位 review=1月15日', { to: 'paused', reason: '资金未到位', reviewDate: '2027-01-15' }],
    ['ZS-2026-0001 搁置 资金未到位 复核:下周五', { to: 'paused', reason: '资金未到位', reviewDate: '2026-10-23' }],
    ['ZS-2026-0001 流失 客商转投邻县', { to: 'lost', reason: '客商转投邻县' }],
    ['ZS-2026-0001 外流 原因:客商转投邻县 备注:已报 @_user_2', { to: 'lost', reason: '客商转投邻县', note: '已报 @张三' }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseStageArgs(args, today, mentions))).toEqual({ code: 'ZS-2026-0001', ...expected });
  });

  it.each([
    ['ZS-2026-0001', ['stage']],
    ['ZS-2026-0001 签', ['stage']],
    ['ZS-2026-0001 搁置', ['reason', 'reviewDate']],
    ['ZS-2026-0001 搁置 资金未到位', ['reviewDate']],
    [`ZS-2026-0001 流失 ${'因'.repeat(201)}`, ['reason']],
    [`ZS-2026-0001 签约 备注:${'注'.repeat(1001)}`, ['note']],
    ['ZS-2026-0001 搁置 复核:2027-01-15', ['reason']],
    ['ZS-2026-0001 搁置 资金未到位 复核:2027-02-30', ['reviewDate']],
    ['ZS-2026-0001 搁置 资金未到位 复核:今天', ['reviewDate']],
    ['ZS-2026-0001 搁置 资金未到位 复核:', ['reviewDate']],
    ['ZS-2026-0001 搁置 资金 原因:资金未到位 复核:2027-01-15', ['reason']],
    ['ZS-2026-0001 流失', ['reason']],
    ['ZS-2026-0001 流失 原因:', ['reason']],
    ['ZS-2026-0001 签约 复核:2027-01-15', ['reviewDate']],
    ['ZS-2026-0001 签约 颜色:红', ['key']],
    ['ZS-2026-0001 签约 备注:甲 备注:乙', ['note']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseStageArgs(args, today)))).toEqual(expected);
  });

  it('suggests stages for an unknown one and lists them all', () => {
    const [problem] = problemsOf(parseStageArgs('ZS-2026-0001 达产达', today));
    expect(problem?.suggestions).toContain('达产');
    for (const { name } of STAGES) expect(problem?.hint).toContain(name);
  });

  it('reports every problem at once', () => {
    expect(fields(problemsOf(parseStageArgs('ZS-26-1 搁置 复核:2027-02-30 颜色:红', today))).sort()).toEqual(['code', 'key', 'reason', 'reviewDate'].sort());
    expect(fields(problemsOf(parseStageArgs('富硒茶 阶段不明 复核:明年', today))).sort()).toEqual(['code', 'reviewDate', 'stage'].sort());
  });

  it('tells how to write a bad date', () => {
    const [problem] = problemsOf(parseStageArgs('ZS-2026-0001 搁置 资金未到位 复核:明年', today));
    expect(problem?.hint).toContain('2027-03-01');
  });
});

describe('/节点', () => {
  it.each([
    ['ZS-2026-0001 开工 2027-03-01', { milestone: { kind: 'started', name: '开工' }, dueDate: '2027-03-01' }],
    ['ZS-2026-0001 达产达效 2028年12月31日', { milestone: { kind: 'at_capacity', name: '达产' }, dueDate: '2028-12-31' }],
    ['ZS-2026-0001 开工 3月1日 原因:土地报批延迟', { milestone: { kind: 'started', name: '开工' }, dueDate: '2027-03-01', reason: '土地报批延迟' }],
    ['ZS-2026-0001 开工 2027/3/1 土地报批延迟', { milestone: { kind: 'started', name: '开工' }, dueDate: '2027-03-01', reason: '土地报批延迟' }],
    ['ZS-2026-0001 环评批复 2026-12-01', { milestone: { kind: 'custom', name: '环评批复' }, dueDate: '2026-12-01' }],
    ['ZS-2026-0001 "环评 批复" 2026-12-01', { milestone: { kind: 'custom', name: '环评 批复' }, dueDate: '2026-12-01' }],
    ['ZS-2026-0001 签约 2026-09-01', { milestone: { kind: 'signed', name: '签约' }, dueDate: '2026-09-01' }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseMilestoneArgs(args, today))).toEqual({ code: 'ZS-2026-0001', ...expected });
  });

  it.each([
    ['ZS-2026-0001', ['milestone', 'dueDate']],
    ['ZS-2026-0001 开工', ['dueDate']],
    ['ZS-2026-0001 开工 2027-02-30', ['dueDate']],
    ['ZS-2026-0001 开工 3月', ['dueDate']],
    ['ZS-2026-0001 开工 尽快', ['dueDate']],
    [`ZS-2026-0001 ${'节'.repeat(21)} 2027-03-01`, ['milestone']],
    ['ZS-2026-0001 开工 2027-03-01 延迟 原因:土地报批', ['reason']],
    [`ZS-2026-0001 开工 2027-03-01 原因:${'延'.repeat(201)}`, ['reason']],
    ['ZS-2026-0001 开工 2027-03-01 复核:2027-03-05', ['key']],
    ['ZS-2026-01-01 开工 明年', ['code', 'dueDate']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseMilestoneArgs(args, today)))).toEqual(expected);
  });
});

describe('/完成', () => {
  it.each([
    ['ZS-2026-0001 开工', { milestone: { kind: 'started', name: '开工' }, doneDate: today }],
    ['ZS-2026-0001 落地 2026-10-01', { milestone: { kind: 'started', name: '开工' }, doneDate: '2026-10-01' }],
    ['ZS-2026-0001 开工 10月1日', { milestone: { kind: 'started', name: '开工' }, doneDate: '2026-10-01' }],
    ['ZS-2026-0001 开工 12/31', { milestone: { kind: 'started', name: '开工' }, doneDate: '2025-12-31' }],
    ['ZS-2026-0001 开工 周一', { milestone: { kind: 'started', name: '开工' }, doneDate: '2026-10-12' }],
    ['ZS-2026-0001 开工 今天', { milestone: { kind: 'started', name: '开工' }, doneDate: today }],
    ['ZS-2026-0001 "环评 批复"', { milestone: { kind: 'custom', name: '环评 批复' }, doneDate: today }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseDoneArgs(args, today))).toEqual({ code: 'ZS-2026-0001', ...expected });
  });

  it.each([
    ['ZS-2026-0001', ['milestone']],
    ['ZS-2026-0001 开工 明天', ['doneDate']],
    ['ZS-2026-0001 开工 2027-03-05', ['doneDate']],
    ['ZS-2026-0001 开工 2026-02-30', ['doneDate']],
    ['ZS-2026-0001 开工 2026-10-01 已验收', ['extra']],
    ['ZS 开工', ['code']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseDoneArgs(args, today)))).toEqual(expected);
  });
});

describe('/到位 and /就业', () => {
  const today = '2026-11-26';
  it.each([
    ['ZS-2026-0001 3000万', { code: 'ZS-2026-0001', amountWan: 3000, day: today }],
    ['zs-2026-1 1.2亿 2026-11-20', { code: 'ZS-2026-0001', amountWan: 12000, day: '2026-11-20' }],
    ['ZS-2026-0001 500 昨天', { code: 'ZS-2026-0001', amountWan: 500, day: '2026-11-25' }],
  ])('reads funds %s', (args, value) => {
    expect(parseFundsArgs(args, today)).toEqual({ ok: true, value });
  });

  it.each([
    ['ZS-2026-0001', ['amount']],
    ['ZS-2026-0001 很多钱', ['amount']],
    ['ZS-2026-0001 3000万 2027-01-01', ['day']],
    ['富硒茶 3000万', ['code']],
  ])('names what is wrong in funds %s', (args, fields) => {
    const result = parseFundsArgs(args, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(fields);
  });

  it.each([
    ['ZS-2026-0001 120', { code: 'ZS-2026-0001', jobs: 120, day: today }],
    ['ZS-2026-0001 ３５人 2026-11-01', { code: 'ZS-2026-0001', jobs: 35, day: '2026-11-01' }],
  ])('reads jobs %s', (args, value) => {
    expect(parseJobsArgs(args, today)).toEqual({ ok: true, value });
  });

  it.each([
    ['ZS-2026-0001', ['jobs']],
    ['ZS-2026-0001 1.5', ['jobs']],
    ['ZS-2026-0001 0', ['jobs']],
    ['ZS-2026-0001 -3', ['jobs']],
  ])('names what is wrong in jobs %s', (args, fields) => {
    const result = parseJobsArgs(args, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(fields);
  });
});
