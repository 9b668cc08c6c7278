/**
 * @module The server's one error class. Its code maps to an HTTP status in one table (http/error-status.ts).
 */
import type { Issue } from '@vconkit/vcon'

/** Every code a `ServerError` can carry; stable strings that clients switch on. */
export type ServerErrorCode =
  /** The request body is not a valid vCon; `issues` lists every problem. */
  | 'VCON_INVALID'
  /** The body is not JSON, not a vCon, too deep or badly encoded. */
  | 'BAD_REQUEST'
  /** A vCon with this uuid exists already (create, not replace). */
  | 'CONFLICT'
  /** The Idempotency-Key was used before with a different vCon (draft-ietf-httpapi-idempotency-key-header: 422). */
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'NOT_FOUND'
  /** The path exists but not with this method; the response's Allow header lists the methods it has. */
  | 'METHOD_NOT_ALLOWED'
  /** No credentials, or credentials that match no token. */
  | 'UNAUTHENTICATED'
  /** The token is valid but its scope does not allow this. */
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** The token's rate limit is spent; retry after the given seconds. */
  | 'RATE_LIMITED'
  /** The queue backlog passed its limit, or the store or queue is unreachable; retry later. */
  | 'UNAVAILABLE'
  /** `critical` names an extension this server does not support. */
  | 'CRITICAL_UNSUPPORTED'
  /** The configuration file is wrong; the message names the key and the fix. */
  | 'CONFIG_INVALID'
  | 'INTERNAL'

export interface ServerErrorOptions {
  readonly issues?: readonly Issue[]
  /** Seconds a client should wait before retrying (429, 503). */
  readonly retryAfter?: number
  readonly cause?: unknown
}

export class ServerError extends Error {
  readonly code: ServerErrorCode
  readonly issues: readonly Issue[]
  readonly retryAfter: number | undefined

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ServerError'
    this.code = code
    this.issues = options.issues ?? []
    this.retryAfter = options.retryAfter
  }
}
