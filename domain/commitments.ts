/**
 * 承诺 / 兑现: what the county promised an investor (a land price, a rent-free factory, a subsidy, a
 * road by a date), with its basis, the unit that must deliver it, a due date and, when there is one,
 * an amount; deliveries are dated, partial ones add up, and the promise is kept once they reach it.
 */
import { parseAmountWan } from './amount';
import { dueDateProblem, MAX_DESCRIPTION_LENGTH, MAX_OUTCOME_LENGTH } from './blockers';
import { compareDates, type IsoDate } from './calendar-date';
import { type KeyedField, type MentionedPerson, readKeyedValues, replaceMentions, takeWord } from './key-values';
import { type CommandArgsResult, MAX_REASON_LENGTH, Reading } from './project-commands';
import { foldWidth } from './text';

/** A correct `/承诺` line. */
export const COMMITMENT_EXAMPLE = '/承诺 ZS-2026-0001 厂房租金前三年全免 依据:奖励办法第五条 单位:县工信局 时限:2027-06-30 金额:120万';
/** A correct `/兑现` line: the project's first commitment, 40 万元 delivered today. */
export const FULFIL_EXAMPLE = '/兑现 ZS-2026-0001 1 40万 凭证:租金减免协议已签订';

/** A promise may run for years (three years' rent-free factory): its due date reaches five years out. */
export const MAX_COMMITMENT_DAYS = 5 * 366;

/** The name every commitment carries as its kind. */
export const COMMITMENT_KIND = '承诺';

/** `/承诺 <编号> <承诺内容> 依据:… 单位:… 时限:… [金额:…]`. */
export interface CommitmentArgs {
  code: string;
  promise: string;
  basis?: string;
  unitName: string;
  dueDate: IsoDate;
  amountWan?: number;
}

const COMMITMENT_KEYS = {
  basis: { label: '依据', keys: ['依据', '政策依据', 'basis'] },
  unit: { label: '责任单位', keys: ['单位', '责任单位', 'unit'] },
  dueDate: { label: '兑现时限', keys: ['时限', '期限', '兑现时限', 'due'] },
  amount: { label: '金额', keys: ['金额', '兑现金额', 'amount'] },
} as const satisfies Record<string, KeyedField>;

const HINTS: Readonly<Record<keyof typeof COMMITMENT_KEYS, string>> = {
  basis: '写明承诺的依据。例：依据:奖励办法第五条',
  unit: '写明负责兑现的单位全称。例：单位:县工信局',
  dueDate: '写明兑现的最后日期。例：时限:2027-06-30',
  amount: '有金额的承诺写金额（万元）。例：金额:120万',
};

/** Reads a `/承诺` line: the promise first, then its basis, unit, due date and amount. */
export function parseCommitmentArgs(
  args: string,
  today: IsoDate,
  mentions: ReadonlyMap<string, MentionedPerson> = new Map(),
): CommandArgsResult<CommitmentArgs> {
  const reading = new Reading(today, COMMITMENT_EXAMPLE);
  const { head, values, problems } = readKeyedValues(replaceMentions(args, mentions), COMMITMENT_KEYS, (f) => HINTS[f]);
  reading.problems.push(...problems);
  const { code, rest: promise } = reading.code(head);
  if (code && promise === '') reading.problem('promise', '缺少承诺内容', `在项目编号后写明承诺了什么。例：${COMMITMENT_EXAMPLE}`);
  reading.limited('promise', '承诺内容', promise, MAX_DESCRIPTION_LENGTH);
  reading.limited('basis', '依据', values.basis, MAX_REASON_LENGTH);
  if (!values.unit) reading.missing('unit', '缺少责任单位', `${HINTS.unit}；完整示例：${COMMITMENT_EXAMPLE}`);
  const dueDate = values.dueDate
    ? reading.date('dueDate', '兑现时限', values.dueDate)
    : reading.missing('dueDate', '缺少兑现时限', `${HINTS.dueDate}；完整示例：${COMMITMENT_EXAMPLE}`);
  const late = dueDate && dueDateProblem(dueDate, today, '兑现时限', MAX_COMMITMENT_DAYS);
  if (late) reading.problem('dueDate', late, HINTS.dueDate);
  const amount = values.amount ? parseAmountWan(values.amount) : undefined;
  if (amount && !amount.ok) reading.problem('amount', amount.problem, HINTS.amount);
  return reading.result(
    code && promise && values.unit && dueDate
      ? { code, promise, basis: values.basis, unitName: values.unit, dueDate, amountWan: amount?.ok ? amount.wan : undefined }
      : undefined,
  );
}

