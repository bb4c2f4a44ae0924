/**
 * The lead card's form, as Lark submits it: `form_value` keyed by input name (the lead field
 * names), text inputs as strings, selects as the chosen value, person pickers as open_ids.
 */
import type { Catalog } from './catalog';
import {
  type InputProblem,
  isPersonField,
  LEAD_FIELD_NAMES,
  LEAD_FIELDS,
  type LeadField,
  type LeadInput,
  type LeadResult,
  type PersonField,
  type PersonRef,
  validateLead,
} from './lead-draft';

/**
 * Validates a submitted lead form with the same rules as `/lead`. The industry select's value is
 * the industry name, the channel select's value the channel code; a person picker gives an open_id
 * or an array of open_ids, of which there must be at most one.
 */
export function parseLeadForm(formValue: Record<string, unknown>, catalog: Catalog): LeadResult {
  const problems: InputProblem[] = [];
  const input: LeadInput = {};
  for (const field of LEAD_FIELD_NAMES) {
    const raw = formValue[field];
    if (raw === undefined || raw === null) continue;
    if (isPersonField(field)) {
      const person = readPicker(field, raw);
      if (person && 'kind' in person) input[field] = person;
      else if (person) problems.push(person);
    } else if (typeof raw === 'string' || typeof raw === 'number') {
      input[field] = String(raw);
    } else {
      problems.push(malformed(field));
    }
  }
  return validateLead(input, catalog, 'form', problems);
}

/** A picker's value: nothing chosen, one person, or a problem. */
function readPicker(field: PersonField, raw: unknown): PersonRef | InputProblem | undefined {
  const chosen = Array.isArray(raw) ? raw : [raw];
  if (!chosen.every((id): id is string => typeof id === 'string')) return malformed(field);
  const [openId, ...others] = chosen.map((id) => id.trim()).filter(Boolean);
  if (openId === undefined) return undefined;
  if (others.length > 0) {
    return { field, message: `${LEAD_FIELDS[field].label}只能选一人`, hint: '请在人员选择框中只保留一人' };
  }
  return { kind: 'open_id', openId };
}

/** A value of a type the card never sends: the card and this parser disagree. */
function malformed(field: LeadField): InputProblem {
  return {
    field,
    message: `${LEAD_FIELDS[field].label}的内容无法识别`,
    hint: '请重新打开登记卡片填写；若仍不行，请改用 /lead 命令登记',
  };
}
