import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { randomHex } from './ids';
import type { DeliverEventOptions, DeliveryResult, LarkEventEnvelope } from './types';

/**
 * Lark's event encryption: base64(IV ‖ AES-256-CBC(plaintext)), key = sha256(encryptKey),
 * PKCS7 padding (node's default).
 */
export function encryptEventBody(plaintext: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature: hex(sha256(timestamp + nonce + encryptKey + body)). */
export function signEventBody(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

export interface DeliveryContext {
  encryptKey: string;
  /** Epoch ms; the signature timestamp is in seconds. */
  now: number;
}

/** An event as Lark POSTs it: encrypted, signed, compact JSON, with its headers. */
export function larkEventRequest(
  envelope: LarkEventEnvelope<object>,
  context: DeliveryContext,
  options: Pick<DeliverEventOptions, 'eventId' | 'token' | 'encrypt' | 'forgeSignature'> = {},
): { eventId: string; body: string; headers: Record<string, string> } {
  const eventId = options.eventId ?? envelope.header.event_id;
  const payload: LarkEventEnvelope<object> = {
    ...envelope,
    header: { ...envelope.header, event_id: eventId, token: options.token ?? envelope.header.token },
  };
  const plaintext = JSON.stringify(payload);
  // The SDK re-serialises the parsed body with JSON.stringify before checking the signature, so
  // the bytes sent must be exactly JSON.stringify output.
  const body = options.encrypt === false ? plaintext : JSON.stringify({ encrypt: encryptEventBody(plaintext, context.encryptKey) });
  const timestamp = String(Math.floor(context.now / 1000));
  const nonce = randomHex(8);
  const signature = options.forgeSignature
    ? signEventBody(timestamp, nonce, `not-${context.encryptKey}`, body)
    : signEventBody(timestamp, nonce, context.encryptKey, body);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Lark-Sandbox-Event-Push',
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': signature,
  };
  return { eventId, body, headers };
}

/** POSTs one event to a webhook the way Lark does. */
export async function postEvent(
  webhookUrl: string,
  envelope: LarkEventEnvelope<object>,
  context: DeliveryContext,
  options: DeliverEventOptions = {},
): Promise<DeliveryResult> {
  const { eventId, body, headers } = larkEventRequest(envelope, context, options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`event ${eventId} to ${webhookUrl}: no answer within ${timeoutMs} ms or connection failed`, {
      cause: error,
    });
  }
  const text = await response.text();
  return { status: response.status, body: parseJsonOrText(text), eventId };
}

/** Parsed JSON; the text itself when it is not JSON; undefined when empty. */
export function parseJsonOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
