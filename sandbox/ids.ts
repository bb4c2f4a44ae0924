import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Random lower-case hex of `bytes` bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Lark message ids look like `om_` + 32 hex digits. */
export const newMessageId = (): string => `om_${randomHex(16)}`;
export const newChatId = (): string => `oc_${randomHex(16)}`;
export const newThreadId = (): string => `omt_${randomHex(8)}`;
export const newTenantAccessToken = (): string => `t-${randomHex(20)}`;
/** Uploaded files' keys look like `file_v2_` + a UUID. */
export const newFileKey = (): string => `file_v2_${randomUUID()}`;
/** Event ids are 32 hex digits. */
export const newEventId = (): string => randomHex(16);

/**
 * An id derived from `seed`, stable across runs, so a user configured with only an open_id still
 * has the same user_id and union_id in every test.
 */
export function stableId(prefix: string, seed: string, hexDigits: number): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, hexDigits);
}
