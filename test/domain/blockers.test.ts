import { describe, expect, it } from 'vitest';
import {
  type AgendaCandidate,
  actionName,
  agendaDay,
  agendaReason,
  BLOCKER_EXAMPLE,
  type BlockerAction,
  type BlockerActor,
  type BlockerFacts,
  type BlockerParties,
  type BlockerRules,
  type BlockerStatus,
  blockerRulesSchema,
  blockerStatuses,
  confirmedBySilence,
  defaultDueDate,
  dueDateProblem,
  findKind,
  isOverdue,
  type ListedBlocker,
  MAX_DESCRIPTION_LENGTH,
  MAX_LIMIT_DAYS,
  MAX_OUTCOME_LENGTH,
  MAX_PLACE_LENGTH,
  MEETING_EXAMPLE,
  mayListBlocker,
  parseBlockerArgs,
  parseBlockerListArgs,
  parseMeetingArgs,
  reasonProblem,
  refusalFor,
  resolutionProblems,
  statusName,
} from '../../domain/blockers';
import { addDays, formatDateZh } from '../../domain/calendar-date';
import { parseCommandLine } from '../../domain/command-line';
import { MAX_REASON_LENGTH } from '../../domain/project-commands';
import { chinaCalendar as cal } from './china-calendar';
import { fields, mentions, problemsOf, today, valueIn } from './command-args';

const rules: BlockerRules = blockerRulesSchema.parse({});

/** How many times `name` is written in `text`: a suggested name appears again beside the list of all. */
const timesNamed = (text: string, name: string) => text.split(name).length - 1;

const kind = (name: string) => {
  const found = rules.kinds.find((k) => k.name === name);
  if (!found) throw new Error(`no default kind ${name}`);
  return found;
};

const kindNames = rules.kinds.map((k) => k.name);

describe('blockerRulesSchema', () => {
  it('has the county defaults: 13 kinds, 投诉 the only complaint', () => {
    expect(rules).toMatchObject({ confirmWorkingDays: 3, decisionWorkingDays: 10, agendaAfterWorkingDays: 20 });
    expect(kindNames).toEqual(['用地', '规划', '环评', '施工许可', '用水', '用电', '用气', '道路', '融资', '用工', '政策兑现', '投诉', '其他']);
    expect(rules.kinds.filter((k) => k.complaint).map((k) => k.name)).toEqual(['投诉']);
    expect(kind('用电').workingDays).toBe(5);
    expect(kind('投诉').workingDays).toBe(3);
  });

  it('keeps the defaults for what a partial config leaves out', () => {
    const partial = blockerRulesSchema.parse({ confirmWorkingDays: 5 });
    expect(partial.confirmWorkingDays).toBe(5);
    expect(partial.agendaAfterWorkingDays).toBe(20);
    expect(partial.kinds).toEqual(rules.kinds);
  });

  it('takes the county’s own kinds in place of the defaults, not a complaint unless it says so', () => {
    const own = blockerRulesSchema.parse({
      kinds: [
        { name: ' 用电 ', workingDays: 4 },
        { name: '信访', workingDays: 2, complaint: true },
      ],
    });
    expect(own.kinds).toEqual([
      { name: '用电', workingDays: 4, complaint: false },
      { name: '信访', workingDays: 2, complaint: true },
    ]);
    expect(own.decisionWorkingDays).toBe(10);
  });

  it.each([
    [
      'the same kind twice',
      {
        kinds: [
          { name: '用电', workingDays: 5 },
          { name: '用电', workingDays: 3 },
        ],
      },
    ],
    [
      'the same kind twice, once with spaces',
      {
        kinds: [
          { name: '用电', workingDays: 5 },
          { name: ' 用电', workingDays: 3 },
        ],
      },
    ],
    [
      'two kinds a reader cannot tell apart (case and width)',
      {
        kinds: [
          { name: 'EIA', workingDays: 5 },
          { name: 'ｅｉａ', workingDays: 3 },
        ],
      },
    ],
    ['no kinds', { kinds: [] }],
    ['a blank kind name', { kinds: [{ name: '  ', workingDays: 5 }] }],
    ['a kind name over 10 characters', { kinds: [{ name: '一二三四五六七八九十一', workingDays: 5 }] }],
    ['a time limit of 0 working days', { kinds: [{ name: '用电', workingDays: 0 }] }],
    ['part of a working day', { kinds: [{ name: '用电', workingDays: 1.5 }] }],
    ['a time limit over 120 working days', { kinds: [{ name: '用电', workingDays: 121 }] }],
    ['more kinds than a form can offer', { kinds: Array.from({ length: 31 }, (_, i) => ({ name: `类${i}`, workingDays: 5 })) }],
    ['a zero confirmation wait', { confirmWorkingDays: 0 }],
    ['a fractional agenda limit', { agendaAfterWorkingDays: 2.5 }],
  ])('refuses %s', (_, input) => {
    expect(blockerRulesSchema.safeParse(input).success).toBe(false);
  });
});

