/**
 * What a 包抓领导 (or unit head) submits from a warning card: a supervision order (督办), a summons
 * (约谈) or a new owner (改派). Lark sends `form_value` keyed by input name: text inputs as strings,
 * date pickers as `YYYY-MM-DD` or `YYYY-MM-DD +0800`, person pickers as an open_id or an array of them.
 */
import { compareDates, type IsoDate } from './calendar-date';
import type { InputProblem } from './lead-draft';
import { DATE_FORMS, parseUserDate } from './user-date';

/** A form's values, or every problem found. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** 督办: what must be done, by when. */
export interface SupervisionOrder {
  task: string;
  dueDate: IsoDate;
}

/** 约谈: when, where, whom, about what. */
export interface Summons {
  when: IsoDate;
  place?: string;
  /** open_ids, at least one. */
  attendees: string[];
  topic: string;
}

/** 改派: the new owner's open_id, and why. */
export interface Reassignment {
  newOwner: string;
  reason: string;
}

interface FieldSpec {
  /** Chinese name of the field in messages. */
  label: string;
  /** What to write, with an example; shown in hints. */
  about: string;
  /** Maximum length in characters, for text fields. */
  maxLength?: number;
}

/** The fields of the three forms; the names are the card inputs' names and the result's keys. */
export const SUPERVISION_FIELDS = {
  task: { label: '督办事项', about: '写明要办成的事，如：月底前完成土地摘牌', maxLength: 200 },
  dueDate: { label: '办结时限', about: `选择或填写今天之后的日期，可写 ${DATE_FORMS}` },
  when: { label: '约谈日期', about: `选择或填写今天或以后的日期，可写 ${DATE_FORMS}` },
  place: { label: '约谈地点', about: '如：县政府三楼会议室', maxLength: 100 },
  attendees: { label: '约谈对象', about: '在人员选择框中选择至少一人' },
  topic: { label: '约谈事由', about: '如：项目开工滞后，说明原因和下一步安排', maxLength: 200 },
  newOwner: { label: '新负责人', about: '在人员选择框中选择一人' },
  reason: { label: '改派原因', about: '如：原负责人调岗', maxLength: 200 },
} as const satisfies Record<string, FieldSpec>;

/** A field name of one of the forms. */
export type SupervisionField = keyof typeof SUPERVISION_FIELDS;

/** 督办: the task (required, at most 200 characters) and a due date after today. */
export function parseSupervisionOrder(formValue: Record<string, unknown>, today: IsoDate): FormResult<SupervisionOrder> {
  const form = new FormReader(formValue);
  const task = form.text('task', true);
  const dueDate = form.date('dueDate', today, 'after');
  if (form.problems.length > 0 || task === undefined || dueDate === undefined) return form.failed();
  return { ok: true, value: { task, dueDate } };
}

/** 约谈: a date from today on, an optional place, at least one person and the topic. */
export function parseSummons(formValue: Record<string, unknown>, today: IsoDate): FormResult<Summons> {
  const form = new FormReader(formValue);
  const when = form.date('when', today, 'from');
  const place = form.text('place', false);
  const attendees = form.people('attendees', 'many');
  const topic = form.text('topic', true);
  if (form.problems.length > 0 || when === undefined || attendees === undefined || topic === undefined) return form.failed();
  return { ok: true, value: { when, attendees, topic, ...(place !== undefined && { place }) } };
}

/** 改派: exactly one new owner and the reason. */
export function parseReassign(formValue: Record<string, unknown>): FormResult<Reassignment> {
  const form = new FormReader(formValue);
  const [newOwner] = form.people('newOwner', 'one') ?? [];
  const reason = form.text('reason', true);
  if (form.problems.length > 0 || newOwner === undefined || reason === undefined) return form.failed();
  return { ok: true, value: { newOwner, reason } };
}

/** Reads fields one by one, collecting every problem rather than stopping at the first. */
class FormReader {
  readonly problems: InputProblem[] = [];

  constructor(private readonly formValue: Record<string, unknown>) {}

  failed(): { ok: false; problems: InputProblem[] } {
    return { ok: false, problems: this.problems };
  }

  /** Trimmed text within the field's length; undefined when empty (a problem if required) or wrong. */
  text(field: SupervisionField, required: boolean): string | undefined {
    const raw = this.formValue[field] ?? '';
    if (typeof raw !== 'string') return this.malformed(field);
    const value = raw.trim();
    const spec: FieldSpec = SUPERVISION_FIELDS[field];
    if (value === '') return required ? this.problem(field, `缺少${spec.label}`) : undefined;
    const length = [...value].length;
    if (spec.maxLength !== undefined && length > spec.maxLength) {
      return this.problem(field, `${spec.label}太长：${length} 字，最多 ${spec.maxLength} 字`);
    }
    return value;
  }

  /** A required date: picked or typed, after today (`after`) or from today on (`from`). */
  date(field: SupervisionField, today: IsoDate, earliest: 'after' | 'from'): IsoDate | undefined {
    const written = this.text(field, true);
    if (written === undefined) return undefined;
    // The date picker adds the county's UTC offset; the date before it is already county time.
    const parsed = parseUserDate(written.replace(/^(\d{4}-\d{2}-\d{2})\s+[+-]\d{4}$/u, '$1'), today);
    if (!parsed.ok) return this.problem(field, `${SUPERVISION_FIELDS[field].label}：${parsed.problem}`);
    const order = compareDates(parsed.date, today);
    if (order < 0 || (order === 0 && earliest === 'after')) {
      return this.problem(field, `${SUPERVISION_FIELDS[field].label}${earliest === 'after' ? '必须晚于今天' : '不能早于今天'}`);
    }
    return parsed.date;
  }

  /** The distinct open_ids picked: at least one, and exactly one when `one`. */
  people(field: SupervisionField, count: 'one' | 'many'): string[] | undefined {
    const raw = this.formValue[field] ?? [];
    const picked = Array.isArray(raw) ? raw : [raw];
    if (!picked.every((id): id is string => typeof id === 'string')) return this.malformed(field);
    const openIds = [...new Set(picked.map((id) => id.trim()).filter(Boolean))];
    const { label } = SUPERVISION_FIELDS[field];
    if (openIds.length === 0) return this.problem(field, `没有选择${label}`);
    if (count === 'one' && openIds.length > 1) return this.problem(field, `${label}只能选一人`);
    return openIds;
  }

  private problem(field: SupervisionField, message: string): undefined {
    this.problems.push({ field, message, hint: SUPERVISION_FIELDS[field].about });
    return undefined;
  }

  /** A value of a type the card never sends: the card and this parser disagree. */
  private malformed(field: SupervisionField): undefined {
    return this.problem(field, `${SUPERVISION_FIELDS[field].label}的内容无法识别，请重新打开卡片填写`);
  }
}
