/**
 * Lark's side of the long connection (长连接), as the SDK's WSClient expects it. See
 * {@link LongConnectionServer}.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { randomHex } from './ids';
import { decodeFrame, encodeFrame, type Frame, type FrameHeader, FrameMethod, headerOf } from './long-connection-frames';
import { isRecord } from './open-api';
import type { LarkEventEnvelope } from './types';

/** Where the client asks for a connection URL (not under /open-apis, and without a token). */
export const LONG_CONNECTION_ENDPOINT = '/callback/ws/endpoint';
const SOCKET_PATH = '/ws/v2';
/** The endpoint's answer to wrong credentials; the SDK does not retry it. */
const AUTH_FAILED = 514;

/**
 * What Lark tells the client about keeping the connection, in the endpoint's answer and in every
 * pong. Seconds; a ReconnectCount of -1 means retry forever.
 */
export interface LongConnectionClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  /** Up to this many seconds of random delay before the first reconnect attempt. */
  ReconnectNonce: number;
}

/**
 * Lark's own values spread a crowd of clients over minutes (ping 120 s, reconnect 120 s, nonce
 * 30 s); a local server has one client and wants it back at once.
 */
const LOCAL_CLIENT_CONFIG: LongConnectionClientConfig = { PingInterval: 30, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };

/** The client's answer to a pushed event. */
export interface LongConnectionAnswer {
  /** 200, or 500 when the client's handler threw. */
  code: number;
  /** What the handler returned (a card callback's toast and card), decoded; undefined when nothing. */
  body: unknown;
  /** A card callback's answer that Lark would refuse: the code the client shows, and why. */
  answerRefused?: { code: number; msg: string };
}

/** One event pushed over the connection, as recorded. */
export interface LongConnectionPush {
  /** The frame's message_id: new for every push, even of the same event. */
  messageId: string;
  eventId: string;
  eventType: string;
  envelope: LarkEventEnvelope<object>;
  /** How many data frames carried it. */
  fragments: number;
  /** Set when the client answers. */
  answer?: LongConnectionAnswer;
}

export interface PushEventOptions {
  /** Split the JSON into this many frames (sum/seq headers), as Lark does with large events. Default 1. */
  fragments?: number;
  /** Real-time ms to wait for a connected client and then for its answer. Default 5000. */
  timeoutMs?: number;
}

export interface DropConnectionsOptions {
  /** For this many ms afterwards, new WebSocket connections are cut off as well. Default 0. */
  downForMs?: number;
}

interface Connection {
  socket: WebSocket;
  serviceId: number;
  /** The client has pinged: it is listening for frames. */
  ready: boolean;
}

interface PendingAnswer {
  connection: Connection;
  record: LongConnectionPush;
  resolve(answer: LongConnectionAnswer): void;
  reject(error: Error): void;
}

/**
 * Hands out connection URLs at {@link LONG_CONNECTION_ENDPOINT}, accepts those URLs' WebSockets,
 * answers pings with pongs carrying the client config, pushes events as data frames (plain JSON,
 * unencrypted, as Lark does over the long connection) and reads the client's answer frames.
 */
export class LongConnectionServer {
  /** Every push, in order (live array). */
  readonly pushes: LongConnectionPush[] = [];
  /** WebSockets accepted, refused (bad ticket, or during an outage), and pings answered, since start. */
  readonly stats = { accepted: 0, refused: 0, pings: 0 };

  private clientConfig = { ...LOCAL_CLIENT_CONFIG };
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  /** Connection tickets handed out by the endpoint, each good for one WebSocket. */
  private readonly tickets = new Map<string, number>();
  private readonly pending = new Map<string, PendingAnswer>();
  private readonly readyListeners = new Set<() => void>();
  private downUntil = 0;
  private seq = 0;

  constructor(private readonly app: { appId: string; appSecret: string; baseUrl: () => string }) {}

  /** Changes the client config given from now on: in the next endpoint answers and the next pongs. */
  configure(config: Partial<LongConnectionClientConfig>): void {
    Object.assign(this.clientConfig, config);
  }

  /** Clients connected and listening. */
  get connected(): number {
    return [...this.connections].filter(isListening).length;
  }

  /** POST /callback/ws/endpoint `{AppID, AppSecret}` → the URL of one WebSocket and the client config. */
  endpoint(body: unknown): { code: number; msg: string; data: object } {
    const credentials = isRecord(body) ? body : {};
    if (credentials.AppID !== this.app.appId || credentials.AppSecret !== this.app.appSecret) {
      return { code: AUTH_FAILED, msg: 'app_id or app_secret is invalid', data: {} };
    }
    const ticket = randomHex(16);
    const serviceId = 1 + Math.floor(Math.random() * 1_000_000);
    this.tickets.set(ticket, serviceId);
    // Lark's URL carries device_id and service_id (which the SDK reads back) after other parameters.
    const query = new URLSearchParams({ fpid: '1', device_id: randomHex(8), service_id: String(serviceId), ticket });
    const url = `${this.app.baseUrl().replace(/^http/, 'ws')}${SOCKET_PATH}?${query}`;
    return { code: 0, msg: 'ok', data: { URL: url, ClientConfig: { ...this.clientConfig } } };
  }