describe('findKind', () => {
  it.each(kindNames)('finds %s by its name', (name) => {
    expect(findKind(rules, name)).toEqual({ ok: true, kind: kind(name) });
  });

  it('finds a kind written with spaces, full-width letters or another case', () => {
    const latin = blockerRulesSchema.parse({ kinds: [{ name: 'EIA', workingDays: 15 }, ...rules.kinds] });
    expect(findKind(latin, 'ｅｉａ')).toMatchObject({ ok: true, kind: { name: 'EIA' } });
    expect(findKind(latin, 'eia')).toMatchObject({ ok: true, kind: { name: 'EIA' } });
    expect(findKind(rules, '施工 许可')).toMatchObject({ ok: true, kind: { name: '施工许可' } });
  });

  it.each([
    ['用点', ['用电']],
    ['水', ['用水']],
    ['施工', ['施工许可']],
    ['政策', ['政策兑现']],
  ])('refuses %s and suggests %j before listing every kind', (written, close) => {
    const found = findKind(rules, written);
    if (found.ok) throw new Error(`${written} should not be a kind`);
    expect(found.problem).toContain(written);
    for (const name of kindNames) expect(found.hint).toContain(name);
    for (const name of close) expect(timesNamed(found.hint, name), name).toBe(2);
  });

  it('suggests nothing for a word like no kind, but still lists them all', () => {
    const found = findKind(rules, 'xyz');
    if (found.ok) throw new Error('xyz should not be a kind');
    for (const name of kindNames) expect(timesNamed(found.hint, name), name).toBe(1);
  });
});

describe('defaultDueDate', () => {
  it.each([
    ['用电', '2026-09-28', '2026-10-10', '5 working days across 国庆: Sep 29, 30, Oct 8, 9 and Saturday Oct 10 (worked)'],
    ['投诉', '2026-09-30', '2026-10-10', '3 working days after the holiday'],
    ['用电', '2026-10-03', '2026-10-13', 'raised in the holiday: Oct 8, 9, 10 (Sat), 12 and 13'],
    ['用电', '2026-11-13', '2026-11-20', 'a Friday: the weekend does not count'],
    ['规划', '2026-11-16', '2026-11-30', '10 working days is two weeks'],
  ])('%s raised on %s is due %s (%s)', (name, raised, due) => {
    expect(defaultDueDate(kind(name), raised, cal)).toBe(due);
  });
});

describe('dueDateProblem', () => {
  it.each([
    ['tomorrow', addDays(today, 1)],
    ['a day off', '2026-10-18'],
    [`${MAX_LIMIT_DAYS} days on`, addDays(today, MAX_LIMIT_DAYS)],
  ])('accepts %s', (_, date) => {
    expect(dueDateProblem(date, today)).toBeUndefined();
  });

  it.each([
    ['today', today],
    ['yesterday', addDays(today, -1)],
    ['more than a year away', addDays(today, MAX_LIMIT_DAYS + 1)],
  ])('refuses %s, naming the date', (_, date) => {
    const problem = dueDateProblem(date, today);
    expect(problem).toContain(formatDateZh(date));
    expect(problem).toContain('办理时限');
  });

  it('names the date it checks as the caller calls it', () => {
    expect(dueDateProblem(today, today, '延期后的时限')).toContain('延期后的时限');
  });
});

