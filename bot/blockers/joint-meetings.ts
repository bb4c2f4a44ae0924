import type { BlockersRepository, BlockerView, Meeting } from '../../db/blockers-repository';
import type { PeopleRepository, Person } from '../../db/people-repository';
import { type AgendaReason, agendaDay, agendaReason, type BlockerRules, dueDateProblem, MAX_DESCRIPTION_LENGTH } from '../../domain/blockers';
import { compareDates, type IsoDate } from '../../domain/calendar-date';
import type { WorkingCalendar } from '../../domain/working-calendar';
import { cardMessage } from '../../jobs/send/messages';
import { idempotencyKey, type RecordedSender, type Send } from '../../jobs/send/outbox';
import type { Card } from '../common/card-kit';
import type { Refusal } from '../pipeline/pipeline-actions';
import { AGENDA_ITEMS_PER_CARD, type AgendaLine, agendaCard, unitAgendaCard } from './blocker-cards';
import type { BlockerService } from './blocker-service';

const refuse = (message: string, hint?: string): Refusal => ({ kind: 'refused', message, hint });

/** Only the coordinators (招商服务中心) and admins convene the joint meeting and record its decisions. */
export const mayConvene = (p: Person) => p.role === 'coordinator' || p.role === 'admin';

/**
 * 联席会议: a coordinator schedules it; at 09:00 on the working day before, its agenda is fixed
 * (overdue, old and flagged blockers, and earlier decisions not carried out) and posted to the
 * meeting chat, and each responsible unit's head gets their items; during or after the meeting
 * the coordinator records a decision per item from the agenda card, tracked like a blocker.
 */
