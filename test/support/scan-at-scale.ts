import { createEscalationMessenger } from '../../bot/escalation/escalation-messenger';
import { loadCountyConfig } from '../../bot/process/county-config';
import { loadWorkingCalendar } from '../../bot/process/working-calendar-source';
import { createBlockersRepository } from '../../db/blockers-repository';
import { createEscalationsRepository } from '../../db/escalations-repository';
import { createPeopleRepository } from '../../db/people-repository';
import { createProjectsRepository } from '../../db/projects-repository';
import { createRecordedSendsRepository } from '../../db/recorded-sends-repository';
import type { Store } from '../../db/store';
import type { Clock } from '../../domain/clock';
import { createLogger } from '../../jobs/base/logger';
import { createEscalations } from '../../jobs/escalations';
import { createRecordedSender, type Outbox, type RecordedSender } from '../../jobs/send/outbox';

/**
 * The daily stall scan with the county's rules and real cards, recorded in the database with the
 * notices as the bot does, over a database seeded far beyond a test's usual size. Queuing the
 * cards is only counted: the send path has its own tests and figures.
 */
export function scanAtScale(store: Store, clock: Clock, options: { failWritingChunkOnce?: number } = {}) {
  const county = loadCountyConfig('./config/county.json');
  let queued = 0;
  const outbox = {
    enqueueMany: async (jobs: unknown[]) => {
      queued += jobs.length;
    },
    // "Resolved" messages go straight out, unrecorded.
    send: async () => {},
  } as unknown as Outbox;
  const escalations = createEscalations({
    repo: createEscalationsRepository({ store, clock }),
    projects: createProjectsRepository({ store, clock }),
    people: createPeopleRepository({ store, clock }),
    calendar: loadWorkingCalendar('./config/holiday-overrides.json'),
    stallRules: county.stalls,
    escalationRules: county.escalation,
    blockerEscalationRules: county.blockerEscalation,
    blockers: createBlockersRepository({ store, clock }),
    supervisorsChatId: null,
    timeZone: 'Asia/Shanghai',
    clock,
    messenger: createEscalationMessenger(outbox),
    sender: failingOnce(createRecordedSender(outbox, createRecordedSendsRepository({ store, clock })), options.failWritingChunkOnce),
    log: createLogger('silent'),
  });
  return { scan: () => escalations.scan(), queued: () => queued };
}

/** A sender whose write of one chunk (`escalation-<day>-<chunk>`) fails the first time, after the chunk's decision: the database gone mid-scan. */
function failingOnce(sender: RecordedSender, chunk: number | undefined): RecordedSender {
  if (chunk === undefined) return sender;
  let failed = false;
  return {
    ...sender,
    decideAndSend: (source, decide) =>
      sender.decideAndSend(source, async () => {
        const sends = await decide();
        if (!failed && source.endsWith(`-${chunk}`)) {
          failed = true;
          throw new Error('the database went away');
        }
        return sends;
      }),
  };
}
