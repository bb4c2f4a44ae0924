import * as lark from '@larksuiteoapi/node-sdk';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { type Logger, sdkLogger, withEventId } from '../../jobs/base/logger';
import { timeWebhookAck } from '../process/metrics';
import { type EventIntake, type IntakeEventType, IntakeUnavailableError } from './event-intake';

export interface WebhookOptions {
  encryptKey: string;
  verificationToken: string;
  eventMaxAgeMs: number;
}

/** How far ahead of the bot's clock an event may be dated: clocks drift, forged dates do not. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * When Lark created an event, in epoch ms. Lark dates card callbacks (card.action.trigger) in
 * microseconds and every other event in milliseconds.
 */
export function eventCreatedAtMs(header: { event_type: string; create_time: string }): number {
  const value = Number(header.create_time);
  return header.event_type === 'card.action.trigger' ? Math.floor(value / 1000) : value;
}

const envelopeSchema = z.union([
  z.object({ type: z.literal('url_verification'), token: z.string(), challenge: z.string() }),
  z.object({
    schema: z.literal('2.0'),
    header: z.object({ event_id: z.string(), event_type: z.string(), token: z.string(), create_time: z.string().regex(/^\d+$/) }),
  }),
]);

/**
 * POST /webhook/event and GET /healthz.
 *
 * The SDK's EventDispatcher checks the signature, decrypts and dispatches. It cannot be mounted with
 * `adaptExpress`, which always answers 200: a webhook that could not store an event must answer
 * non-200 so that Lark pushes it again. The SDK also leaves three checks to the bot: the
 * verification token (read from the envelope, because the SDK's merged object lets a card
 * callback's own `token` shadow the header's), the event's age, and dedupe (in the intake).
 */
export function createWebhookApp(deps: {
  options: WebhookOptions;
  intake: EventIntake;
  health: () => Promise<Record<string, boolean>>;
  clock: Clock;
  log: Logger;
  /** False in a worker process: it serves /healthz and takes no events. */
  acceptEvents?: boolean;
}) {
  const { options, intake, log } = deps;
  const cipher = new lark.AESCipher(options.encryptKey);
  const dispatcher = new lark.EventDispatcher({
    encryptKey: options.encryptKey,
    verificationToken: options.verificationToken,
    logger: sdkLogger(log),
    loggerLevel: lark.LoggerLevel.trace,
  });
  const accept = (eventType: IntakeEventType) => (payload: Record<string, unknown>) => intake.accept(eventType, payload);
  dispatcher.register({
    'im.message.receive_v1': accept('im.message.receive_v1'),
    'card.action.trigger': accept('card.action.trigger'),
    'im.chat.member.bot.deleted_v1': accept('im.chat.member.bot.deleted_v1'),
  } as Record<string, (data: Record<string, unknown>) => Promise<unknown>>);

  const openEnvelope = (body: unknown) => {
    try {
      const encrypted = (body as { encrypt?: unknown }).encrypt;
      const plain = typeof encrypted === 'string' ? JSON.parse(cipher.decrypt(encrypted)) : body;
      return envelopeSchema.safeParse(plain).data;
    } catch {
      return undefined;
    }
  };

  // Opened before the handler so that the answer is timed by event type, and every line logged while
  // the event is handled (the SDK's included) carries its id.
  const openInScope = (req: Request, res: Response, next: NextFunction) => {
    const envelope = openEnvelope(req.body);
    res.locals.envelope = envelope;
    res.locals.eventType = envelope === undefined ? 'invalid' : 'header' in envelope ? envelope.header.event_type : envelope.type;
    if (envelope && 'header' in envelope) withEventId(envelope.header.event_id, next);
    else next();
  };

  const app = express();
  app.disable('x-powered-by');

  if (deps.acceptEvents !== false)
    app.post('/webhook/event', timeWebhookAck, express.json({ limit: '1mb' }), openInScope, async (req: Request, res: Response) => {
      const envelope = res.locals.envelope as z.infer<typeof envelopeSchema> | undefined;
      if (!envelope) {
        res.status(400).json({ msg: 'not a Lark event' });
        return;
      }
      const token = 'header' in envelope ? envelope.header.token : envelope.token;
      if (token !== options.verificationToken) {
        log.warn('event with a wrong verification token refused');
        res.status(401).json({ msg: 'verification token mismatch' });
        return;
      }
      const data = Object.assign(Object.create({ headers: req.headers }), req.body);
      if ('type' in envelope) {
        res.json(lark.generateChallenge(data, { encryptKey: options.encryptKey }).challenge);
        return;
      }
      const ageMs = deps.clock() - eventCreatedAtMs(envelope.header);
      if (ageMs > options.eventMaxAgeMs || ageMs < -MAX_CLOCK_SKEW_MS) {
        // Answered 200 all the same: a stale event is one Lark gave up on, and a re-push would not make it younger.
        log.warn({ eventId: envelope.header.event_id, ageMs }, ageMs > 0 ? 'stale event ignored' : 'event dated in the future ignored');
        res.json({});
        return;
      }
      try {
        const answer = await dispatcher.invoke(data);
        // The dispatcher answers undefined only when the signature does not verify.
        if (answer === undefined) {
          log.warn({ eventId: envelope.header.event_id }, 'event with a bad signature refused');
          res.status(401).json({ msg: 'bad signature' });
          return;
        }
        res.json(typeof answer === 'object' ? answer : {});
      } catch (err) {
        const unavailable = err instanceof IntakeUnavailableError;
        if (!unavailable) log.error({ err, eventId: envelope.header.event_id }, 'webhook failed');
        res.status(unavailable ? 503 : 500).json({ msg: unavailable ? 'event store unavailable, retry later' : 'internal error' });
      }
    });

  app.get('/healthz', async (_req, res) => {
    const checks = await deps.health();
    const ok = Object.values(checks).every(Boolean);
    res.status(ok ? 200 : 503).json({ ok, ...checks });
  });

  return app;
}
