/**
 * The demo county: a roster with every role, one work group, and projects in every stage dated
 * relative to the day the demo is loaded, so that standings, reminders and stall alarms all have
 * something to show at once. Loaded by `npm run demo` (bot/cli/load-demo.ts) and by the browser test.
 */
import { eq } from 'drizzle-orm';
import { createBlockersRepository } from '../../db/blockers-repository';
import { createPeopleRepository, createUnitsRepository } from '../../db/people-repository';
import { createPipelineRepository } from '../../db/pipeline-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import type { Store } from '../../db/store';
import { dateInZone, type IsoDate } from '../../domain/calendar-date';
import { yearIn } from '../../domain/clock';
import { formatProjectCode } from '../../domain/project-code';
import { investorKey } from '../../domain/similar-projects';
import { checkStageMove, completedMilestoneKind } from '../../domain/stages';
import type { MilestoneKind, ProjectStage } from '../../domain/vocabulary';
import type { SandboxChat, SandboxUser } from '../../sandbox/types';
import { importRoster, type Roster } from '../leads/roster-import';

const DAY = 86_400_000;

/** The demo's people, by a short key used in the project script below. */
const PEOPLE = {
  wang: { open_id: 'ou_demo_wang', name: '王主任', unit: '县招商服务中心', role: 'coordinator', mobile: '13800000001' },
  zhou: { open_id: 'ou_demo_zhou', name: '周工', unit: '县招商服务中心', role: 'admin' },
  zhang: { open_id: 'ou_demo_zhang', name: '张副县长', role: 'leader' },
  liu: { open_id: 'ou_demo_liu', name: '刘副县长', role: 'leader' },
  wu: { open_id: 'ou_demo_wu', name: '吴督查', role: 'supervisor' },
  li: { open_id: 'ou_demo_li', name: '李局长', unit: '县发改局', role: 'unit_head', email: 'li@example.gov.cn' },
  ma: { open_id: 'ou_demo_ma', name: '马干事', unit: '县发改局', role: 'official' },
  he: { open_id: 'ou_demo_he', name: '何局长', unit: '县工信局', role: 'unit_head' },
  lin: { open_id: 'ou_demo_lin', name: '林镇长', unit: '城关镇', role: 'unit_head' },
  zhao: { open_id: 'ou_demo_zhao', name: '赵干事', unit: '城关镇', role: 'official', mobile: '13800000002' },
  qian: { open_id: 'ou_demo_qian', name: '钱干事', unit: '城关镇', role: 'official' },
  sun: { open_id: 'ou_demo_sun', name: '孙镇长', unit: '池河镇', role: 'unit_head' },
  chen: { open_id: 'ou_demo_chen', name: '陈干事', unit: '池河镇', role: 'official' },
  zheng: { open_id: 'ou_demo_zheng', name: '郑镇长', unit: '后柳镇', role: 'unit_head' },
  guo: { open_id: 'ou_demo_guo', name: '郭经理', unit: '县供电公司', role: 'unit_head' },
  feng: { open_id: 'ou_demo_feng', name: '冯干事', unit: '后柳镇', role: 'official' },
} as const satisfies Record<string, Roster['people'][number]>;
type PersonKey = keyof typeof PEOPLE;

/** The demo roster, in the format of `npm run roster:import` (every person by open_id). */
export const DEMO_ROSTER: Roster = {
  units: [
    { name: '县招商服务中心', kind: 'department' },
    { name: '县发改局', kind: 'department' },
    { name: '县工信局', kind: 'department' },
    { name: '城关镇', kind: 'township' },
    { name: '池河镇', kind: 'township' },
    { name: '后柳镇', kind: 'township' },
    { name: '县供电公司', kind: 'department', leader: '张副县长' },
  ],
  people: Object.values(PEOPLE),
};

/** The demo roster as Lark users of the sandbox tenant. */
export const DEMO_USERS: SandboxUser[] = DEMO_ROSTER.people.map((p) => ({ openId: p.open_id!, name: p.name, mobile: p.mobile, email: p.email }));

/** The county's work group, where projects are registered; everyone on the demo roster is in it. */
export const DEMO_GROUP: SandboxChat = { chatId: 'oc_demo_zhaoshang_work_group', name: '招商工作群', memberOpenIds: DEMO_USERS.map((u) => u.openId) };

/** One step in a project's life, `daysAgo` before the demo is loaded. */
type Step = { daysAgo: number } & (
  | { stage: ProjectStage; reason?: string; reviewInDays?: number }
  /** A milestone due `dueInDays` from the load day (negative: already past). */
  | { milestone: string; kind: MilestoneKind; dueInDays: number }
  | { progress: string }
  | { fundsWan: number }
  | { jobs: number }
);

