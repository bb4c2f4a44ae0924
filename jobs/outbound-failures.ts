import type { DeliveryFailuresRepository } from '../db/delivery-failures-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { Logger } from './base/logger';
import type { OutboundJob } from './queues';
import type { LarkCallError } from './send/lark-api';
import { textMessage } from './send/messages';
import { idempotencyKey, type Outbox } from './send/outbox';
import type { SendTarget } from './send-limiter';

/** What a coordinator can do about each refusal. */
const REASONS: Record<number, string> = {
  230001: '请求参数有误',
  230002: '招商助手不在这个群里，请把它拉进群',
  230013: '对方不在应用的可用范围内，请管理员在开发者后台把他加入可用范围',
  230025: '消息内容超出 Lark 的长度上限',
  230027: '招商助手没有这项权限',
  230099: '卡片内容有误，Lark 无法生成',
  232011: '招商助手已不在这个群里',
  232013: '群成员已达上限',
  232019: '建群太频繁，稍后会重试',
  232027: '没有可以拉进群的人员',
  232043: '有人员不在应用的可用范围内或已离职，请管理员在开发者后台把他加入可用范围',
};

/** A refusal to tell the coordinators about: what it concerns, and Lark's code. */
export interface Refusal {
  /** What was refused, stable across retries: `chat_id:oc_x`, `workgroup:ZS-2026-0001`… */
  key: string;
  /** What was refused, for a person to read. */
  what: string;
  code: number;
  message: string;
  /** The first line of the report. */
  headline: string;
}

/**
 * Records a refusal Lark made for good and tells the coordinators (admins when there are none) once
 * per key and code. The report goes through the outbox with a uuid fixed by key, code and recipient,
 * so concurrent or repeated refusals still make one message; a failed report is recorded but never
 * reported.
 */
export function createRefusalReporter(deps: { failures: DeliveryFailuresRepository; people: PeopleRepository; outbox: Outbox; log: Logger }) {
  return async (refusal: Refusal, options: { quiet?: boolean } = {}): Promise<void> => {
    const { key, code } = refusal;
    const failure = await deps.failures.record({ target: key, code, message: refusal.message });
    deps.log.error({ target: key, code, count: failure.count, err: refusal.message }, 'Lark refused for good');
    if (failure.reportedAt !== null || options.quiet) return;

    const recipients = await deps.people.coordinatorsOrAdmins();
    if (recipients.length === 0) {
      deps.log.warn({ target: key, code }, 'no coordinator or admin on the roster to tell about a refusal');
      return;
    }
    const message = textMessage(
      [refusal.headline, `对象：${refusal.what}`, `原因：${REASONS[code] ?? 'Lark 拒绝了这项操作'}（错误码 ${code}）`, '同一对象、同一原因只提醒这一次。'].join(
        '\n',
      ),
    );
    await Promise.all(
      recipients.map((r) =>
        deps.outbox.send('open_id', r.openId, message, idempotencyKey('delivery-failure', key, String(code), r.openId), { failureReport: true }),
      ),
    );
    await deps.failures.markReported(key, code);
  };
}

export type RefusalReporter = ReturnType<typeof createRefusalReporter>;

/** A send Lark refused for good, reported once; a failed report is only recorded. */
export function createFailureReporter(deps: { failures: DeliveryFailuresRepository; people: PeopleRepository; outbox: Outbox; log: Logger }) {
  const report = createRefusalReporter(deps);
  return async (job: OutboundJob, target: SendTarget, err: LarkCallError): Promise<void> =>
    await report(
      {
        key: target.key,
        what: await describe(target, deps.people),
        code: err.code ?? err.httpStatus ?? 0,
        message: err.message,
        headline: '⚠️ 招商助手有消息发不出去',
      },
      { quiet: job.kind === 'send' && job.failureReport === true },
    );
}

async function describe(target: SendTarget, people: PeopleRepository): Promise<string> {
  const [type, id = ''] = target.key.split(/:(.*)/s);
  if (type === 'open_id') return `${(await people.get(id))?.name ?? '未登记的人员'}（${id}）`;
  if (target.kind === 'chat') return `群 ${id}`;
  if (target.kind === 'message') return `卡片消息 ${id}`;
  return `用户 ${target.key}`;
}

export type FailureReporter = ReturnType<typeof createFailureReporter>;
