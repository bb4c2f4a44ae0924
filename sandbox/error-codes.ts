/**
 * Lark error codes the sandbox answers with, named. The numbers and HTTP statuses come from Lark's
 * API reference (message create/reply/patch, buzz, chat members, generic error table).
 */
export const LarkErrorCode = {
  /** Token endpoint, HTTP 200: a field is missing. */
  invalidParam: 10003,
  /** Token endpoint, HTTP 200: unknown app_id or wrong app_secret. */
  appCredentialsInvalid: 10014,
  /** HTTP 429 from the gateway, with header x-ogw-ratelimit-reset (seconds). */
  gatewayRateLimited: 99991400,
  /** HTTP 404: no such endpoint ("resource not find"). */
  notFound: 99991201,
  /** No `Authorization: Bearer …` header. */
  missingToken: 99991661,
  /** Unknown or expired tenant_access_token. */
  invalidToken: 99991663,
  /** HTTP 400: a required query field is missing or has a bad value, or the body is not JSON. */
  fieldValidationFailed: 99992402,

  /** IM, HTTP 400: bad msg_type, content, receive_id or message_id. */
  imInvalidParam: 230001,
  /** IM, HTTP 400: the bot is not in the group. */
  botNotInChat: 230002,
  /** IM, HTTP 400: buzz on a message the bot did not send. */
  botNotSender: 230012,
  /** IM, HTTP 400: the user is not in the app's availability (or unknown). */
  userOutsideAvailability: 230013,
  /** IM, HTTP 400: per-chat, per-user or per-message frequency limit. */
  imRateLimited: 230020,
  /** IM, HTTP 400: text over 150 KB, card or post over 30 KB. */
  contentTooLong: 230025,
  /** IM, HTTP 400: the app may not do this to that message. */
  noPermission: 230027,
  /** IM, HTTP 400: card updates are allowed for 14 days after sending. */
  updateWindowExpired: 230031,
  /** IM, HTTP 400: a file's upload type does not fit the message type (mp4 sent as `file`). */
  fileTypeMismatch: 230055,
  /** IM, HTTP 400: the card could not be built (bad card JSON). */
  cardBuildFailed: 230099,

  // File upload (im/v1/files). Uncertain: codes from Lark's reference as recalled, not seen from a live tenant.
  /** File upload, HTTP 400: file_type, file_name or file missing or invalid. */
  fileInvalidParam: 234001,
  /** File upload, HTTP 400: the file is over 30 MB. */
  fileTooLarge: 234006,
  /** File upload, HTTP 400: the file is empty. */
  fileEmpty: 234010,

  /** Chat members, HTTP 400: bad page_size, page_token or member_id_type. */
  chatInvalidParam: 232001,
  /** Chat members, HTTP 400: no such chat. */
  invalidChatId: 232006,
  /** Chat members, HTTP 400: the bot is not in the chat. */
  operatorNotInChat: 232011,
} as const;

/** A Lark error answer: HTTP status plus the `{code, msg}` body. */
export class LarkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }
}

/** IM errors all answer HTTP 400 with Lark's "description, ext=detail" message. */
export function imError(code: number, description: string, ext?: string): LarkApiError {
  return new LarkApiError(400, code, ext === undefined ? description : `${description}, ext=${ext}`);
}

export function invalidParam(ext: string): LarkApiError {
  return imError(LarkErrorCode.imInvalidParam, 'Your request contains an invalid request parameter.', ext);
}

export function imRateLimited(ext: string): LarkApiError {
  return imError(LarkErrorCode.imRateLimited, 'This operation triggers the frequency limit.', ext);
}

export function fieldValidationFailed(ext: string): LarkApiError {
  return new LarkApiError(400, LarkErrorCode.fieldValidationFailed, `field validation failed, ext=${ext}`);
}
