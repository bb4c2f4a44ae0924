/**
 * A lead (线索) as submitted, before it becomes a project: the fields, how officials write them,
 * and the validation shared by the `/lead` command and the lead card's form.
 */
import { parseAmountWan } from './amount';
import { type Catalog, type CatalogMatch, matchChannel, matchIndustry } from './catalog';

/**
 * A person named in a lead: an @-mention from a message, a plain name the caller looks up in the
 * roster, or an open_id from a card's person picker (its name is not known yet).
 */
export type PersonRef = { kind: 'mention'; openId: string; name: string } | { kind: 'name'; name: string } | { kind: 'open_id'; openId: string };

/** A validated lead, ready for the duplicate check and registration. */
export interface LeadDraft {
  name: string;
  investor: string;
  plannedInvestmentWan?: number;
  industry?: string;
  /** Channel code, e.g. `business_network`. */
  channel?: string;
  owner?: PersonRef;
  leader?: PersonRef;
  referrer?: string;
  unitName?: string;
  note?: string;
}

/** One thing wrong with an input, in Chinese: what is wrong and how to write it right. */
export interface InputProblem {
  /** The lead field concerned (`amount`, `investor`…), or `key` for an unknown key. */
  field: string;
  message: string;
  /** How to write it right, with a correct example. */
  hint: string;
  /** Valid choices that look like what was written, when there are any. */
  suggestions?: string[];
}

/** A draft, or every problem found (never just the first). */
export type LeadResult = { ok: true; draft: LeadDraft } | { ok: false; problems: InputProblem[] };

interface LeadFieldSpec {
  /** Chinese name of the field in messages. */
  label: string;
  /** Keys accepted by `/lead`; the first is the one shown in help and examples. */
  keys: readonly string[];
  required: boolean;
  /** Maximum length in characters. */
  maxLength: number;
  /** What to write, shown in hints. */
  about: string;
  /** A correct value. */
  example: string;
}

/** The lead fields, in the order help lists them; the names double as the card form's input names. */
export const LEAD_FIELDS = {
  name: {
    label: '项目名称',
    keys: ['名称', '项目名称', '项目名', '项目', 'name'],
    required: true,
    maxLength: 100,
    about: '用一句话写明项目内容',
    example: '富硒茶深加工',
  },
  investor: {
    label: '投资方',
    keys: ['投资方', '投资人', '投资商', '投资企业', '客商', 'investor'],
    required: true,
    maxLength: 200,
    about: '写企业全称或投资人姓名',
    example: '某茶业有限公司',
  },
  amount: {
    label: '计划投资额',
    keys: ['金额', '投资额', '计划投资', '计划投资额', '投资金额', '总投资', 'amount'],
    required: false,
    maxLength: 50,
    about: '可写 5000万、1.2亿、8,000 或 500元，只写数字按万元计',
    example: '1.2亿',
  },
  industry: {
    label: '行业',
    keys: ['行业', '产业', 'industry'],
    required: false,
    maxLength: 200,
    about: '从县里定的行业中选',
    example: '富硒茶叶',
  },
  channel: {
    label: '招商方式',
    keys: ['来源', '招商方式', '方式', '渠道', 'channel', 'source'],
    required: false,
    maxLength: 200,
    about: '从县里定的招商方式中选',
    example: '以商招商',
  },
  owner: {
    label: '负责人',
    keys: ['负责人', '专人', '责任人', 'owner'],
    required: false,
    maxLength: 50,
    about: '填一位跟进项目的干部：@ 对方，或写姓名',
    example: '@张三',
  },
  leader: {
    label: '包抓领导',
    keys: ['包抓', '包抓领导', '包抓县级领导', '县级领导', 'leader'],
    required: false,
    maxLength: 50,
    about: '填一位包抓县级领导：@ 对方，或写姓名',
    example: '@李四',
  },
  referrer: {
    label: '引荐人',
    keys: ['引荐人', '引荐', '介绍人', 'referrer'],
    required: false,
    maxLength: 200,
    about: '写引荐项目的个人或单位',
    example: '王五',
  },
  unit: {
    label: '责任单位',
    keys: ['单位', '责任单位', '部门', 'unit'],
    required: false,
    maxLength: 200,
    about: '写负责跟进的部门或镇',
    example: '县招商服务中心',
  },
  note: {
    label: '备注',
    keys: ['备注', '说明', 'note'],
    required: false,
    maxLength: 1000,
    about: '写其他需要说明的情况',
    example: '下周二 3:00 实地考察',
  },
} as const satisfies Record<string, LeadFieldSpec>;

/** A lead field name: `name`, `investor`, `amount`… */
export type LeadField = keyof typeof LEAD_FIELDS;

/** The fields that name a person. */
export type PersonField = 'owner' | 'leader';

