import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import type { BlockersRepository, BlockerView } from '../db/blockers-repository';
import type { DigestsRepository } from '../db/digests-repository';
import type { PeopleRepository } from '../db/people-repository';
import type { OpenMilestone, PipelineRepository } from '../db/pipeline-repository';
import { WITH_UNIT } from '../domain/blockers';
import { addDays, dateInZone, type IsoDate, instantAt } from '../domain/calendar-date';
import type { Clock } from '../domain/clock';
import { compareUrgency, type NudgeOccasion, type NudgeRules, nextNudgeDay, nudgeOn, occasionLabel } from '../domain/nudge-schedule';
import type { WorkingCalendar } from '../domain/working-calendar';
import type { Logger } from './base/logger';
import { inPacedBatches, type Pace } from './base/paced-batches';
import { blockerHolders } from './blocker-holders';
import { jobsNotHeld } from './queues';

/** Reminders go out at 09:00 county time, on working days only. */
export const NUDGE_TIME = '09:00';
/** A restart before noon still sends the morning's reminders; later they wait for the next day. */
const CATCH_UP_UNTIL = '12:00';
/** Nudges for one person all fire at 09:00; the digest waits this long to gather them into one card. */
const DIGEST_GATHER_MS = 30_000;

/**
 * A worker's start is in no hurry: the reminders it re-arms fire at 09:00, and one that fires late
 * still goes until noon. Small batches and long pauses keep Redis answering the web processes.
 */
const REBUILD_PACE: Pace = { size: 100, restPerBusy: 2 };
const REBUILD_PAGE = 2_000;

export const nudgeJob = z.object({ milestoneId: z.number(), dueDate: z.string(), day: z.string() });
export const blockerNudgeJob = z.object({ blockerId: z.number(), dueDate: z.string(), day: z.string() });
export const digestJob = z.object({ recipient: z.string(), day: z.string() });

/** `user-<open_id>` gets owner digests; `chat-<chat_id>` the registering group's overdue digest. */
export type DigestRecipient = { kind: 'user'; openId: string } | { kind: 'chat'; chatId: string };

/** A milestone of the recipient's, or a blocker (or decision) they hold, and why it is mentioned today. */
export type DigestItem = { milestone: OpenMilestone; occasion: NudgeOccasion } | { blocker: BlockerView; occasion: NudgeOccasion };

const dueDateOf = (item: DigestItem) => ('milestone' in item ? item.milestone.dueDate : item.blocker.dueDate);

/**
 * Milestone and blocker reminders as BullMQ delayed jobs. Each open milestone has one pending "nudge" job: the
 * next working day it needs mentioning, id `nudge-<milestone>-<occasion>-<due>`, so arming twice is
 * a no-op and a new due date gets a new id. When it fires it asks for the owner's (and the group's)
 * digest of that day, then arms the next one. SQLite is the truth: a job whose milestone was done,
 * moved or quieted since is dropped when it fires, and every pending job is rebuilt at start.
 * A blocker still with its unit is reminded the same way (`bnudge-…`), to whoever holds it then,
 * on the owner's schedule: before its time limit, on it, and while overdue.
 */
