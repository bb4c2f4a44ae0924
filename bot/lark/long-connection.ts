import * as lark from '@larksuiteoapi/node-sdk';
import { type Logger, sdkLogger, withEventId } from '../../jobs/base/logger';
import { type Config, ConfigError } from '../process/config';
import type { EventIntake, IntakeEventType } from './event-intake';

/**
 * How often and how long the SDK retries a lost connection is Lark's to say (ClientConfig in the
 * endpoint's answer and in every pong); these cover what Lark does not.
 */
const RECONNECT = {
  /** A handshake stuck on DNS, a proxy or NAT is abandoned and retried. */
  handshakeTimeoutMs: 10_000,
  /** Seconds without any frame after a ping: the connection is dead though TCP has not noticed. */
  pingTimeoutS: 30,
  /** The SDK gives up for good on refused credentials or when Lark's retry count runs out; the bot starts over. */
  restartAfterMs: 60_000,
};

const EVENT_TYPES: IntakeEventType[] = ['im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.deleted_v1'];

/** The bot's end of Lark's long connection. */
export interface LongConnection {
  /** The socket is open; false while connecting, reconnecting or given up. */
  connected(): boolean;
  close(): void;
}

/**
 * Receives events over Lark's long connection (LARK_MODE=websocket) instead of the webhook: the
 * SDK's WSClient asks `${domain}/callback/ws/endpoint` for a WebSocket and Lark pushes events as
 * frames, each acknowledged by the handler's answer. Events go through the same intake as the
 * webhook's: deduped by event_id and stored as a job before the frame is answered; a card action
 * is answered with the worker's toast and card. An event that cannot be stored makes the handler
 * throw, which the SDK answers with code 500, so that Lark pushes it again.
 *
 * The webhook's verification token, signature and age checks have no counterpart here: the
 * connection itself was opened with the app secret, and Lark sends plain JSON over it.
 */
export function startLongConnection(deps: { lark: Config['lark']; intake: EventIntake; log: Logger }): LongConnection {
  const { intake } = deps;
  // The SDK would only log this and never connect: a deaf bot that looks healthy.
  if (!/^cli_[0-9a-f]{16}$/i.test(deps.lark.appId)) {
    throw new ConfigError([`LARK_APP_ID: 长连接模式要求 cli_ 加 16 位十六进制 (websocket mode needs cli_ + 16 hex digits), got ${deps.lark.appId}`]);
  }
  const log = deps.log.child({ component: 'long-connection' });
  const sdkLog = { logger: sdkLogger(deps.log), loggerLevel: lark.LoggerLevel.trace };
  // The encrypt key only matters if Lark ever sends `{encrypt}` over the socket; plain JSON passes through.
  // As on the webhook, every line logged while an event is taken in names it.
  const accept = (type: IntakeEventType) => (payload: Record<string, unknown>) =>
    typeof payload.event_id === 'string' ? withEventId(payload.event_id, () => intake.accept(type, payload)) : intake.accept(type, payload);
  const eventDispatcher = new lark.EventDispatcher({ encryptKey: deps.lark.encryptKey, ...sdkLog }).register(
    Object.fromEntries(EVENT_TYPES.map((type) => [type, accept(type)])),
  );

  let restart: NodeJS.Timeout | undefined;
  const client = new lark.WSClient({
    appId: deps.lark.appId,
    appSecret: deps.lark.appSecret,
    domain: deps.lark.domain,
    ...sdkLog,
    autoReconnect: true,
    handshakeTimeoutMs: RECONNECT.handshakeTimeoutMs,
    wsConfig: { pingTimeout: RECONNECT.pingTimeoutS },
    onReady: () => log.info('long connection to Lark open'),
    onReconnecting: () => log.warn('long connection to Lark lost; reconnecting'),
    onReconnected: () => log.info('long connection to Lark back'),
    onError: (err) => {
      log.error({ err: err.message, retryInMs: RECONNECT.restartAfterMs }, 'long connection to Lark given up; starting over later');
      restart = setTimeout(() => void client.start({ eventDispatcher }), RECONNECT.restartAfterMs);
    },
  });
  // start() resolves before the connection is up (and never rejects): onReady/onError report it.
  void client.start({ eventDispatcher });

  return {
    connected: () => client.getConnectionStatus().state === 'connected',
    close() {
      clearTimeout(restart);
      client.close();
    },
  };
}