/** The fields written as text. */
export type TextField = Exclude<LeadField, PersonField>;

/** Raw field values as read from a command or a form, before validation. */
export type LeadInput = { [F in TextField]?: string } & { [F in PersonField]?: PersonRef };

/** Where the values came from, so that hints show the right way to write them. */
export type LeadSource = 'command' | 'form';

/** Every lead field, in help order. */
export const LEAD_FIELD_NAMES = Object.keys(LEAD_FIELDS) as LeadField[];

/** Whether `field` names a person rather than holding text. */
export function isPersonField(field: LeadField): field is PersonField {
  return field === 'owner' || field === 'leader';
}

/** A correct way to write `field` from `source`: `金额:1.2亿` in a command, `1.2亿` in a form. */
export function exampleFor(field: LeadField, source: LeadSource): string {
  const { keys, example } = LEAD_FIELDS[field];
  if (source === 'form') return example;
  // The name is the free text right after the command, so its example is a whole command.
  if (field === 'name') return `/lead ${example} ${LEAD_FIELDS.investor.keys[0]}:${LEAD_FIELDS.investor.example}`;
  return `${keys[0]}:${example}`;
}

/** The usual hint for a field: what to write, then a correct example. */
export function fieldHint(field: LeadField, source: LeadSource): string {
  return `${LEAD_FIELDS[field].about}。例：${exampleFor(field, source)}`;
}

/**
 * Validates raw lead values: required fields, lengths, the amount, industry and channel against
 * the catalog. `earlier` are problems the caller already found while reading the input (a bad
 * mention, an empty value…); they come first, and a field they cover is not reported missing again.
 */
export function validateLead(input: LeadInput, catalog: Catalog, source: LeadSource, earlier: readonly InputProblem[] = []): LeadResult {
  const problems = [...earlier];
  const reported = new Set(earlier.map((p) => p.field));

  const text = (field: TextField): string | undefined => {
    const value = input[field]?.trim();
    const spec = LEAD_FIELDS[field];
    if (!value) {
      if (spec.required && !reported.has(field)) {
        problems.push({ field, message: `缺少${spec.label}`, hint: fieldHint(field, source) });
      }
      return undefined;
    }
    return withinLength(field, value, source, problems) ? value : undefined;
  };

  const person = (field: PersonField): PersonRef | undefined => {
    const ref = input[field];
    if (ref?.kind === 'name' && !withinLength(field, ref.name, source, problems)) return undefined;
    return ref;
  };

  const catalogValue = (
    field: 'industry' | 'channel',
    match: (catalog: Catalog, input: string) => CatalogMatch,
    choices: readonly string[],
  ): string | undefined => {
    const written = text(field);
    if (written === undefined) return undefined;
    const result = match(catalog, written);
    if (result.ok) return result.value;
    const guess = result.suggestions.length > 0 ? `是不是「${result.suggestions.join('」「')}」？` : '';
    problems.push({
      field,
      message: `没有「${written}」这个${LEAD_FIELDS[field].label}`,
      hint: `${guess}可选：${choices.join('、')}。例：${exampleFor(field, source)}`,
      suggestions: result.suggestions,
    });
    return undefined;
  };

  const amount = (): number | undefined => {
    const written = text('amount');
    if (written === undefined) return undefined;
    const result = parseAmountWan(written);
    if (result.ok) return result.wan;
    problems.push({ field: 'amount', message: result.problem, hint: fieldHint('amount', source) });
    return undefined;
  };

  const draft = {
    name: text('name'),
    investor: text('investor'),
    plannedInvestmentWan: amount(),
    industry: catalogValue('industry', matchIndustry, catalog.industries),
    channel: catalogValue(
      'channel',
      matchChannel,
      catalog.channels.map((c) => c.name),
    ),
    owner: person('owner'),
    leader: person('leader'),
    referrer: text('referrer'),
    unitName: text('unit'),
    note: text('note'),
  };
  const { name, investor } = draft;
  // A missing name or investor is always among the problems; the checks narrow the types.
  if (problems.length > 0 || name === undefined || investor === undefined) return { ok: false, problems };
  return { ok: true, draft: withoutUndefined({ ...draft, name, investor }) };
}

function withinLength(field: LeadField, value: string, source: LeadSource, problems: InputProblem[]): boolean {
  const { label, maxLength } = LEAD_FIELDS[field];
  const length = [...value].length;
  if (length <= maxLength) return true;
  problems.push({
    field,
    message: `${label}太长：${length} 字，最多 ${maxLength} 字`,
    hint: `请精简到 ${maxLength} 字以内。${fieldHint(field, source)}`,
  });
  return false;
}

/** Drops absent optional fields, so a stored draft holds only what was given. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