interface DemoProject {
  key: string;
  name: string;
  investor: string;
  amountWan: number;
  industry: string;
  channel: string;
  unit: string;
  owner: PersonKey;
  leader?: PersonKey;
  referrer?: string;
  registeredDaysAgo: number;
  steps: Step[];
}

const signedMilestones = (daysAgo: number, started: number, producing: number, atCapacity: number): Step[] => [
  { daysAgo, milestone: '开工', kind: 'started', dueInDays: started },
  { daysAgo, milestone: '投产', kind: 'producing', dueInDays: producing },
  { daysAgo, milestone: '达产', kind: 'at_capacity', dueInDays: atCapacity },
];

/** Every stage, on-time and late milestones, funds and jobs, and four kinds of stall. */
const PROJECTS: DemoProject[] = [
  {
    key: 'hq',
    name: '区域总部结算中心',
    investor: '安康商贸集团',
    amountWan: 5000,
    industry: '总部经济',
    channel: 'business_network',
    unit: '城关镇',
    owner: 'zhao',
    leader: 'liu',
    referrer: '在外乡贤王某',
    registeredDaysAgo: 800,
    steps: [
      { daysAgo: 780, stage: 'negotiating' },
      { daysAgo: 720, stage: 'signed' },
      ...signedMilestones(720, -640, -360, 5),
      { daysAgo: 650, stage: 'started' },
      { daysAgo: 600, fundsWan: 3000 },
      { daysAgo: 370, stage: 'producing' },
      { daysAgo: 300, jobs: 60 },
      { daysAgo: 20, stage: 'at_capacity' },
      { daysAgo: 20, fundsWan: 1500 },
    ],
  },
  {
    key: 'water',
    name: '包装饮用水扩能项目',
    investor: '秦岭山泉饮品有限公司',
    amountWan: 8000,
    industry: '包装饮用水',
    channel: 'targeted',
    unit: '池河镇',
    owner: 'chen',
    leader: 'liu',
    registeredDaysAgo: 400,
    steps: [
      { daysAgo: 380, stage: 'negotiating' },
      { daysAgo: 330, stage: 'signed' },
      ...signedMilestones(330, -270, -15, 300),
      { daysAgo: 265, stage: 'started' },
      { daysAgo: 200, fundsWan: 3000 },
      { daysAgo: 18, stage: 'producing' },
      { daysAgo: 10, fundsWan: 2500 },
      { daysAgo: 10, jobs: 85 },
      { daysAgo: 3, jobs: 40 },
    ],
  },
  {
    key: 'solar',
    name: '光伏储能示范项目',
    investor: '陕西新能源科技有限公司',
    amountWan: 15000,
    industry: '科技创新',
    channel: 'agency',
    unit: '县发改局',
    owner: 'ma',
    leader: 'zhang',
    registeredDaysAgo: 300,
    steps: [
      { daysAgo: 280, stage: 'negotiating' },
      { daysAgo: 200, stage: 'signed' },
      ...signedMilestones(200, -110, 100, 400),
      { daysAgo: 100, stage: 'started' },
      { daysAgo: 40, fundsWan: 4000 },
      { daysAgo: 5, jobs: 30 },
    ],
  },
  {
    key: 'tea',
    name: '富硒茶深加工项目',
    investor: '陕南富硒茶业有限公司',
    amountWan: 12000,
    industry: '富硒茶叶',
    channel: 'business_network',
    unit: '城关镇',
    owner: 'zhao',
    leader: 'zhang',
    referrer: '县茶业协会',
    registeredDaysAgo: 150,
    steps: [
      { daysAgo: 140, progress: '客商来县考察茶园基地' },
      { daysAgo: 130, stage: 'negotiating' },
      { daysAgo: 75, stage: 'signed' },
      ...signedMilestones(75, -20, 290, 650),
      { daysAgo: 21, progress: '土地报批材料已报县自然资源局' },
    ],
  },
  {
    key: 'farm',
    name: '现代农业产业园',
    investor: '绿源农业科技有限公司',
    amountWan: 20000,
    industry: '现代农业',
    channel: 'park_platform',
    unit: '县发改局',
    owner: 'ma',
    leader: 'liu',
    registeredDaysAgo: 90,
    steps: [
      { daysAgo: 70, stage: 'negotiating' },
      { daysAgo: 14, stage: 'signed' },
      ...signedMilestones(14, 5, 350, 700),
      { daysAgo: 14, milestone: '环评批复', kind: 'custom', dueInDays: 2 },
    ],
  },
  {
    key: 'garment',
    name: '新社区工厂（服装加工）',
    investor: '粤秦服饰有限公司',
    amountWan: 1500,
    industry: '新社区工厂',
    channel: 'returnee',
    unit: '城关镇',
    owner: 'qian',
    registeredDaysAgo: 25,
    steps: [
      { daysAgo: 12, stage: 'negotiating' },
      { daysAgo: 2, progress: '已确定厂房，正在商谈租金' },
    ],
  },
  {
    key: 'resort',
    name: '文旅康养小镇',
    investor: '汉江文旅集团',
    amountWan: 50000,
    industry: '文旅康养',
    channel: 'resident_office',
    unit: '后柳镇',
    owner: 'feng',
    leader: 'zhang',
    registeredDaysAgo: 35,
    steps: [],
  },
  {
    key: 'homestay',
    name: '茶旅融合民宿群',
    investor: '陈某（在外乡贤）',
    amountWan: 800,
    industry: '文旅康养',
    channel: 'citizen_referral',
    unit: '后柳镇',
    owner: 'feng',
    referrer: '后柳镇村民李某',
    registeredDaysAgo: 70,
    steps: [
      { daysAgo: 55, stage: 'negotiating' },
      { daysAgo: 50, progress: '客商看了三处老宅，倾向河边一处' },
    ],
  },
  {
    key: 'chips',
    name: '电子元件生产线',
    investor: '深圳芯联电子有限公司',
    amountWan: 30000,
    industry: '工业制造',
    channel: 'agency',
    unit: '县工信局',
    owner: 'he',
    leader: 'zhang',
    registeredDaysAgo: 200,
    steps: [
      { daysAgo: 180, stage: 'negotiating' },
      { daysAgo: 60, stage: 'paused', reason: '客商资金未到位', reviewInDays: -5 },
    ],
  },
  {
    key: 'lab',
    name: '硒资源研发中心',
    investor: '北京硒谷科技有限公司',
    amountWan: 6000,
    industry: '科技创新',
    channel: 'online',
    unit: '池河镇',
    owner: 'chen',
    leader: 'liu',
    registeredDaysAgo: 100,
    steps: [
      { daysAgo: 80, stage: 'negotiating' },
      { daysAgo: 9, stage: 'lost', reason: '客商转投邻县' },
    ],
  },
];

