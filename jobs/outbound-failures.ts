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
};

/**
 * Records a send Lark refused for good and tells the coordinators (admins when there are none)
 * once per target and error code. The report goes through the outbox with a uuid fixed by target,
 * code and recipient, so concurrent or repeated failures still make one message; a failed report
 * is recorded but never reported.
 */
export function createFailureReporter(deps: { failures: DeliveryFailuresRepository; people: PeopleRepository; outbox: Outbox; log: Logger }) {
  return async (job: OutboundJob, target: SendTarget, err: LarkCallError): Promise<void> => {
    const code = err.code ?? err.httpStatus ?? 0;
    const failure = deps.failures.record({ target: target.key, code, message: err.message });
    deps.log.error({ target: target.key, code, count: failure.count, err: err.message }, 'Lark refused the message for good');
    if (failure.reportedAt !== null || (job.kind === 'send' && job.failureReport)) return;

    const recipients = deps.people.coordinatorsOrAdmins();
    if (recipients.length === 0) {
      deps.log.warn({ target: target.key, code }, 'no coordinator or admin on the roster to tell about a failed send');
      return;
    }
    const message = textMessage(
      [
        '⚠️ 招商助手有消息发不出去',
        `对象：${describe(target, deps.people)}`,
        `原因：${REASONS[code] ?? 'Lark 拒绝了这条消息'}（错误码 ${code}）`,
        '同一对象、同一原因只提醒这一次。',
      ].join('\n'),
    );
    await Promise.all(
      recipients.map((r) =>
        deps.outbox.send('open_id', r.openId, message, idempotencyKey('delivery-failure', target.key, String(code), r.openId), { failureReport: true }),
      ),
    );
    deps.failures.markReported(target.key, code);
  };
}

function describe(target: SendTarget, people: PeopleRepository): string {
  const [type, id = ''] = target.key.split(/:(.*)/s);
  if (type === 'open_id') return `${people.get(id)?.name ?? '未登记的人员'}（${id}）`;
  if (target.kind === 'chat') return `群 ${id}`;
  if (target.kind === 'message') return `卡片消息 ${id}`;
  return `用户 ${target.key}`;
}

export type FailureReporter = ReturnType<typeof createFailureReporter>;