describe('/问题', () => {
  it('the example parses after its command word', () => {
    const line = parseCommandLine(BLOCKER_EXAMPLE);
    expect(valueIn(parseBlockerArgs(line?.rest ?? '', today, rules))).toEqual({
      code: 'ZS-2026-0001',
      kind: kind('用电'),
      description: '10kV专线未接入，影响设备调试',
      unitName: '县供电公司',
      dueDate: '2026-12-20',
    });
  });

  it.each([
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司', { unitName: '县供电公司', dueDate: undefined }],
    ['zs-2026-1 用电 专线未接入 责任单位：县供电公司', { unitName: '县供电公司', dueDate: undefined }],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:12月20日', { unitName: '县供电公司', dueDate: '2026-12-20' }],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 期限:2027/1/5', { unitName: '县供电公司', dueDate: '2027-01-05' }],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 办理时限:2026年11月2日', { unitName: '县供电公司', dueDate: '2026-11-02' }],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:下周五', { unitName: '县供电公司', dueDate: '2026-10-23' }],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:明天', { unitName: '县供电公司', dueDate: '2026-10-15' }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseBlockerArgs(args, today, rules))).toEqual({ code: 'ZS-2026-0001', kind: kind('用电'), description: '专线未接入', ...expected });
  });

  it('keeps the whole description, with mentions written as names', () => {
    const value = valueIn(parseBlockerArgs('ZS-2026-0001 投诉 施工队 被阻工，请 @_user_2 协调 单位:城关镇', today, rules, mentions));
    expect(value).toMatchObject({ kind: { name: '投诉', complaint: true }, description: '施工队 被阻工，请 @张三 协调', unitName: '城关镇' });
  });

  it(`takes a description of ${MAX_DESCRIPTION_LENGTH} characters`, () => {
    const description = '𠮷'.repeat(MAX_DESCRIPTION_LENGTH);
    expect(valueIn(parseBlockerArgs(`ZS-2026-0001 用电 ${description} 单位:县供电公司`, today, rules)).description).toBe(description);
  });

  it.each([
    ['ZS-2026-0001', ['kind', 'unit']],
    ['ZS-2026-0001 用电', ['description', 'unit']],
    ['ZS-2026-0001 用电 单位:县供电公司', ['description']],
    ['ZS-2026-0001 用电 专线未接入', ['unit']],
    ['ZS-2026-0001 用电 专线未接入 单位:', ['unit']],
    ['ZS-2026-0001 用电 专线未接入 单位:甲 单位:乙', ['unit']],
    ['ZS-2026-0001 用点 专线未接入 单位:县供电公司', ['kind']],
    ['富硒茶 用电 专线未接入 单位:县供电公司', ['code']],
    ['ZS-26-1 用电 专线未接入 单位:县供电公司', ['code']],
    ['', ['code', 'kind', 'unit']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 颜色:红', ['key']],
    [`ZS-2026-0001 用电 ${'长'.repeat(MAX_DESCRIPTION_LENGTH + 1)} 单位:县供电公司`, ['description']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:2026-10-01', ['dueDate']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:今天', ['dueDate']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:2027-10-16', ['dueDate']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:2026-02-30', ['dueDate']],
    ['ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:尽快', ['dueDate']],
    ['富硒茶 用点 单位:县供电公司 时限:2026-10-01 颜色:红', ['key', 'code', 'kind', 'dueDate']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseBlockerArgs(args, today, rules)))).toEqual(expected);
  });

  it('lists the kinds when the kind is missing, and suggests close ones when it is unknown', () => {
    const [missing] = problemsOf(parseBlockerArgs('ZS-2026-0001', today, rules));
    for (const name of kindNames) expect(missing?.hint).toContain(name);
    const [unknown] = problemsOf(parseBlockerArgs('ZS-2026-0001 用点 专线未接入 单位:县供电公司', today, rules));
    expect(unknown?.message).toContain('用点');
    expect(timesNamed(unknown?.hint ?? '', '用电')).toBe(2);
  });

  it('shows how to write the unit and the description', () => {
    const [unit] = problemsOf(parseBlockerArgs('ZS-2026-0001 用电 专线未接入', today, rules));
    expect(unit?.hint).toContain('单位:县供电公司');
    const [description] = problemsOf(parseBlockerArgs('ZS-2026-0001 用电 单位:县供电公司', today, rules));
    expect(description?.hint).toContain(BLOCKER_EXAMPLE);
  });

  it('says a past time limit must be later than today, and that leaving it out takes the default', () => {
    const [problem] = problemsOf(parseBlockerArgs('ZS-2026-0001 用电 专线未接入 单位:县供电公司 时限:2026-10-01', today, rules));
    expect(problem?.message).toContain(formatDateZh('2026-10-01'));
    expect(problem?.hint).toContain('时限:');
  });

  it('names the keys it knows for an unknown key', () => {
    const [problem] = problemsOf(parseBlockerArgs('ZS-2026-0001 用电 专线未接入 单位:县供电公司 颜色:红', today, rules));
    expect(problem?.message).toContain('颜色');
    expect(problem?.hint).toContain('单位');
    expect(problem?.hint).toContain('时限');
  });

  it('names the length allowed for a long description', () => {
    const [problem] = problemsOf(parseBlockerArgs(`ZS-2026-0001 用电 ${'长'.repeat(MAX_DESCRIPTION_LENGTH + 1)} 单位:县供电公司`, today, rules));
    expect(problem?.hint).toContain(String(MAX_DESCRIPTION_LENGTH));
  });

  it('follows the county’s kinds', () => {
    const own = blockerRulesSchema.parse({ kinds: [{ name: '信访', workingDays: 2, complaint: true }] });
    expect(valueIn(parseBlockerArgs('ZS-2026-0001 信访 反映噪音 单位:城关镇', today, own)).kind).toEqual({ name: '信访', workingDays: 2, complaint: true });
    expect(fields(problemsOf(parseBlockerArgs('ZS-2026-0001 用电 专线未接入 单位:县供电公司', today, own)))).toEqual(['kind']);
  });
});

const person = (openId: string, role = 'official', unitId: number | null = null): BlockerActor => ({ openId, role, unitId });

