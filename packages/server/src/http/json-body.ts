/**
 * @module A small JSON request body (append, tags, replay): `application/json` only, size-bounded, and depth-checked
 * without recursion, since JSON.parse accepts nesting far deeper than any later recursive walk survives.
 */
import type { IncomingMessage } from 'node:http'
import { ServerError } from '../errors/server-error.js'
import { requireBodyFormat } from './content-type.js'
import { decodeUtf8, readBody } from './read-body.js'

/** Deepest nesting accepted in request JSON (the library's default for vCons). */
export const MAX_JSON_DEPTH = 200

const JSON_TYPES = ['application/json'] as const

/** Throws 400 when `value` nests deeper than `maxDepth`. */
export function checkJsonDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number }
    if (typeof node !== 'object' || node === null) continue
    if (depth > maxDepth) {
      throw new ServerError('BAD_REQUEST', `The JSON body nests deeper than ${maxDepth} levels.`)
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 })
    }
  }
}

/** Parses JSON text with a 400 that says where it broke. */
export function parseJson(text: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new ServerError(
      'BAD_REQUEST',
      `The body is not JSON (${cause instanceof Error ? cause.message : String(cause)}).`,
      { cause },
    )
  }
  checkJsonDepth(value)
  return value
}

/** Reads and parses an `application/json` body of at most `limit` bytes. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const format = requireBodyFormat(req, JSON_TYPES)
  return parseJson(decodeUtf8(await readBody(req, { limit, gzip: format.gzip })))
}

/** Reads a body that must be a JSON object; `what` names it in the error. */
export async function readJsonObject(
  req: IncomingMessage,
  limit: number,
  what: string,
): Promise<Record<string, unknown>> {
  const value = await readJsonBody(req, limit)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServerError('BAD_REQUEST', `The body must be a JSON object: ${what}.`)
  }
  return value as Record<string, unknown>
}
