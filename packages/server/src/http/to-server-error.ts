/**
 * @module Turns whatever a handler threw into a ServerError with a stable code: ServerErrors pass through, the
 * library's VconErrors map to the client error they stand for, and anything else is an unexpected INTERNAL
 * error whose details go to the log only (design §4: user-facing errors never leak stack traces).
 */
import { isVconError, type VconErrorCode } from '@vconkit/vcon'
import { ServerError, type ServerErrorCode } from '../errors/server-error.js'

/** The server code for each library code a request body can cause. */
const FROM_VCON: Partial<Readonly<Record<VconErrorCode, ServerErrorCode>>> = {
  VCON_INVALID: 'VCON_INVALID',
  VCON_CRITICAL_UNSUPPORTED: 'CRITICAL_UNSUPPORTED',
  VCON_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  VCON_NOT_JSON: 'BAD_REQUEST',
  VCON_NOT_A_VCON: 'BAD_REQUEST',
  VCON_TOO_DEEP: 'BAD_REQUEST',
  VCON_BAD_ENCODING: 'BAD_REQUEST',
  VCON_UUID_MISMATCH: 'BAD_REQUEST',
}

/** The converted error, and whether it was unexpected (to be logged with its details as a server fault). */
export interface ConvertedError {
  readonly error: ServerError
  readonly unexpected: boolean
}

/** Converts a thrown value; `requestId` goes into the generic message of unexpected errors. */
export function toServerError(thrown: unknown, requestId: string): ConvertedError {
  if (thrown instanceof ServerError) return { error: thrown, unexpected: false }
  if (isVconError(thrown)) {
    const code = FROM_VCON[thrown.code]
    if (code !== undefined) {
      return {
        error: new ServerError(code, thrown.message, { issues: thrown.issues, cause: thrown }),
        unexpected: false,
      }
    }
  }
  return {
    error: new ServerError(
      'INTERNAL',
      `The server failed to handle this request; it was logged with request id ${requestId}.`,
      { cause: thrown },
    ),
    unexpected: true,
  }
}

/**
 * The error an unreachable or failing store or queue becomes: 503 with Retry-After, never 500, because the
 * client's request was not acknowledged and may simply be sent again (nothing was lost).
 */
export function unavailable(what: 'store' | 'queue', cause: unknown): ServerError {
  if (cause instanceof ServerError) return cause
  return new ServerError(
    'UNAVAILABLE',
    `The ${what} is unavailable; nothing was acknowledged. Retry after the Retry-After delay.`,
    { retryAfter: 2, cause },
  )
}