/** Blockers on the projects under way: one overdue with its unit, one being handled, a complaint done and awaiting its raiser's word. */
const BLOCKERS: {
  project: string;
  kind: string;
  description: string;
  unit: string;
  raisedDaysAgo: number;
  dueInDays: number;
  /** Who accepts it (the unit's head), and who then reports it done, with what. */
  acceptedBy?: PersonKey;
  resolved?: { outcome: string; finding?: string; checkedBy?: PersonKey };
}[] = [
  { project: 'solar', kind: '用电', description: '光伏并网接入方案未批复，影响并网验收', unit: '县供电公司', raisedDaysAgo: 20, dueInDays: -6 },
  { project: 'tea', kind: '规划', description: '加工厂房规划条件未出具', unit: '县发改局', raisedDaysAgo: 5, dueInDays: 5, acceptedBy: 'li' },
  {
    project: 'tea',
    kind: '投诉',
    description: '客商反映施工车辆进出被个别村民阻拦',
    unit: '城关镇',
    raisedDaysAgo: 4,
    dueInDays: -1,
    acceptedBy: 'lin',
    resolved: { outcome: '镇村干部现场协调，已恢复通行', finding: '经核查反映属实，已对相关村民批评教育', checkedBy: 'wu' },
  },
];

const sourceKey = (project: DemoProject, step?: number) => `demo-${project.key}${step === undefined ? '' : `-${step}`}`;

/**
 * Loads the demo roster and projects, acting as each project's owner at dates before `now` (the
 * repositories' clock is moved step by step, so history, activity and milestones look lived-in).
 * Idempotent: once the demo is in, loading it again changes nothing. Reminders and stall alarms are
 * not armed here: the bot rebuilds reminders from SQLite when it starts and scans for stalls daily.
 */