const UNIT = 7;
const head = person('ou_head', 'unit_head', UNIT);
const head2 = person('ou_head2', 'unit_head', UNIT);
const otherHead = person('ou_head3', 'unit_head', 8);
const clerk = person('ou_clerk', 'official', UNIT);
const colleague = person('ou_colleague', 'official', UNIT);
const raiser = person('ou_raiser', 'official', 3);
const owner = person('ou_owner', 'official', 3);
const leader = person('ou_leader', 'leader');
const otherLeader = person('ou_leader2', 'leader');
const coordinator = person('ou_c', 'coordinator', 1);
const supervisor = person('ou_s', 'supervisor');
const admin = person('ou_a', 'admin');
const stranger = person('ou_x', 'official', 9);

const everyone = { head, head2, otherHead, clerk, colleague, raiser, owner, leader, otherLeader, coordinator, supervisor, admin, stranger };
type Who = keyof typeof everyone;

const parties: BlockerParties = { unitHeadOpenId: head.openId, ownerOpenId: owner.openId, leaderOpenId: leader.openId };

const facts = (over: Partial<BlockerFacts> = {}): BlockerFacts => ({
  type: 'blocker',
  status: 'accepted',
  complaint: false,
  dueDate: '2026-10-20',
  raisedBy: raiser.openId,
  unitId: UNIT,
  handlerOpenId: clerk.openId,
  resolvedDay: null,
  extension: { dueDate: '2026-10-30', reason: '设备未到货', requestedBy: clerk.openId },
  ...over,
});

describe('refusalFor: the states each action starts from', () => {
  const from: [BlockerAction, BlockerStatus[]][] = [
    ['accept', ['open']],
    ['return', ['open', 'accepted']],
    ['extend', ['open', 'accepted']],
    ['grant', ['open', 'accepted']],
    ['resolve', ['open', 'accepted']],
    ['confirm', ['resolved']],
    ['reopen', ['resolved']],
    ['reassign', ['returned']],
    ['flag', ['open', 'accepted', 'returned']],
  ];

  it.each(from)('%s only from %j', (action, allowed) => {
    for (const status of blockerStatuses) {
      const refusal = refusalFor(action, admin, facts({ status }), parties);
      if (allowed.includes(status)) expect(refusal, status).toBeUndefined();
      else {
        expect(refusal, status).toContain(statusName(status));
        expect(refusal, status).toContain(actionName(action));
      }
    }
  });

  it('grants only a pending extension', () => {
    expect(refusalFor('grant', coordinator, facts(), parties)).toBeUndefined();
    const refusal = refusalFor('grant', coordinator, facts({ extension: null }), parties);
    expect(refusal).toMatch(/\p{Script=Han}/u);
    expect(refusal).toContain('延期');
  });
});

describe('refusalFor: who may act', () => {
  /** The action, the blocker, who may, and a word the refusal uses to name who may. */
  const rows: [string, BlockerAction, Partial<BlockerFacts>, Who[], string][] = [
    ['accept', 'accept', { status: 'open' }, ['head', 'head2', 'admin'], '责任单位'],
    ['return', 'return', { status: 'accepted' }, ['head', 'head2', 'admin'], '责任单位'],
    ['extend', 'extend', { status: 'accepted' }, ['head', 'head2', 'clerk', 'admin'], '承办人'],
    ['resolve', 'resolve', { status: 'accepted' }, ['head', 'head2', 'clerk', 'admin'], '承办人'],
    ['grant', 'grant', { status: 'accepted' }, ['leader', 'coordinator', 'admin'], '包抓领导'],
    ['confirm', 'confirm', { status: 'resolved', resolvedDay: '2026-10-12' }, ['raiser', 'owner', 'admin'], '项目负责人'],
    ['reopen', 'reopen', { status: 'resolved', resolvedDay: '2026-10-12' }, ['raiser', 'owner', 'admin'], '项目负责人'],
    ['confirm a complaint', 'confirm', { status: 'resolved', complaint: true, resolvedDay: '2026-10-12' }, ['raiser'], '投诉'],
    ['reopen a complaint', 'reopen', { status: 'resolved', complaint: true, resolvedDay: '2026-10-12' }, ['raiser'], '投诉'],
    ['reassign', 'reassign', { status: 'returned', handlerOpenId: null }, ['coordinator', 'admin'], '招商服务中心'],
    ['flag', 'flag', { status: 'open' }, ['head', 'head2', 'clerk', 'raiser', 'owner', 'leader', 'coordinator', 'supervisor', 'admin'], '督查组'],
  ];

  it.each(rows)('%s: only %j', (_, action, over, allowed, whoMay) => {
    const blocker = facts(over);
    for (const [who, actor] of Object.entries(everyone)) {
      const refusal = refusalFor(action, actor, blocker, parties);
      if (allowed.includes(who as Who)) expect(refusal, who).toBeUndefined();
      else {
        expect(refusal, who).toContain(actionName(action));
        expect(refusal, who).toContain(whoMay);
      }
    }
  });

  it('lets a unit head of the unit accept when the roster names no head', () => {
    const noHead = { ...parties, unitHeadOpenId: null };
    expect(refusalFor('accept', head2, facts({ status: 'open' }), noHead)).toBeUndefined();
    expect(refusalFor('accept', otherHead, facts({ status: 'open' }), noHead)).toBeDefined();
  });

  it('lets the coordinators stand in for a unit the roster names no head for, and only then', () => {
    const noHead = { ...parties, unitHeadOpenId: null };
    for (const action of ['accept', 'return', 'extend', 'resolve'] as const) {
      const blocker = facts({ status: 'open', handlerOpenId: null });
      expect(refusalFor(action, coordinator, blocker, noHead), action).toBeUndefined();
      expect(refusalFor(action, coordinator, blocker, parties), action).toBeDefined();
    }
  });

  it('lets the head, not a clerk, resolve a blocker not yet handed to anyone', () => {
    const unhanded = facts({ status: 'open', handlerOpenId: null });
    expect(refusalFor('resolve', head, unhanded, parties)).toBeUndefined();
    expect(refusalFor('resolve', clerk, unhanded, parties)).toBeDefined();
  });

  it('lets no leader grant on a project without one, except the coordinators', () => {
    const noLeader = { ...parties, leaderOpenId: null };
    expect(refusalFor('grant', leader, facts(), noLeader)).toBeDefined();
    expect(refusalFor('grant', coordinator, facts(), noLeader)).toBeUndefined();
  });
});

