/**
 * Every kind of card the bot sends, built at its worst case — the most items and the longest
 * names, notes and reasons its inputs allow, every character one that Lark escapes — and run
 * through the sandbox's card rules (Lark's JSON 2.0 rules, 200 elements, 30 KB). The figures go to
 * test-output/card-sizes.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENDA_ITEMS_PER_CARD,
  acceptFormCard,
  agendaCard,
  blockerCard,
  blockerListCard,
  blockerNewsCard,
  commitmentFormCard,
  confirmCard,
  deliverFormCard,
  extendFormCard,
  extensionCard,
  raiseFormCard,
  reassignFormCard as reassignUnitFormCard,
  reopenFormCard,
  resolveFormCard,
  returnedCard,
  returnFormCard,
  unitAgendaCard,
} from '../../../bot/blockers/blocker-cards';
import { holidayDataMissingCard } from '../../../bot/calendar/calendar-cards';
import { confirmed } from '../../../bot/common/card-action';
import { type Card, md } from '../../../bot/common/card-kit';
import {
  acknowledgeFormCard,
  escalationGroupCard,
  escalationNoticeCard,
  escalationResolvedCard,
  reassignedCard,
  reassignFormCard,
  snoozeFormCard,
  stalledListCard,
  summonsFormCard,
  summonsNoticeCard,
  supervisionFormCard,
  supervisionOrderCard,
} from '../../../bot/escalation/escalation-cards';
import { leadCancelledCard, leadFormCard, leadRegisteredCard, rosterGapsCard, similarProjectCard, unitAssignedCard } from '../../../bot/leads/lead-cards';
import { MAX_PERSON_NAME, MAX_UNIT_NAME } from '../../../bot/leads/roster-import';
import {
  DIGEST_ITEMS_PER_CARD,
  digestCard,
  doneFormCard,
  historyCard,
  lostNoticeCard,
  milestoneFormCard,
  myProjectsCard,
  progressFormCard,
  projectCard,
  signedDatesFormCard,
} from '../../../bot/pipeline/pipeline-cards';
import { bulletinCard } from '../../../bot/standings/bulletin-cards';
import { type ReferredLine, referrersCard } from '../../../bot/standings/referrer-cards';
import { STANDINGS_PAGE_SIZE, standingsCard } from '../../../bot/standings/standings-cards';
import type { BlockerView } from '../../../db/blockers-repository';
import type { LostProject, MissedCommitment, PendingDecision, SummonsHeld, UnitBlockers } from '../../../db/bulletin-repository';
import type { Episode } from '../../../db/escalations-repository';
import type { Milestone, OpenMilestone } from '../../../db/pipeline-repository';
import type { HistoryEntry, Project } from '../../../db/projects-repository';
import { blockerRulesSchema, MAX_DESCRIPTION_LENGTH, MAX_KIND_NAME, MAX_OUTCOME_LENGTH, MAX_PLACE_LENGTH } from '../../../domain/blockers';
import { BLOCKER_LEVELS, blockerEscalationRulesSchema, ESCALATION_LEVELS, escalationRulesSchema, openLadder } from '../../../domain/escalation-ladder';
import { LEAD_FIELDS } from '../../../domain/lead-draft';
import { MAX_MILESTONE_NAME } from '../../../domain/milestones';
import { MAX_PICKER_PEOPLE } from '../../../domain/pickers';
import { MAX_NOTE_LENGTH, MAX_REASON_LENGTH } from '../../../domain/project-commands';
import { SUPERVISION_FIELDS } from '../../../domain/supervision';
import { WorkingCalendar } from '../../../domain/working-calendar';
import type { DigestItem } from '../../../jobs/reminders';
import { checkCard, countElements, MAX_CARD_BYTES, MAX_CARD_ELEMENTS } from '../../../sandbox/card-rules';
import { catalog } from '../../domain/county-catalog';
import { county, type Harness, startHarness, textOf } from '../../support/bot-harness';

/** User text that means something to markdown, then `|`, whose escape `&#124;` is the longest: the most bytes a field can take. */
const HOSTILE = '<b>*x*_y_[z](http://e)`c`<at id=all></at>';
const worst = (length: number) => (HOSTILE + '|'.repeat(length)).slice(0, length);
const openId = (i: number) => `ou_${i.toString(16).padStart(32, 'f')}`;
const TZ = 'Asia/Shanghai';
const TODAY = '2026-12-01';
const calendar = new WorkingCalendar(new Map());