export async function loadDemo(store: Store, options: { now: number; timeZone: string }): Promise<{ loaded: boolean; projects: number }> {
  const lastKey = sourceKey(PROJECTS.at(-1)!);
  const { projects: projectsTable } = store.tables;
  if ((await store.db.select({ id: projectsTable.id }).from(projectsTable).where(eq(projectsTable.sourceKey, lastKey)).limit(1)).length > 0) {
    return { loaded: false, projects: PROJECTS.length };
  }
  let at = options.now;
  const clock = () => at;
  const units = createUnitsRepository({ store, clock });
  const people = createPeopleRepository({ store, clock });
  const projects = createProjectsRepository({ store, clock });
  const pipeline = createPipelineRepository({ store, clock });
  const blockers = createBlockersRepository({ store, clock });
  await importRoster(DEMO_ROSTER, { store, units, people, openIdsByContact: async () => new Map() });

  const dayOf = (ms: number): IsoDate => dateInZone(ms, options.timeZone);
  const daysAgo = (days: number) => options.now - days * DAY;
  // One transaction: a load that fails half-way leaves nothing, so the check above stays true.
  const projectIds = new Map<string, number>();
  await store.transaction(async () => {
    for (const spec of PROJECTS) {
      at = daysAgo(spec.registeredDaysAgo);
      const owner = PEOPLE[spec.owner].open_id;
      const { project } = await projects.register(
        {
          year: yearIn(options.timeZone, at),
          name: spec.name,
          investor: spec.investor,
          investorKey: investorKey(spec.investor),
          plannedInvestmentWan: spec.amountWan,
          industry: spec.industry,
          channel: spec.channel,
          referrer: spec.referrer ?? null,
          note: null,
          unitId: (await units.byName(spec.unit))!.id,
          ownerOpenId: owner,
          leaderOpenId: spec.leader ? PEOPLE[spec.leader].open_id : null,
          createdBy: owner,
          sourceChatId: DEMO_GROUP.chatId,
          sourceKey: sourceKey(spec),
        },
        formatProjectCode,
      );
      projectIds.set(spec.key, project.id);
      let stage: ProjectStage = 'lead';
      for (const [i, step] of spec.steps.entries()) {
        at = daysAgo(step.daysAgo);
        const request = { projectId: project.id, actorOpenId: owner, sourceKey: sourceKey(spec, i) };
        if ('stage' in step) {
          const move = { to: step.stage, reason: step.reason, reviewDate: step.reviewInDays === undefined ? undefined : dayOf(daysAgo(-step.reviewInDays)) };
          // The script obeys the county's rules, as of the day of each move.
          const check = checkStageMove(stage, move, { today: dayOf(at) });
          if (!check.ok) throw new Error(`demo project ${spec.key}: ${check.problem}`);
          await pipeline.moveStage(request, { from: stage, ...move, today: dayOf(at), completes: completedMilestoneKind(step.stage) });
          stage = step.stage;
        } else if ('milestone' in step) {
          await pipeline.setMilestone(request, { kind: step.kind, name: step.milestone, dueDate: dayOf(daysAgo(-step.dueInDays)) });
        } else if ('progress' in step) {
          await pipeline.logProgress(request, step.progress);
        } else if ('fundsWan' in step) {
          await pipeline.recordFunds(request, step.fundsWan, dayOf(at));
        } else {
          await pipeline.recordJobs(request, step.jobs, dayOf(at));
        }
      }
    }
    for (const [i, spec] of BLOCKERS.entries()) {
      at = daysAgo(spec.raisedDaysAgo);
      const project = PROJECTS.find((p) => p.key === spec.project)!;
      const raiser = PEOPLE[project.owner].open_id;
      const request = { projectId: projectIds.get(spec.project)!, actorOpenId: raiser, sourceKey: `demo-blocker-${i}` };
      const { blocker } = await blockers.raise(
        request,
        {
          type: 'blocker',
          kind: spec.kind,
          complaint: spec.kind === '投诉',
          description: spec.description,
          unitId: (await units.byName(spec.unit))!.id,
          dueDate: dayOf(daysAgo(-spec.dueInDays)),
          raisedDay: dayOf(at),
          sourceChatId: DEMO_GROUP.chatId,
        },
        'blocker_raised',
      );
      if (spec.acceptedBy) {
        at += DAY / 2;
        const by = PEOPLE[spec.acceptedBy].open_id;
        await blockers.step(
          { ...request, actorOpenId: by, sourceKey: `${request.sourceKey}-accept` },
          blocker,
          ['open'],
          { status: 'accepted' },
          'blocker_accept',
          {},
        );
        if (spec.resolved) {
          at += DAY;
          const { outcome, finding, checkedBy } = spec.resolved;
          const report = { outcome, finding: finding ?? null, checkedBy: checkedBy ? PEOPLE[checkedBy].open_id : null };
          await blockers.step(
            { ...request, actorOpenId: by, sourceKey: `${request.sourceKey}-resolve` },
            blocker,
            ['accepted'],
            { status: 'resolved', resolvedDay: dayOf(at), ...report },
            'blocker_resolve',
            report,
          );
        }
      }
    }
  });
  return { loaded: true, projects: PROJECTS.length };
}
