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

  // Groups (im/v1/chats, im/v1/chats/:chat_id/members): see sandbox/chat-api.ts for each page.
  /** Add members, HTTP 400: the group would exceed its member limit. */
  chatMemberLimit: 232013,
  /** Create, add members, HTTP 400: 触发群限流, too many group operations. */
  chatRateLimited: 232019,
  /** Create, HTTP 400: a public group's name is shorter than two characters. */
  publicNameTooShort: 232020,
  /** Create, HTTP 400: an invited user has resigned. */
  userResigned: 232022,
  /** Add members, HTTP 400: a user is outside the app's availability. */
  userNotVisibleToApp: 232024,
  /** Add members, HTTP 400: id_list is empty or holds no valid member. */
  noValidMembers: 232027,
  /** Create, HTTP 400: owner_id names no user. */
  invalidUserId: 232030,
  /** Create, HTTP 400: external groups need the external-sharing ability. */
  externalChatNotAllowed: 232033,
  /** Create, HTTP 400: a public group needs a name. */
  publicNameMissing: 232042,
  /** Create, add members, HTTP 400: an id in the lists is unknown or unavailable. */
  unavailableIds: 232043,
  /** Remove members: the owner cannot be removed (the sandbox's removeBotFromChat refuses the same). */
  cannotRemoveOwner: 232076,
  /** Add members, HTTP 400: the chat is a single (p2p) chat. */
  unsupportedChatType: 232090,
  /** Add members (succeed_type 0 or 2), HTTP 400: open_ids that do not exist. */
  openIdsNotExisted: 99992351,
  /** Add members (succeed_type 0 or 2), HTTP 400: user_ids that do not exist. */
  userIdsNotExisted: 99992360,
  /** Add members (succeed_type 0 or 2), HTTP 400: union_ids that do not exist. */
  unionIdsNotExisted: 99992364,

  // Pins (im/v1/pins).
  /** Pin, HTTP 400: the message's chat does not exist. */
  pinChatNotExist: 230045,
  /** Pin, HTTP 400: the group lets only its owner and managers pin. */
  pinNoPermission: 230046,
  /** Pin, HTTP 400: more than 5 pins/unpins of one message per second. */
  pinRateLimited: 230047,
  /** Pin, HTTP 400: system, hongbao and video_chat messages cannot be pinned. */
  unsupportedMessageType: 230054,
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
