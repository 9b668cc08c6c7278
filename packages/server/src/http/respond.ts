/**
 * @module Writing responses: JSON values, stored vCon text as is, and the error model
 * `{ error: { code, message, issues? } }` with the status from the one table (error-status.ts).
 */
import type { ServerResponse } from 'node:http'
import type { ServerError } from '../errors/server-error.js'
import { statusOf } from './error-status.js'

export const JSON_TYPE = 'application/json; charset=utf-8'

export type ExtraHeaders = Readonly<Record<string, string | number>>

/** Sends a body (text or bytes) with a content type. */
export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: ExtraHeaders = {},
): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': length })
  res.end(body)
}

/** Sends a JSON value. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: ExtraHeaders = {},
): void {
  sendBody(res, status, JSON_TYPE, JSON.stringify(value), headers)
}

/** Sends a status with no body (204, 304). */
export function sendEmpty(res: ServerResponse, status: number, headers: ExtraHeaders = {}): void {
  res.writeHead(status, headers)
  res.end()
}

/** The JSON body of an error response. */
export function errorBody(error: ServerError): {
  error: { code: string; message: string; issues?: unknown[] }
} {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues.length > 0
        ? {
            issues: error.issues.map((i) => ({
              pointer: i.pointer,
              code: i.code,
              severity: i.severity,
              message: i.message,
            })),
          }
        : {}),
    },
  }
}

/**
 * Sends an error. When the request body was not read to its end (refused early: 401, 413, 415), the connection
 * is closed after the answer rather than draining a body nobody wants.
 */
export function sendError(
  res: ServerResponse,
  error: ServerError,
  options: { readonly closeConnection?: boolean; readonly headers?: ExtraHeaders } = {},
): void {
  if (res.headersSent) {
    // A streaming response already started (bulk): the only honest signal left is to cut it.
    res.destroy()
    return
  }
  const headers: Record<string, string | number> = { ...options.headers }
  if (error.retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfter))
  if (error.code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer'
  if (options.closeConnection === true) headers.connection = 'close'
  sendJson(res, statusOf(error.code), errorBody(error), headers)
}