const project: Project = {
  id: 99_999,
  code: 'ZS-2026-99999',
  year: 2026,
  seq: 99_999,
  name: worst(LEAD_FIELDS.name.maxLength),
  investor: worst(LEAD_FIELDS.investor.maxLength),
  investorKey: 'x',
  plannedInvestmentWan: 99_999_999,
  industry: [...catalog.industries].sort((a, b) => b.length - a.length)[0]!,
  channel: catalog.channels[0]!.code,
  referrer: worst(LEAD_FIELDS.referrer.maxLength),
  note: worst(LEAD_FIELDS.note.maxLength),
  unitId: 1,
  ownerOpenId: openId(1),
  leaderOpenId: openId(2),
  stage: 'paused',
  stageReason: worst(MAX_REASON_LENGTH),
  reviewDate: '2027-01-01',
  createdBy: openId(3),
} as Project;
const labels = { unitName: worst(MAX_UNIT_NAME) };
const milestone = (i: number): Milestone =>
  ({
    id: i,
    projectId: project.id,
    kind: 'custom',
    name: `${i}${worst(MAX_MILESTONE_NAME)}`.slice(0, MAX_MILESTONE_NAME),
    dueDate: '2026-01-05',
    doneDate: i % 2 ? '2026-02-01' : null,
  }) as Milestone;
const openMilestone = (i: number): OpenMilestone => ({
  milestoneId: i,
  name: worst(MAX_MILESTONE_NAME),
  dueDate: '2026-01-05',
  projectId: i,
  code: `ZS-2026-${String(i).padStart(5, '0')}`,
  projectName: worst(LEAD_FIELDS.name.maxLength),
  ownerOpenId: openId(i),
  sourceChatId: 'oc_group',
});

/** A record of every kind, each with its longest texts. */
function history(count: number): HistoryEntry[] {
  const kinds: [string, Record<string, unknown>][] = [
    ['progress', { note: worst(MAX_NOTE_LENGTH) }],
    ['stage_moved', { from: 'signed', to: 'lost', reason: worst(MAX_REASON_LENGTH) }],
    ['milestone_moved', { milestone: worst(MAX_MILESTONE_NAME), from: '2026-01-01', to: '2026-02-01', reason: worst(MAX_REASON_LENGTH) }],
    ['owner_reassigned', { from: openId(1), to: openId(4), reason: worst(SUPERVISION_FIELDS.reason.maxLength) }],
    ['escalation_opened', { cause: { kind: 'milestone_overdue', milestoneId: 1, name: worst(MAX_MILESTONE_NAME), dueDate: '2026-01-01', workingDays: 999 } }],
    ['escalation_snooze', { days: 14, reason: worst(MAX_REASON_LENGTH) }],
    ['supervision_ordered', { task: worst(SUPERVISION_FIELDS.task.maxLength), dueDate: '2026-12-31' }],
    ['summons', { when: '2026-12-31', topic: worst(SUPERVISION_FIELDS.topic.maxLength) }],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [action, changes] = i % 2 === 0 ? kinds[0]! : kinds[i % kinds.length || 1]!;
    return {
      id: i,
      projectId: project.id,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      actorOpenId: openId(i),
      action,
      changes,
      sourceKey: null,
    } as HistoryEntry;
  });
}

const rules = escalationRulesSchema.parse({});
const episode = (i: number): Episode =>
  ({
    id: i,
    projectId: project.id,
    causeKey: 'milestone-1',
    cause: { kind: 'milestone_overdue', milestoneId: 1, name: worst(MAX_MILESTONE_NAME), dueDate: '2026-01-01', workingDays: 999 },
    state: { ...openLadder(rules), levelIndex: 2, round: 9 },
    openedAt: new Date(Date.UTC(2026, 0, 1)),
    closedAt: null,
    closedBy: null,
  }) as Episode;