describe('refusalFor: commitments', () => {
  const commitment = facts({ type: 'commitment', status: 'open', handlerOpenId: null, extension: null });

  it.each(['accept', 'return', 'extend', 'grant', 'resolve', 'confirm', 'reopen', 'reassign'] as const)(
    'refuses to %s a commitment, even to an admin',
    (action) => {
      const refusal = refusalFor(action, admin, commitment, parties);
      expect(refusal).toContain(actionName(action));
      expect(refusal).toContain('兑现');
    },
  );

  it('lets the unit head, the project owner and the coordinators deliver it, and no one else', () => {
    const allowed: Who[] = ['head', 'head2', 'owner', 'coordinator', 'admin'];
    for (const [who, actor] of Object.entries(everyone)) {
      const refusal = refusalFor('deliver', actor, commitment, parties);
      if (allowed.includes(who as Who)) expect(refusal, who).toBeUndefined();
      else {
        expect(refusal, who).toContain(actionName('deliver'));
        expect(refusal, who).toContain('责任单位');
      }
    }
  });

  it('delivers only a commitment not kept yet, and lets it go to the joint meeting', () => {
    expect(refusalFor('deliver', coordinator, { ...commitment, status: 'closed' }, parties)).toContain(statusName('closed'));
    expect(refusalFor('flag', owner, commitment, parties)).toBeUndefined();
  });

  it('refuses to deliver a blocker or a decision, even to an admin', () => {
    for (const type of ['blocker', 'decision'] as const) expect(refusalFor('deliver', admin, facts({ type, status: 'open' }), parties), type).toContain('承诺');
  });
});

describe('resolutionProblems', () => {
  const ordinary = { complaint: false };
  const complaint = { complaint: true };
  const report = (over: Partial<{ outcome: string; finding: string; checkedBy: string }> = {}) => ({
    outcome: '已完成10kV专线接入',
    finding: '',
    checkedBy: '',
    ...over,
  });

  it('closes an ordinary blocker with its outcome alone', () => {
    expect(resolutionProblems(ordinary, report())).toEqual([]);
  });

  it('closes a complaint with its outcome, finding and who checked it', () => {
    expect(resolutionProblems(complaint, report({ finding: '查实施工方违规，已责令整改', checkedBy: 'ou_checker' }))).toEqual([]);
  });

  it.each([
    ['an ordinary blocker without an outcome', ordinary, report({ outcome: '' }), ['outcome']],
    ['an ordinary blocker with a blank outcome', ordinary, report({ outcome: '   ' }), ['outcome']],
    ['an ordinary blocker with too long an outcome', ordinary, report({ outcome: '办'.repeat(MAX_OUTCOME_LENGTH + 1) }), ['outcome']],
    ['a complaint with an outcome only', complaint, report(), ['finding', 'checkedBy']],
    ['a complaint with nothing', complaint, report({ outcome: '' }), ['outcome', 'finding', 'checkedBy']],
    ['a complaint with a blank finding', complaint, report({ finding: '  ', checkedBy: 'ou_checker' }), ['finding']],
    ['a complaint without who checked it', complaint, report({ finding: '查实', checkedBy: '' }), ['checkedBy']],
    ['a complaint with too long a finding', complaint, report({ finding: '查'.repeat(MAX_OUTCOME_LENGTH + 1), checkedBy: 'ou_checker' }), ['finding']],
  ])('refuses %s', (_, blocker, written, expected) => {
    const problems = resolutionProblems(blocker, written);
    expect(fields(problems)).toEqual(expected);
    for (const p of problems) {
      expect(p.message).toMatch(/\p{Script=Han}/u);
      expect(p.hint).toMatch(/\p{Script=Han}/u);
    }
  });

  it(`counts characters, not code units: ${MAX_OUTCOME_LENGTH} are allowed, and the hint names the limit`, () => {
    expect(
      resolutionProblems(complaint, report({ outcome: '𠮷'.repeat(MAX_OUTCOME_LENGTH), finding: '𠮷'.repeat(MAX_OUTCOME_LENGTH), checkedBy: 'ou_c' })),
    ).toEqual([]);
    const [problem] = resolutionProblems(ordinary, report({ outcome: '办'.repeat(MAX_OUTCOME_LENGTH + 1) }));
    expect(problem?.hint).toContain(String(MAX_OUTCOME_LENGTH));
  });
});