export function createJointMeetings(deps: {
  repo: BlockersRepository;
  people: PeopleRepository;
  service: BlockerService;
  calendar: WorkingCalendar;
  rules: BlockerRules;
  sender: RecordedSender;
  meetingChatId: string | null;
  today: () => IsoDate;
  /** Whether the 09:00 of `day` has passed. */
  pastNineOn: (day: IsoDate) => boolean;
}) {
  const { repo, calendar } = deps;

  /** The items a meeting on `day` would take up, in the order they are discussed: decisions first, then the most overdue. */
  async function gather(day: IsoDate): Promise<{ blocker: BlockerView; reason: AgendaReason }[]> {
    const answered = await repo.answeredIds();
    return (await repo.unfinished())
      .flatMap((b) => {
        const reason = agendaReason(
          {
            id: b.id,
            type: b.type,
            status: b.status,
            dueDate: b.dueDate,
            raisedDay: b.raisedDay,
            flagged: b.flaggedBy !== null,
            hasOpenDecision: answered.has(b.id),
          },
          day,
          deps.rules,
          calendar,
        );
        return reason ? [{ blocker: b, reason }] : [];
      })
      .sort((a, b) => Number(b.blocker.type === 'decision') - Number(a.blocker.type === 'decision') || compareDates(a.blocker.dueDate, b.blocker.dueDate));
  }

  /** The agenda as fixed, each item with the decision this meeting took on it. */
  async function agendaLines(meeting: Meeting): Promise<AgendaLine[]> {
    const decided = await repo.decisionsOf(meeting.id);
    return (await repo.agenda(meeting.id)).map((item) => ({
      position: item.position,
      reason: item.reason as AgendaReason,
      blocker: item.blocker,
      decided: decided.get(item.blockerId),
    }));
  }

  function parts(lines: AgendaLine[]): AgendaLine[][] {
    const out: AgendaLine[][] = [];
    for (let i = 0; i < lines.length; i += AGENDA_ITEMS_PER_CARD) out.push(lines.slice(i, i + AGENDA_ITEMS_PER_CARD));
    return out.length > 0 ? out : [[]];
  }

  /** The agenda card holding part `index`, as it stands now (decisions recorded since marked). */
  const agendaPart = async (meeting: Meeting, index: number): Promise<Card> => {
    const all = parts(await agendaLines(meeting));
    const at = Math.min(Math.max(index, 0), all.length - 1);
    return agendaCard(meeting, all[at]!, { index: at, count: all.length }, deps.today(), calendar);
  };

  /** Fixes the agenda of a meeting and records its cards (the meeting chat, each unit's head) before any is queued. */
  async function sendAgenda(meeting: Meeting): Promise<void> {
    const lines = (await gather(meeting.day)).map(({ blocker, reason }, position): AgendaLine => ({ position, reason, blocker }));
    const fixed = lines.map((l) => ({ blockerId: l.blocker.id, reason: l.reason }));
    await deps.sender.send(`agenda-${meeting.id}`, await agendaSends(meeting, lines), () => repo.fixAgenda(meeting.id, fixed));
  }

  async function agendaSends(meeting: Meeting, lines: AgendaLine[]): Promise<Send[]> {
    const all = parts(lines);
    const cards = all.map((part, index) => agendaCard(meeting, part, { index, count: all.length }, deps.today(), calendar));
    const toChat = deps.meetingChatId;
    const sends: Send[] = toChat
      ? cards.map((c, i) => ({
          receiveIdType: 'chat_id',
          receiveId: toChat,
          message: cardMessage(c),
          uuid: idempotencyKey('agenda', String(meeting.id), String(i)),
        }))
      : (await deps.people.coordinatorsOrAdmins()).flatMap((p) =>
          cards.map(
            (c, i): Send => ({
              receiveIdType: 'open_id',
              receiveId: p.openId,
              message: cardMessage(c),
              uuid: idempotencyKey('agenda', String(meeting.id), String(i), p.openId),
            }),
          ),
        );
    const byUnit = new Map<number, AgendaLine[]>();
    for (const line of lines) byUnit.set(line.blocker.unitId, [...(byUnit.get(line.blocker.unitId) ?? []), line]);
    for (const [unitId, unitLines] of byUnit) {
      const head = await deps.people.unitHead(unitId);
      if (!head) continue;
      sends.push({
        receiveIdType: 'open_id',
        receiveId: head.openId,
        message: cardMessage(unitAgendaCard(meeting, unitLines[0]!.blocker.unitName, unitLines)),
        uuid: idempotencyKey('agenda-unit', String(meeting.id), head.openId),
      });
    }
    return sends;
  }

  return {
    agendaPart,

    /** Schedules a meeting; an agenda already due (the meeting is on the next working day, past 09:00) goes at once. */
    async schedule(
      actor: Person,
      input: { day: IsoDate; time: string; place: string },
      sourceKey: string,
    ): Promise<{ kind: 'done'; meeting: Meeting; agendaOn: IsoDate } | Refusal> {
      if (!mayConvene(actor)) return refuse('只有招商服务中心或管理员可以召集联席会议');
      const { meeting } = await repo.scheduleMeeting({ ...input, scheduledBy: actor.openId, sourceKey });
      const agendaOn = agendaDay(meeting.day, calendar);
      await this.sendDueAgendas();
      return { kind: 'done', meeting, agendaOn };
    },

    /** The daily task: fixes and sends every agenda due by now (09:00 on the working day before), once. */
    async sendDueAgendas(): Promise<number> {
      const today = deps.today();
      let sent = 0;
      for (const meeting of await repo.meetingsWithoutAgenda()) {
        const on = agendaDay(meeting.day, calendar);
        const due = compareDates(on, today) < 0 || (on === today && deps.pastNineOn(today)) || compareDates(meeting.day, today) <= 0;
        if (!due) continue;
        await sendAgenda(meeting);
        sent++;
      }
      return sent;
    },

    /**
     * 记录议定事项 on an agenda item: text, responsible unit, due date; one decision per item and
     * meeting (a second submit is the same decision). It reaches its unit like a blocker.
     */
    async decide(
      actor: Person,
      meetingId: number,
      input: { itemId: number; text: string; unitName: string; dueDate: IsoDate | undefined },
    ): Promise<{ kind: 'done'; message: string } | Refusal> {
      if (!mayConvene(actor)) return refuse('只有招商服务中心或管理员可以记录议定事项');
      const meeting = await repo.meeting(meetingId);
      if (!meeting?.agendaAt) return refuse('找不到这次会议的议程');
      const item = (await repo.agenda(meetingId)).find((i) => i.blockerId === input.itemId);
      if (!item) return refuse('请从议程中选择议题');
      const text = input.text.trim();
      if (text === '') return refuse('请写明议定事项', '如：县供电公司12月15日前完成专线接入');
      if ([...text].length > MAX_DESCRIPTION_LENGTH) return refuse('议定事项太长', `最多 ${MAX_DESCRIPTION_LENGTH} 字`);
      const unit = await deps.service.unitNamed(input.unitName);
      if (unit.kind === 'refused') return unit;
      const today = deps.today();
      const dueDate = input.dueDate ?? calendar.addWorkingDays(today, deps.rules.decisionWorkingDays);
      const late = dueDateProblem(dueDate, today, '完成时限');
      if (late) return refuse(late);
      const { blocker, created } = await repo.raise(
        { projectId: item.blocker.projectId, actorOpenId: actor.openId, sourceKey: `decision-${meetingId}-${item.blockerId}` },
        {
          type: 'decision',
          kind: item.blocker.kind,
          complaint: false,
          description: text,
          unitId: unit.id,
          dueDate,
          raisedDay: today,
          sourceChatId: null,
          meetingId,
          answersId: item.blockerId,
        },
        'decision_recorded',
      );
      if (created) await deps.service.announce((await repo.byId(blocker.id))!, `decision-${blocker.id}`);
      return { kind: 'done', message: created ? `已记录议定事项，交 ${unit.name} ${dueDate} 前办结` : '这个议题已记录过议定事项' };
    },
  };
}

export type JointMeetings = ReturnType<typeof createJointMeetings>;