export function createReminders(deps: {
  queue: Queue;
  pipeline: PipelineRepository;
  blockers: BlockersRepository;
  people: PeopleRepository;
  digests: DigestsRepository;
  calendar: WorkingCalendar;
  rules: NudgeRules;
  timeZone: string;
  clock: Clock;
  /**
   * Sends the digest, recorded together with `decide` (marking it delivered), under `source`:
   * `items` most urgent first, and how many more were left unlisted.
   */
  deliverDigest: (recipient: DigestRecipient, day: IsoDate, items: DigestItem[], unlisted: number, source: string, decide: () => void) => Promise<void>;
  /** How many items a digest names at most; the rest are counted, not read into memory. */
  digestItemsShown: number;
  /** Queues what was recorded under `source` and not sent yet (a digest decided before a crash). */
  flushRecorded: (source: string) => Promise<unknown>;
  log: Logger;
}) {
  const { queue, pipeline, calendar, rules, timeZone, clock } = deps;

  /** The first day a reminder may still go out, seen from now. */
  const firstDay = (catchUpUntil: string): IsoDate => {
    const now = clock();
    const today = dateInZone(now, timeZone);
    return now < instantAt(today, catchUpUntil, timeZone) ? today : addDays(today, 1);
  };

  /** The next reminder job of a milestone (`nudge`) or a blocker (`blocker-nudge`), if any is left. */
  const nudgeFor = (what: { milestoneId: number } | { blockerId: number }, dueDate: IsoDate, from: IsoDate) => {
    const next = nextNudgeDay(dueDate, from, rules, calendar);
    if (!next) return undefined;
    const [name, prefix, id] = 'milestoneId' in what ? ['nudge', 'nudge', what.milestoneId] : ['blocker-nudge', 'bnudge', what.blockerId];
    return {
      name,
      data: { ...what, dueDate, day: next.day },
      opts: {
        jobId: `${prefix}-${id}-${occasionLabel(next.occasion)}-${dueDate.replaceAll('-', '')}`,
        delay: Math.max(0, instantAt(next.day, NUDGE_TIME, timeZone) - clock()),
      },
    };
  };

  const recipientKey = (r: DigestRecipient) => (r.kind === 'user' ? `user-${r.openId}` : `chat-${r.chatId}`);
  const parseRecipient = (key: string): DigestRecipient =>
    key.startsWith('user-') ? { kind: 'user', openId: key.slice(5) } : { kind: 'chat', chatId: key.slice(5) };

  const askForDigest = (recipient: DigestRecipient, day: IsoDate) =>
    queue.add('digest', { recipient: recipientKey(recipient), day }, { jobId: `digest-${recipientKey(recipient)}-${day}`, delay: DIGEST_GATHER_MS });

  async function onNudge(job: Job) {
    const { milestoneId, dueDate, day } = nudgeJob.parse(job.data);
    const milestone = await pipeline.openChased(milestoneId);
    if (!milestone || milestone.dueDate !== dueDate) return; // done, moved or quieted since it was armed
    const audience = nudgeOn(dueDate, day, rules, calendar);
    if (audience?.owner) await askForDigest({ kind: 'user', openId: milestone.ownerOpenId }, day);
    if (audience?.group && milestone.sourceChatId) await askForDigest({ kind: 'chat', chatId: milestone.sourceChatId }, day);
    const next = nudgeFor({ milestoneId }, dueDate, addDays(day, 1));
    if (next) await queue.add(next.name, next.data, next.opts);
  }

  async function onBlockerNudge(job: Job) {
    const { blockerId, dueDate, day } = blockerNudgeJob.parse(job.data);
    const blocker = await deps.blockers.byId(blockerId);
    if (!blocker || !WITH_UNIT.includes(blocker.status) || blocker.dueDate !== dueDate) return; // done, returned or extended since
    if (nudgeOn(dueDate, day, rules, calendar)?.owner) {
      for (const openId of await blockerHolders(blocker, deps.people)) await askForDigest({ kind: 'user', openId }, day);
    }
    const next = nudgeFor({ blockerId }, dueDate, addDays(day, 1));
    if (next) await queue.add(next.name, next.data, next.opts);
  }

  async function onDigest(job: Job) {
    const { recipient: key, day } = digestJob.parse(job.data);
    const source = `digest-${key}-${day}`;
    // Decided before a crash or a failed enqueue: what was recorded goes now, once.
    if (await deps.digests.isDelivered(key, day)) return void (await deps.flushRecorded(source));
    const recipient = parseRecipient(key);
    // Earliest due is most urgent: the digest names the first few and only counts the rest, so
    // only those few are kept however many milestones a group's projects have.
    const items: DigestItem[] = [];
    let unlisted = 0;
    for await (const page of pipeline.openChasedFor(recipient.kind === 'user' ? { ownerOpenId: recipient.openId } : { chatId: recipient.chatId })) {
      for (const milestone of page) {
        const audience = nudgeOn(milestone.dueDate, day, rules, calendar);
        if (!audience || !(recipient.kind === 'user' ? audience.owner : audience.group)) continue;
        if (items.length < deps.digestItemsShown) items.push({ milestone, occasion: audience.occasion });
        else unlisted++;
      }
    }
    if (recipient.kind === 'user') {
      const standsIn = (await deps.people.coordinatorsOrAdmins()).some((p) => p.openId === recipient.openId);
      for (const blocker of await deps.blockers.heldBy(recipient.openId, standsIn)) {
        const audience = nudgeOn(blocker.dueDate, day, rules, calendar);
        if (audience?.owner) items.push({ blocker, occasion: audience.occasion });
      }
    }
    if (items.length === 0) return;
    items.sort((a, b) => compareUrgency({ dueDate: dueDateOf(a), today: day }, { dueDate: dueDateOf(b), today: day }));
    await deps.deliverDigest(recipient, day, items, unlisted, source, () => deps.digests.markDelivered(key, day, items.length + unlisted));
  }

  return {
    /** Arms the next reminder of a milestone that was just set, moved or reopened. */
    async arm(milestoneId: number, dueDate: IsoDate): Promise<void> {
      const next = nudgeFor({ milestoneId }, dueDate, firstDay(NUDGE_TIME));
      if (next) await queue.add(next.name, next.data, next.opts);
    },

    /** Removes the pending reminder armed for `dueDate` (a moved date or a done milestone). */
    async disarm(milestoneId: number, dueDate: IsoDate): Promise<void> {
      const pending = nudgeFor({ milestoneId }, dueDate, firstDay(NUDGE_TIME));
      if (pending) await queue.remove(pending.opts.jobId);
    },

    /** Arms the next reminder of a blocker handed to a unit (new, reopened, or given a new time limit). */
    async armBlocker(blockerId: number, dueDate: IsoDate): Promise<void> {
      const next = nudgeFor({ blockerId }, dueDate, firstDay(NUDGE_TIME));
      if (next) await queue.add(next.name, next.data, next.opts);
    },

    /** Removes a blocker's pending reminder for `dueDate` (办结, 退回, or a new time limit). */
    async disarmBlocker(blockerId: number, dueDate: IsoDate): Promise<void> {
      const pending = nudgeFor({ blockerId }, dueDate, firstDay(NUDGE_TIME));
      if (pending) await queue.remove(pending.opts.jobId);
    },

    /** Re-arms every open milestone from SQLite; jobs that exist already are left as they are. */
    async rebuild(): Promise<number> {
      const from = firstDay(CATCH_UP_UNTIL);
      let armed = 0;
      const arm = async (jobs: NonNullable<ReturnType<typeof nudgeFor>>[]) => {
        await inPacedBatches(jobs, REBUILD_PACE, async (batch) => {
          const missing = await jobsNotHeld(queue, batch);
          if (missing.length > 0) await queue.addBulk(missing);
        });
        armed += jobs.length;
      };
      // Page by page, so that a province's 400,000 milestones never sit in memory at once.
      for (
        let page = await pipeline.openChasedPage(0, REBUILD_PAGE);
        page.length > 0;
        page = await pipeline.openChasedPage(page.at(-1)!.milestoneId, REBUILD_PAGE)
      ) {
        await arm(page.flatMap((m) => nudgeFor({ milestoneId: m.milestoneId }, m.dueDate, from) ?? []));
      }
      await arm((await deps.blockers.allWithUnit()).flatMap((b) => nudgeFor({ blockerId: b.id }, b.dueDate, from) ?? []));
      return armed;
    },

    async process(job: Job): Promise<void> {
      if (job.name === 'nudge') return onNudge(job);
      if (job.name === 'digest') return onDigest(job);
      if (job.name === 'blocker-nudge') return onBlockerNudge(job);
      deps.log.warn({ jobId: job.id, name: job.name }, 'unknown reminders job');
    },
  };
}

export type Reminders = ReturnType<typeof createReminders>;