describe('reasonProblem', () => {
  it.each([
    ['a sentence', '不属于本单位职责'],
    [`${MAX_REASON_LENGTH} characters`, '因'.repeat(MAX_REASON_LENGTH)],
  ])('accepts %s', (_, reason) => {
    expect(reasonProblem(reason, '退回原因')).toBeUndefined();
  });

  it.each([
    ['no reason', ''],
    ['a blank reason', '  \n'],
    ['too long a reason', '因'.repeat(MAX_REASON_LENGTH + 1)],
  ])('refuses %s, naming what is asked for', (_, reason) => {
    const problem = reasonProblem(reason, '退回原因');
    expect(problem?.field).toBe('reason');
    expect(problem?.message).toContain('退回原因');
    expect(problem?.hint).toMatch(/\p{Script=Han}/u);
  });

  it('names the length allowed', () => {
    expect(reasonProblem('因'.repeat(MAX_REASON_LENGTH + 1), '延期理由')?.hint).toContain(String(MAX_REASON_LENGTH));
  });
});

describe('isOverdue', () => {
  it.each([
    ['open', '2026-10-13', true],
    ['accepted', '2026-10-13', true],
    ['open', today, false],
    ['accepted', '2026-10-15', false],
    ['returned', '2026-10-13', false],
    ['resolved', '2026-10-13', false],
    ['closed', '2026-10-13', false],
    ['superseded', '2026-10-13', false],
  ] as const)('%s, due %s: %s', (status, dueDate, expected) => {
    expect(isOverdue({ status, dueDate }, today)).toBe(expected);
  });
});

describe('confirmedBySilence', () => {
  it('waits 3 working days, the holiday not counted: resolved Sep 30 is confirmed on Saturday Oct 10 (worked)', () => {
    const confirmedOn = ['2026-10-01', '2026-10-05', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-11', '2026-10-12'].filter((day) =>
      confirmedBySilence('2026-09-30', day, rules, cal),
    );
    expect(confirmedOn).toEqual(['2026-10-10', '2026-10-11', '2026-10-12']);
  });

  it('counts an ordinary week too, and not the day it was resolved', () => {
    expect(confirmedBySilence('2026-11-16', '2026-11-16', rules, cal)).toBe(false);
    expect(confirmedBySilence('2026-11-16', '2026-11-18', rules, cal)).toBe(false);
    expect(confirmedBySilence('2026-11-16', '2026-11-19', rules, cal)).toBe(true);
  });

  it('follows the county’s wait', () => {
    const longer = blockerRulesSchema.parse({ confirmWorkingDays: 5 });
    expect(confirmedBySilence('2026-11-16', '2026-11-20', longer, cal)).toBe(false);
    expect(confirmedBySilence('2026-11-16', '2026-11-23', longer, cal)).toBe(true);
  });
});