const blocker = (i: number): BlockerView =>
  ({
    id: 9_000_000 + i,
    projectId: project.id,
    type: i % 3 === 0 ? 'decision' : 'blocker',
    kind: `${'类'.repeat(MAX_KIND_NAME)}`,
    complaint: false,
    description: worst(MAX_DESCRIPTION_LENGTH),
    unitId: 1,
    handlerOpenId: openId(5),
    raisedBy: openId(6),
    raisedAt: new Date(0),
    raisedDay: '2026-01-01',
    dueDate: '2026-01-05',
    status: 'accepted',
    extension: { dueDate: '2026-12-31', reason: worst(MAX_REASON_LENGTH), requestedBy: openId(5) },
    outcome: worst(MAX_OUTCOME_LENGTH),
    basis: null,
    amountWan: null,
    deliveredWan: 0,
    finding: null,
    checkedBy: null,
    resolvedDay: null,
    closedDay: null,
    flaggedBy: null,
    meetingId: null,
    answersId: null,
    sourceChatId: null,
    sourceKey: 'x',
    updatedAt: new Date(0),
    code: `ZS-2026-${String(i).padStart(5, '0')}`,
    projectName: worst(LEAD_FIELDS.name.maxLength),
    unitName: worst(MAX_UNIT_NAME),
    ownerOpenId: openId(1),
    leaderOpenId: openId(2),
    projectUnitId: 1,
  }) as BlockerView;
const commitment = (i: number): BlockerView => ({
  ...blocker(i),
  type: 'commitment',
  kind: '承诺',
  status: 'open',
  extension: null,
  basis: worst(MAX_REASON_LENGTH),
  amountWan: 99_999_999.99,
  deliveredWan: 99_999_999.98,
});
const blockerRules = blockerEscalationRulesSchema.parse({});
const blockerEpisode = (i: number): Episode =>
  ({
    ...episode(i),
    causeKey: 'blocker-1',
    cause: {
      kind: 'blocker_overdue',
      blockerId: 1,
      type: 'blocker',
      blockerKind: '类'.repeat(MAX_KIND_NAME),
      description: worst(MAX_DESCRIPTION_LENGTH),
      unitName: worst(MAX_UNIT_NAME),
      dueDate: '2026-01-01',
      workingDays: 999,
    },
    state: { ...openLadder(blockerRules), levelIndex: 2, round: 9 },
  }) as Episode;
const picker = (count: number) => ({
  openIds: Array.from({ length: Math.min(count, MAX_PICKER_PEOPLE) }, (_, i) => openId(i)),
  left: Math.max(0, count - MAX_PICKER_PEOPLE),
});
const formValue = { episode: '999999', level: '3', round: '99', form: 'f'.repeat(24) };

const figures: { kind: string; bytes: number; elements: number }[] = [];

/** Entities decoded, as Lark shows markdown. */
const decoded = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&sim;/g, '~');
function markdownOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownOf);
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Record<string, unknown>;
  return [...(n.tag === 'markdown' ? [String(n.content)] : []), ...Object.values(n).flatMap(markdownOf)];
}