/** `/兑现 <编号> <第几项承诺> [金额] [日期] 凭证:…`. */
export interface FulfilArgs {
  code: string;
  /** The commitment's number on its project, from 1 in the order they were made. */
  number: number;
  amountWan?: number;
  day: IsoDate;
  evidence: string;
}

const FULFIL_KEYS = { evidence: { label: '凭证', keys: ['凭证', '证明', '说明', 'evidence'] } } as const satisfies Record<string, KeyedField>;

/** Reads a `/兑现` line; the amount and the date may come in either order, the date defaults to today. */
export function parseFulfilArgs(args: string, today: IsoDate): CommandArgsResult<FulfilArgs> {
  const reading = new Reading(today, FULFIL_EXAMPLE);
  const { head, values, problems } = readKeyedValues(args, FULFIL_KEYS, () => `例：${FULFIL_EXAMPLE}`);
  reading.problems.push(...problems);
  const { code, rest } = reading.code(head);
  const { word: numberWord, rest: afterNumber } = takeWord(rest);
  // Full-width digits as an IME writes them (第１项) read as the others: codes, dates and amounts take them too.
  const number = Number(foldWidth(numberWord).replace(/^[#＃第]|项$/gu, ''));
  const numbered = Number.isInteger(number) && number >= 1 ? number : undefined;
  if (code && !numbered)
    reading.problem('number', numberWord ? `「${numberWord}」不是承诺的序号` : '缺少承诺的序号', `项目卡片上的承诺按 1、2、3 编号。例：${FULFIL_EXAMPLE}`);
  let amountWan: number | undefined;
  let day: IsoDate | undefined;
  for (const word of afterNumber.split(/\s+/u).filter(Boolean)) {
    const amount = parseAmountWan(word);
    const isAmount = amount.ok && !/^\d{4}[-/年]/u.test(word);
    if (isAmount && amountWan === undefined) amountWan = amount.wan;
    // A second amount is one word too many, not a date that cannot be read.
    else if (!isAmount && day === undefined) day = reading.pastDate('day', '兑现日期', word);
    else reading.problem('extra', `多写了「${word}」`, `例：${FULFIL_EXAMPLE}`);
  }
  if (!values.evidence) reading.missing('evidence', '缺少兑现凭证', `写明凭什么说已兑现。例：${FULFIL_EXAMPLE}`);
  reading.limited('evidence', '兑现凭证', values.evidence, MAX_OUTCOME_LENGTH);
  return reading.result(code && numbered && values.evidence ? { code, number: numbered, amountWan, day: day ?? today, evidence: values.evidence } : undefined);
}

/** What a delivery needs of its commitment. */
export interface Promised {
  amountWan: number | null;
  /** Delivered so far, 万元. */
  deliveredWan: number;
  dueDate: IsoDate;
}

/** Why a delivery cannot be recorded, if it cannot: an amount commitment needs the amount delivered. */
export function deliveryProblem(promised: Promised, delivery: { amountWan?: number; day: IsoDate }, today: IsoDate): string | undefined {
  if (compareDates(delivery.day, today) > 0) return `兑现日期 ${delivery.day} 还没到`;
  if (promised.amountWan !== null && delivery.amountWan === undefined) return `这项承诺有金额（${promised.amountWan} 万元），请写本次兑现的金额`;
  return undefined;
}

/** Kept once the deliveries reach the promised amount; a promise without an amount by its first delivery. */
export function isKept(promised: Promised, deliveredWanAfter: number): boolean {
  return promised.amountWan === null || deliveredWanAfter >= promised.amountWan - 1e-6;
}

/**
 * The day a commitment was kept: the day its deliveries, taken in date order, first reach the
 * amount (a backdated delivery counts on its own day), or null while they do not.
 */
export function keptOn(amountWan: number | null, deliveries: readonly { day: IsoDate; amountWan: number | null }[]): IsoDate | null {
  let total = 0;
  for (const d of [...deliveries].sort((a, b) => compareDates(a.day, b.day))) {
    total += d.amountWan ?? 0;
    if (isKept({ amountWan, deliveredWan: total, dueDate: d.day }, total)) return d.day;
  }
  return null;
}