describe('agendaReason', () => {
  const meetingDay = '2026-10-30';
  const candidate = (over: Partial<AgendaCandidate> = {}): AgendaCandidate => ({
    id: 1,
    type: 'blocker',
    status: 'accepted',
    dueDate: '2026-11-06',
    raisedDay: '2026-10-26',
    flagged: false,
    hasOpenDecision: false,
    ...over,
  });

  it('leaves out a blocker in time, recent and not flagged', () => {
    expect(agendaReason(candidate(), meetingDay, rules, cal)).toBeNull();
  });

  it.each([
    ['an accepted blocker past due', { dueDate: '2026-10-29' }, 'overdue'],
    ['an open blocker past due', { status: 'open', dueDate: '2026-10-20' }, 'overdue'],
    ['a blocker due on the meeting day', { dueDate: meetingDay }, null],
    ['a resolved blocker past due, awaiting confirmation', { status: 'resolved', dueDate: '2026-10-20' }, null],
    ['a flagged blocker', { flagged: true }, 'flagged'],
    ['a blocker raised 21 working days before (across 国庆)', { raisedDay: '2026-09-25' }, 'old'],
    ['a blocker raised 20 working days before (across 国庆)', { raisedDay: '2026-09-28' }, null],
    ['an unfinished decision', { type: 'decision' }, 'decision'],
    ['a decision reported done, awaiting confirmation', { type: 'decision', status: 'resolved' }, 'decision'],
    ['a decision returned by its unit', { type: 'decision', status: 'returned' }, 'decision'],
    ['a closed decision', { type: 'decision', status: 'closed', dueDate: '2026-10-01' }, null],
    ['a decision carried on by a newer one', { type: 'decision', status: 'superseded', dueDate: '2026-10-01' }, null],
    ['a closed blocker, however late, old or flagged', { status: 'closed', dueDate: '2026-09-01', raisedDay: '2026-08-03', flagged: true }, null],
    ['a superseded blocker', { status: 'superseded', dueDate: '2026-09-01', flagged: true }, null],
    [
      'a blocker an open decision already answers',
      { hasOpenDecision: true, dueDate: '2026-09-01', raisedDay: '2026-08-03', flagged: true, status: 'open' },
      null,
    ],
  ] as const)('%s → %s', (_, over, expected) => {
    expect(agendaReason(candidate(over), meetingDay, rules, cal)).toBe(expected);
  });

  it('follows the county’s age limit', () => {
    const sooner = blockerRulesSchema.parse({ agendaAfterWorkingDays: 3 });
    expect(agendaReason(candidate({ raisedDay: '2026-10-26' }), meetingDay, sooner, cal)).toBe('old');
    expect(agendaReason(candidate({ raisedDay: '2026-10-27' }), meetingDay, sooner, cal)).toBeNull();
  });
});

describe('/联席会议', () => {
  it('the example parses after its command word', () => {
    const line = parseCommandLine(MEETING_EXAMPLE);
    expect(valueIn(parseMeetingArgs(line?.rest ?? '', today))).toEqual({ day: '2026-12-10', time: '14:30', place: '县政府三楼会议室' });
  });

  it.each([
    ['12月10日 9:05 地点:县政府三楼会议室', { day: '2026-12-10', time: '09:05', place: '县政府三楼会议室' }],
    ['明天 14：30 会议室:301', { day: '2026-10-15', time: '14:30', place: '301' }],
    ['2026/12/10 0:00 地点:县政府', { day: '2026-12-10', time: '00:00', place: '县政府' }],
    ['下周五 23:59 地点:县政府', { day: '2026-10-23', time: '23:59', place: '县政府' }],
    ['12月10日 １４：３０ 地点:县政府', { day: '2026-12-10', time: '14:30', place: '县政府' }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseMeetingArgs(args, today))).toEqual(expected);
  });

  it.each([
    ['今天 14:30 地点:县政府', ['day']],
    ['2026-10-01 14:30 地点:县政府', ['day']],
    ['2026-02-30 14:30 地点:县政府', ['day']],
    ['2026-12-10 14:30', ['place']],
    ['2026-12-10 14:30 地点:', ['place']],
    [`2026-12-10 14:30 地点:${'楼'.repeat(MAX_PLACE_LENGTH + 1)}`, ['place']],
    ['2026-12-10 24:00 地点:县政府', ['time']],
    ['2026-12-10 14:60 地点:县政府', ['time']],
    ['2026-12-10 下午 地点:县政府', ['time']],
    ['2026-12-10 1430 地点:县政府', ['time']],
    ['2026-12-10 地点:县政府', ['time']],
    ['2026-12-10 14:30 开会 地点:县政府', ['extra']],
    ['2026-12-10 14:30 地点:县政府 主持:县长', ['key']],
    ['', ['day', 'time', 'place']],
    ['今天 下午 开会', ['day', 'time', 'extra', 'place']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseMeetingArgs(args, today)))).toEqual(expected);
  });

  it('shows how to write the day and the time', () => {
    const [day] = problemsOf(parseMeetingArgs('今天 14:30 地点:县政府', today));
    expect(day?.message).toContain(formatDateZh(today));
    expect(day?.hint).toContain(MEETING_EXAMPLE);
    const [time] = problemsOf(parseMeetingArgs('2026-12-10 下午 地点:县政府', today));
    expect(time?.message).toContain('下午');
    expect(time?.hint).toContain('14:30');
  });
});