  /**
   * The HTTP server's 'upgrade' listener. Accepts a WebSocket on a URL the endpoint handed out
   * (each once), and leaves upgrades to other paths alone.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://sandbox');
    if (url.pathname !== SOCKET_PATH) return;
    const ticket = url.searchParams.get('ticket') ?? '';
    const serviceId = this.tickets.get(ticket);
    if (Date.now() < this.downUntil) {
      this.stats.refused += 1;
      socket.destroy();
      return;
    }
    if (serviceId === undefined) {
      this.stats.refused += 1;
      socket.end('HTTP/1.1 403 Forbidden\r\nhandshake-status: 403\r\nhandshake-msg: invalid ticket\r\nconnection: close\r\n\r\n');
      return;
    }
    this.tickets.delete(ticket);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, serviceId));
  }

  /**
   * Pushes an event to a connected client (the newest, if several) and resolves with its answer.
   * Waits for a client to connect first. Rejects when no client connects or answers within
   * `timeoutMs`, or when the connection is lost before the answer: Lark would push it again later.
   */
  async push(envelope: LarkEventEnvelope<object>, options: PushEventOptions = {}): Promise<LongConnectionAnswer> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    const connection = await this.listeningConnection(deadline);
    const json = Buffer.from(JSON.stringify(envelope));
    const fragments = Math.max(1, Math.min(options.fragments ?? 1, json.length));
    const record: LongConnectionPush = {
      messageId: `msg_${randomHex(12)}`,
      eventId: envelope.header.event_id,
      eventType: envelope.header.event_type,
      envelope,
      fragments,
    };
    this.pushes.push(record);
    const answered = new Promise<LongConnectionAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(record.messageId);
        reject(new Error(`push ${record.messageId} (event ${record.eventId}): no answer within ${timeoutMs} ms`));
      }, deadline - Date.now());
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          this.pending.delete(record.messageId);
          fn(value);
        };
      this.pending.set(record.messageId, { connection, record, resolve: settle(resolve), reject: settle(reject) });
    });
    const traceId = randomHex(16);
    const size = Math.ceil(json.length / fragments);
    for (let seq = 0; seq < fragments; seq++) {
      const headers = { type: 'event', message_id: record.messageId, sum: String(fragments), seq: String(seq), trace_id: traceId };
      connection.socket.send(encodeFrame(this.frame(connection, FrameMethod.data, headers, json.subarray(seq * size, (seq + 1) * size))));
    }
    return answered;
  }

  /**
   * Cuts every connection at once, as a network loss does (no close handshake), and refuses new
   * ones for `downForMs`. Pushes waiting for an answer on them are rejected.
   */
  drop(options: DropConnectionsOptions = {}): void {
    this.downUntil = Date.now() + (options.downForMs ?? 0);
    for (const connection of this.connections) connection.socket.terminate();
  }

  close(): void {
    for (const connection of this.connections) connection.socket.terminate();
    this.wss.close();
  }

  private accept(socket: WebSocket, serviceId: number): void {
    const connection: Connection = { socket, serviceId, ready: false };
    this.connections.add(connection);
    this.stats.accepted += 1;
    socket.on('message', (data) => this.receive(connection, data));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      this.connections.delete(connection);
      for (const pending of this.pending.values()) {
        if (pending.connection === connection) pending.reject(new Error(`push ${pending.record.messageId}: connection lost before the answer`));
      }
    });
  }

  private receive(connection: Connection, data: RawData): void {
    let frame: Frame;
    try {
      frame = decodeFrame(toBytes(data));
    } catch {
      return; // Lark drops what it cannot decode.
    }
    const type = headerOf(frame, 'type');
    if (frame.method === FrameMethod.control && type === 'ping') {
      this.stats.pings += 1;
      // The first ping shows the client has attached its frame listener: events may go to it.
      connection.ready = true;
      const pong = this.frame(connection, FrameMethod.control, { type: 'pong' }, Buffer.from(JSON.stringify(this.clientConfig)));
      connection.socket.send(encodeFrame(pong));
      for (const listener of this.readyListeners) listener();
      return;
    }
    const pending = frame.method === FrameMethod.data ? this.pending.get(headerOf(frame, 'message_id') ?? '') : undefined;
    if (pending === undefined) return;
    let answer: LongConnectionAnswer;
    try {
      answer = parseAnswer(frame.payload);
    } catch {
      pending.reject(new Error(`push ${pending.record.messageId}: the answer frame's payload is not {code, data}`));
      return;
    }
    pending.record.answer = answer;
    pending.resolve(answer);
  }

  private frame(connection: Connection, method: number, headers: Record<string, string>, payload: Uint8Array): Frame {
    const list: FrameHeader[] = Object.entries(headers).map(([key, value]) => ({ key, value }));
    this.seq += 1;
    return { SeqID: this.seq, LogID: this.seq, service: connection.serviceId, method, headers: list, payload };
  }

  private listeningConnection(deadline: number): Promise<Connection> {
    const newest = () => [...this.connections].filter(isListening).at(-1);
    const found = newest();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const connection = newest();
        if (!connection) return;
        this.readyListeners.delete(listener);
        clearTimeout(timer);
        resolve(connection);
      };
      const timer = setTimeout(() => {
        this.readyListeners.delete(listener);
        reject(new Error('push: no long-connection client connected'));
      }, deadline - Date.now());
      this.readyListeners.add(listener);
    });
  }
}

function isListening(connection: Connection): boolean {
  return connection.ready && connection.socket.readyState === WebSocket.OPEN;
}

/** The answer frame's payload: `{code, data?}`, data being base64 of the handler's JSON result. Throws if not. */
function parseAnswer(payload: Uint8Array | undefined): LongConnectionAnswer {
  const parsed = JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as { code?: unknown; data?: unknown };
  if (typeof parsed.code !== 'number') throw new Error('answer without code');
  const body: unknown = typeof parsed.data === 'string' ? JSON.parse(Buffer.from(parsed.data, 'base64').toString('utf8')) : undefined;
  return { code: parsed.code, body };
}

function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
