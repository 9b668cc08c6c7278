/**
 * @module The one table from ServerErrorCode to HTTP status. Every error response of the API goes through it, so
 * a code always means the same status (design §4: "the HTTP layer maps codes to statuses in one table").
 */
import type { ServerErrorCode } from '../errors/server-error.js'

/** HTTP status of every error code (RFC 9110 §15 for the meanings; 422 per RFC 9110 §15.5.21). */
export const ERROR_STATUS: Readonly<Record<ServerErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VCON_INVALID: 422,
  CRITICAL_UNSUPPORTED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // A configuration error reaching a request is the operator's fault, not the client's.
  CONFIG_INVALID: 500,
  UNAVAILABLE: 503,
}

/** The status for a code. */
export function statusOf(code: ServerErrorCode): number {
  return ERROR_STATUS[code]
}