describe('agendaDay', () => {
  it.each([
    ['a Wednesday meeting', '2026-11-18', '2026-11-17'],
    ['a Monday meeting: the Friday before', '2026-11-16', '2026-11-13'],
    ['the first day back from 国庆: the day before the holiday', '2026-10-08', '2026-09-30'],
    ['the Monday after 国庆: Saturday Oct 10 is worked', '2026-10-12', '2026-10-10'],
  ])('%s', (_, meeting, sent) => {
    expect(agendaDay(meeting, cal)).toBe(sent);
  });
});

describe('/问题清单', () => {
  const none = { unitName: undefined, code: undefined, kind: undefined, type: undefined, overdueOnly: false, all: false };

  it.each([
    ['', {}],
    ['逾期', { overdueOnly: true }],
    ['全部', { all: true }],
    ['全部 逾期', { all: true, overdueOnly: true }],
    ['逾期 单位:县供电公司', { overdueOnly: true, unitName: '县供电公司' }],
    ['单位:县供电公司 逾期', { overdueOnly: true, unitName: '县供电公司' }],
    ['项目:ZS-2026-0001 逾期', { overdueOnly: true, code: 'ZS-2026-0001' }],
    ['类型:用电 全部', { all: true, kind: '用电' }],
    ['责任单位：城关镇', { unitName: '城关镇' }],
    ['项目:zs-2026-1', { code: 'ZS-2026-0001' }],
    ['编号:ZS-2026-0012', { code: 'ZS-2026-0012' }],
    ['类型:用电', { kind: '用电' }],
    ['类型:承诺', { type: 'commitment' }],
    ['类型:议定事项 逾期', { type: 'decision', overdueOnly: true }],
    ['类别:施工 许可', { kind: '施工许可' }],
    ['逾期 全部 单位:县供电公司 项目:ZS-2026-0001 类型:投诉', { overdueOnly: true, all: true, unitName: '县供电公司', code: 'ZS-2026-0001', kind: '投诉' }],
  ])('%j', (args, expected) => {
    expect(valueIn(parseBlockerListArgs(args, today, rules))).toEqual({ ...none, ...expected });
  });

  it.each([
    ['过期', ['extra']],
    ['逾期 我的', ['extra']],
    ['类型:用点', ['kind']],
    ['项目:富硒茶', ['code']],
    ['颜色:红', ['key']],
    ['单位:', ['unit']],
    ['过期 项目:富硒茶 类型:天气', ['extra', 'code', 'kind']],
  ])('%j → problems %j', (args, expected) => {
    expect(fields(problemsOf(parseBlockerListArgs(args, today, rules)))).toEqual(expected);
  });

  it('names the words and keys it knows for an unknown word', () => {
    const [problem] = problemsOf(parseBlockerListArgs('过期', today, rules));
    expect(problem?.message).toContain('过期');
    for (const known of ['逾期', '全部', '单位', '项目', '类型']) expect(problem?.hint).toContain(known);
  });

  it('suggests a close kind for an unknown one', () => {
    const [problem] = problemsOf(parseBlockerListArgs('类型:用点', today, rules));
    expect(timesNamed(problem?.hint ?? '', '用电')).toBe(2);
  });
});

describe('mayListBlocker', () => {
  const blocker: ListedBlocker = {
    unitId: UNIT,
    projectUnitId: 3,
    raisedBy: raiser.openId,
    handlerOpenId: clerk.openId,
    leaderOpenId: leader.openId,
    ownerOpenId: owner.openId,
  };
  const nobodyLed: ReadonlySet<number> = new Set();

  it.each([
    ['a coordinator', true, coordinator, nobodyLed],
    ['a supervisor', true, supervisor, nobodyLed],
    ['an admin', true, admin, nobodyLed],
    ['the project’s leader', true, leader, nobodyLed],
    ['a leader in charge of the responsible unit', true, otherLeader, new Set([UNIT])],
    ['a leader of neither', false, otherLeader, new Set([9])],
    ['the responsible unit’s head', true, head, nobodyLed],
    ['another head of the responsible unit', true, head2, nobodyLed],
    ['the handler', true, clerk, nobodyLed],
    ['someone else of the responsible unit', true, colleague, nobodyLed],
    ['a head of the project’s unit', true, person('ou_head4', 'unit_head', 3), nobodyLed],
    ['the raiser', true, person(raiser.openId, 'official', 9), nobodyLed],
    ['the owner', true, person(owner.openId, 'official', null), nobodyLed],
    ['a head of another unit', false, otherHead, nobodyLed],
    ['a stranger', false, stranger, nobodyLed],
    ['someone in no unit', false, person('ou_y'), nobodyLed],
  ])('%s: %s', (_, expected, reader, led) => {
    expect(mayListBlocker(reader, blocker, led)).toBe(expected);
  });

  it('shows someone in no unit nothing of a project in no unit', () => {
    expect(mayListBlocker(person('ou_y'), { ...blocker, projectUnitId: null }, nobodyLed)).toBe(false);
  });
});