/** Runs the card through Lark's rules, keeps its figures, and checks user text stays literal. */
function passes(kind: string, card: Card, options: { showsUserText?: boolean } = {}): void {
  checkCard(card, { isUser: (id) => /^ou_[0-9a-f]{32}$/.test(id) });
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  const elements = countElements(card);
  figures.push({ kind, bytes, elements });
  expect(bytes, kind).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(elements, kind).toBeLessThanOrEqual(MAX_CARD_ELEMENTS);
  const markdown = markdownOf(card).join('\n');
  expect(markdown, kind).not.toMatch(/<b>|\*x\*|_y_|\[z\]\(|`c`|<at id=all>/);
  if (options.showsUserText !== false) expect(decoded(markdown), kind).toContain('<b>*x*_y_');
}

afterAll(() => {
  mkdirSync('test-output', { recursive: true });
  const rows = figures.map((f) => `| ${f.kind} | ${f.bytes} | ${(f.bytes / 1024).toFixed(1)} KB | ${f.elements} |`);
  writeFileSync('test-output/card-sizes.md', ['| card | bytes | | elements |', '| --- | --- | --- | --- |', ...rows, ''].join('\n'));
});

describe('every card at its worst case passes Lark’s rules', () => {
  it('registration: confirmation, duplicate question, cancellation, form, roster gaps, assignment', () => {
    passes('已登记 (lead registered)', leadRegisteredCard(project, labels, catalog));
    passes('可能重复登记 (similar project)', similarProjectCard(project, { name: worst(100), investor: worst(200) }, 'p'.repeat(24), labels, catalog));
    passes('已取消登记', leadCancelledCard({ name: worst(100) }));
    passes('登记表单 (lead form, 100-person pickers)', leadFormCard(catalog, 'f'.repeat(24), { owners: picker(500), leaders: picker(500) }), {
      showsUserText: false,
    });
    passes(
      '待指派 (roster gaps)',
      rosterGapsCard(project, ['未确定责任单位', `负责人 <at id=${openId(1)}></at> 尚未录入名册`, `包抓领导 <at id=${openId(2)}></at> 不在名册的县级领导中`]),
    );
    passes('新指派项目 (unit assigned)', unitAssignedCard(project, worst(MAX_UNIT_NAME), openId(5)));
  });

  it('pipeline: project card, forms, signing, 流失 notice, /我的, confirmations', () => {
    const milestones = Array.from({ length: 300 }, (_, i) => milestone(i));
    passes(
      '项目卡片 (300 milestones, long notes)',
      projectCard({
        project,
        labels,
        catalog,
        milestones,
        history: history(50),
        today: TODAY,
        calendar,
        timeZone: TZ,
        totals: { fundsWan: 99_999_999, jobs: 999_999 },
        openBlockers: 99_999,
      }),
    );
    passes('记进展表单', progressFormCard(project, 'f'.repeat(24)));
    passes('设定节点表单', milestoneFormCard(project, 'f'.repeat(24)));
    passes('节点改期表单', milestoneFormCard(project, 'f'.repeat(24), milestone(1)));
    passes('标记完成表单 (300 open milestones)', doneFormCard(project, milestones, 'f'.repeat(24), TODAY));
    passes('签约定节点表单', signedDatesFormCard(project, { started: TODAY, producing: TODAY, at_capacity: TODAY }, 'f'.repeat(24)));
    const unkept = Array.from({ length: 500 }, (_, i) => commitment(i));
    const lost = lostNoticeCard(project, worst(MAX_REASON_LENGTH), history(500), TZ, unkept, TODAY);
    passes('流失通知 (500 records, 500 commitments not kept)', lost);
    expect(textOf({ latestContent: lost } as never)).toMatch(/有 500 项承诺未兑现[\s\S]*另有 \d+ 项/);
    expect(textOf({ latestContent: lost } as never)).toMatch(/更早的 \d+ 条记录：发送 \/记录/);
    const mine = myProjectsCard(
      Array.from({ length: 500 }, (_, i) => ({ ...project, id: i, code: `ZS-2026-${String(i).padStart(5, '0')}` })),
      Array.from({ length: 1000 }, (_, i) => ({ ...milestone(i), projectId: i % 500 })),
      TODAY,
    );
    passes('我的项目 (500 projects, 1000 milestones)', mine);
    expect(textOf({ latestContent: mine } as never)).toMatch(/另有 \d+ 个项目[\s\S]*另有 \d+ 个节点/);
    passes('表单确认 (confirmed)', confirmed(`ZS-2026-99999「${worst(MAX_MILESTONE_NAME)}」定于 2027-03-01`).card!.data as Card);
    passes('进展已记录 (confirmed with the note)', confirmed('已记录 ZS-2026-99999 的进展', md(worst(MAX_NOTE_LENGTH))).card!.data as Card);
  });

  it('/记录: every record on some page, each page within the limits', () => {
    const entries = history(400);
    const first = historyCard(project, entries, 1, TZ);
    const pageCount = Number(/第 1\/(\d+) 页/.exec(textOf({ latestContent: first } as never))?.[1]);
    expect(pageCount).toBeGreaterThan(1);
    let lines = 0;
    for (let page = 1; page <= pageCount; page++) {
      const card = historyCard(project, entries, page, TZ);
      passes(`全部记录 第 ${page} 页`, card);
      lines += (markdownOf(card)[0] ?? '').split('\n').length;
    }
    expect(lines).toBe(entries.length);
    // One line for all the pages: the largest.
    const pages = figures.splice(figures.length - pageCount, pageCount);
    figures.push({ ...pages.reduce((a, b) => (b.bytes > a.bytes ? b : a)), kind: `全部记录 (/记录, 400 records in ${pageCount} pages; the largest page)` });
  });

  it('morning digest: a full card of items with buttons, and the count of what no card holds', () => {
    const items: DigestItem[] = Array.from({ length: DIGEST_ITEMS_PER_CARD }, (_, i) => ({
      milestone: openMilestone(i),
      occasion: { kind: 'overdue' as const, workingDays: 999 },
    }));
    const blockerItems: DigestItem[] = Array.from({ length: DIGEST_ITEMS_PER_CARD }, (_, i) => ({
      blocker: blocker(i),
      occasion: { kind: 'overdue', workingDays: 999 },
    }));
    passes('早间提醒 (15 blockers held)', digestCard(TODAY, blockerItems, false, { index: 2, count: 3, notShown: 399_955 }));
    passes('早间提醒 (one part, 15 items)', digestCard(TODAY, items, false, { index: 2, count: 3, notShown: 399_955 }));
    passes('逾期节点通报 (group, 15 items)', digestCard(TODAY, items, true, { index: 2, count: 3, notShown: 399_955 }));
  });

  it('escalation: notices, forms with their pickers, orders, /预警', () => {
    for (const [levelIndex, level] of ESCALATION_LEVELS.entries()) {
      const waitingOn = Array.from({ length: 500 }, (_, i) => blocker(i));
      passes(
        `预警通知 · ${level} (waiting on 500 blockers)`,
        escalationNoticeCard({ project, episode: episode(1), level, levelIndex, round: 99, blockers: waitingOn }),
      );
    }
    for (const [levelIndex, level] of BLOCKER_LEVELS.entries()) {
      passes(`问题逾期预警 · ${level}`, escalationNoticeCard({ project, episode: blockerEpisode(1), level, levelIndex, round: 99, blockers: [] }));
    }
    passes('预警解除', escalationResolvedCard(project, episode(1), openId(1), 'activity'));
    passes('专班群预警 (no buttons)', escalationGroupCard(project, episode(1)));
    passes('问题预警解除', escalationResolvedCard(project, blockerEpisode(1), openId(1), 'activity'), { showsUserText: false });
    passes('已阅表单', acknowledgeFormCard(project, formValue, TODAY));
    passes('暂缓表单', snoozeFormCard(project, formValue, 14));
    passes('督办表单', supervisionFormCard(project, formValue));
    passes('约谈表单 (100-person picker)', summonsFormCard(project, formValue, picker(500)));
    passes('改派表单 (100-person picker)', reassignFormCard(project, formValue, picker(500)));
    passes('督办通知', supervisionOrderCard(project, openId(2), worst(SUPERVISION_FIELDS.task.maxLength), TODAY));
    passes(
      '约谈通知',
      summonsNoticeCard(project, openId(2), {
        when: TODAY,
        place: worst(SUPERVISION_FIELDS.place.maxLength),
        topic: worst(SUPERVISION_FIELDS.topic.maxLength),
      }),
    );
    passes('改派通知', reassignedCard(project, openId(2), worst(SUPERVISION_FIELDS.reason.maxLength)));
    passes(
      '停滞预警列表 (/预警, 2000 alarms, 5 notices re-sent)',
      stalledListCard(
        Array.from({ length: 2000 }, (_, i) => ({ episode: episode(i), project })),
        TZ,
        5,
      ),
    );
  });

  it('blockers and the joint meeting: the unit’s card, the forms, the raiser’s, the deciders’, /问题清单, the agenda', () => {
    const b = blocker(1);
    const complaint = { ...b, complaint: true, finding: worst(MAX_OUTCOME_LENGTH), checkedBy: openId(7) };
    passes('问题卡片 (责任单位)', blockerCard(b, TODAY, calendar, md(worst(MAX_REASON_LENGTH))));
    passes('投诉卡片', blockerCard(complaint, TODAY, calendar));
    passes('问题进展通知', blockerNewsCard(b, '📥 已受理', md(worst(MAX_REASON_LENGTH)), TODAY, calendar));
    passes('办结待确认 (complaint, with finding)', confirmCard(complaint, 3, TODAY, calendar));
    passes('延期申请', extensionCard(b, TODAY, calendar));
    passes('退回待改派', returnedCard(b, worst(MAX_REASON_LENGTH), TODAY, calendar));
    passes('受理表单 (100-person picker)', acceptFormCard(b, picker(500), 'f'.repeat(24)));
    passes('退回表单', returnFormCard(b, 'f'.repeat(24)));
    passes('延期表单', extendFormCard(b, 'f'.repeat(24)));
    passes('办结表单 (complaint, 100-person picker)', resolveFormCard(complaint, picker(500), 'f'.repeat(24)), { showsUserText: false });
    passes('仍未解决表单', reopenFormCard(b, 'f'.repeat(24)));
    passes('改派责任单位表单', reassignUnitFormCard(b, 'f'.repeat(24)));
    passes(
      '提问题表单 (30 kinds)',
      raiseFormCard(
        project,
        blockerRulesSchema.parse({
          kinds: Array.from({ length: 30 }, (_, i) => ({ name: `${i}${'类'.repeat(MAX_KIND_NAME)}`.slice(0, MAX_KIND_NAME), workingDays: 120 })),
        }).kinds,
        'f'.repeat(24),
      ),
    );
    passes('承诺卡片 (责任单位)', blockerCard(commitment(1), TODAY, calendar, md(worst(MAX_REASON_LENGTH))));
    passes('兑现表单', deliverFormCard(commitment(1), 'f'.repeat(24)));
    passes('记承诺表单', commitmentFormCard(project, 'f'.repeat(24)));
    passes(
      '早间提醒 (15 commitments held)',
      digestCard(
        TODAY,
        Array.from({ length: DIGEST_ITEMS_PER_CARD }, (_, i) => ({ blocker: commitment(i), occasion: { kind: 'overdue' as const, workingDays: 999 } })),
        false,
        { index: 2, count: 3, notShown: 399_955 },
      ),
    );
    passes(
      '问题清单 (/问题清单, 3000 blockers)',
      blockerListCard(
        '未解决问题和议定事项',
        Array.from({ length: 3000 }, (_, i) => blocker(i)),
        TODAY,
        calendar,
      ),
    );
    const meeting = {
      id: 99_999,
      day: TODAY,
      time: '14:30',
      place: worst(MAX_PLACE_LENGTH),
      scheduledBy: openId(1),
      createdAt: new Date(0),
      sourceKey: 'x',
      agendaAt: new Date(0),
    };
    const lines = Array.from({ length: AGENDA_ITEMS_PER_CARD }, (_, i) => ({
      position: 9_000 + i,
      reason: 'decision' as const,
      blocker: blocker(i),
      decided: i % 2 ? { ...blocker(i), description: worst(MAX_DESCRIPTION_LENGTH) } : undefined,
    }));
    passes(`联席会议议程 (one part, ${AGENDA_ITEMS_PER_CARD} items)`, agendaCard(meeting, lines, { index: 98, count: 99 }, TODAY, calendar));
    passes(
      '联席会议 · 单位议题 (500 items)',
      unitAgendaCard(
        meeting,
        worst(MAX_UNIT_NAME),
        Array.from({ length: 500 }, (_, i) => ({ ...lines[0]!, blocker: blocker(i) })),
      ),
    );
  });

  it('standings, bulletin, referrers, holiday data', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      unitId: i,
      unitName: `${i}${worst(MAX_UNIT_NAME)}`.slice(0, MAX_UNIT_NAME),
      rank: i + 1,
      total: -99_999.99,
      rankChange: -299,
      scoreChange: -99_999.99,
      // Every line the scoring rules can give: 5 stages, 3 amounts, 2 milestones, stalls, 3 of blockers.
      lines: Array.from({ length: 14 }, (_, j) => ({ label: `${worst(MAX_PERSON_NAME)} ${j}`, points: -9999.99 })),
    }));
    const period = { kind: 'quarter' as const, from: '2026-07-01', to: '2026-09-30', label: '2026年第3季度' };
    const standings = { period, previous: { ...period, label: '2026年第2季度' }, rows };
    const last = Math.ceil(rows.length / STANDINGS_PAGE_SIZE);
    passes(
      '考核排名 (300 units, with one unit’s detail)',
      standingsCard(standings, { unitId: 0, page: last - 1, pageValue: (page) => ({ action: 'standings.page', period: 'x'.repeat(40), page: String(page) }) }),
    );
    const lost: LostProject[] = Array.from({ length: 500 }, (_, i) => ({
      code: `ZS-2026-${i}`,
      name: worst(100),
      investor: worst(200),
      reason: worst(MAX_REASON_LENGTH),
      at: 0,
    }));
    const summons: SummonsHeld[] = Array.from({ length: 500 }, (_, i) => ({
      code: `ZS-2026-${i}`,
      name: worst(100),
      when: TODAY,
      topic: worst(200),
      attendees: picker(500).openIds,
    }));
    const blockers: UnitBlockers[] = Array.from({ length: 500 }, (_, i) => ({
      unitId: i,
      unitName: `${i}${worst(MAX_UNIT_NAME)}`.slice(0, MAX_UNIT_NAME),
      resolved: 99_999,
      resolvedOnTime: 99_999,
      overdue: 99_999,
    }));
    const decisions: PendingDecision[] = Array.from({ length: 500 }, (_, i) => ({
      code: `ZS-2026-${String(i).padStart(5, '0')}`,
      unitName: worst(MAX_UNIT_NAME),
      description: worst(MAX_DESCRIPTION_LENGTH),
      dueDate: '2026-09-01',
      status: i % 2 ? 'returned' : 'accepted',
      overdue: true,
    }));
    // Kept late and not kept alternate; the amounts are the largest an amount can be, in 亿元 with decimals.
    const missed: MissedCommitment[] = Array.from({ length: 500 }, (_, i) => ({
      code: `ZS-2026-${String(i).padStart(5, '0')}`,
      unitName: worst(MAX_UNIT_NAME),
      description: worst(MAX_DESCRIPTION_LENGTH),
      dueDate: '2026-09-01',
      keptDay: i % 2 ? '2026-09-30' : null,
      amountWan: 99_999_999.9999,
      deliveredWan: 99_999_998.9999,
    }));
    const bulletin = bulletinCard({
      period,
      rows,
      stalled: { longest: Array.from({ length: 10 }, (_, i) => ({ episode: episode(i), project })), total: 100_000 },
      lost,
      summons,
      blockers,
      decisions,
      commitments: { due: 99_999, onTime: 99_999, late: 99_999, notKept: 99_999, notYetDue: 99_999, missed },
    });
    passes('季度通报 (500 stalled, lost, summons, units with blockers, decisions and late commitments)', bulletin);
    expect(textOf({ latestContent: bulletin } as never)).toMatch(
      /另有 99990 个停滞项目[\s\S]*另有 490 个流失项目[\s\S]*另有 490 次约谈[\s\S]*另有 490 个责任单位[\s\S]*另有 490 项议定事项[\s\S]*另有 490 项承诺/,
    );
    const byReferrer = new Map<string, ReferredLine[]>(
      Array.from({ length: 200 }, (_, i) => [
        `${i}${worst(LEAD_FIELDS.referrer.maxLength)}`,
        Array.from({ length: 50 }, (_, j) => ({ code: `ZS-2026-${j}`, name: worst(100), stage: 'at_capacity' as const, rewardDue: true })),
      ]),
    );
    passes('引荐情况 (200 referrers × 50 projects)', referrersCard(`🤝 引荐情况 · 2026年（奖励条件：达到投产）`, byReferrer));
    passes('补充节假日安排', holidayDataMissingCard([2027, 2028], `/srv/zhaoshang/${worst(200)}.json`));
  });
});

describe('cards whose content does not depend on input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/帮助 and /帮助 <command> for every command, in a group and in a direct chat, are sent', async () => {
    const [all] = await h.sendAndWaitReplies(h.groupMessage(county.official, '/帮助'));
    const card = all?.latestContent as Card;
    figures.push({ kind: '命令一览 (/帮助)', bytes: Buffer.byteLength(JSON.stringify(card), 'utf8'), elements: countElements(card) });
    const commands = [...textOf(all).matchAll(/\*\*\/(\S+)\*\*/g)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(15);
    for (const command of commands) {
      const [one] = await h.sendAndWaitReplies(h.groupMessage(county.official, `/帮助 ${command}`));
      expect(one?.msgType, command).toBe('interactive');
    }
  });
});
