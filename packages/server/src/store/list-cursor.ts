/**
 * @module The keyset cursor of `Store.list`: the (createdAt, uuid) of the last item of a page, as base64url JSON.
 * Shared by the adapters so a cursor means the same position on SQLite and PostgreSQL.
 */
import { ServerError } from '../errors/server-error.js'
import { normaliseDate } from './derive-index.js'

/** The position after which the next page starts (order: createdAt desc, uuid desc). */
export interface ListPosition {
  readonly createdAt: string
  readonly uuid: string
}

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.uuid]), 'utf8').toString(
    'base64url',
  )
}

/** Reads a cursor from `next`; a cursor that was not made by `encodeCursor` is a client error (400). */
export function decodeCursor(cursor: string): ListPosition {
  const invalid = () =>
    new ServerError(
      'BAD_REQUEST',
      'The cursor `after` is not one this server returned; pass `next` as given',
    )
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid()
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid()
  const [createdAt, uuid] = value as unknown[]
  if (typeof createdAt !== 'string' || typeof uuid !== 'string') throw invalid()
  if (normaliseDate(createdAt) !== createdAt) throw invalid()
  return { createdAt, uuid }
}

/** A `since` / `until` filter as the index stores dates; a value that is not a date is a client error. */
export function filterDate(name: 'since' | 'until', value: string): string {
  const date = normaliseDate(value)
  if (date === undefined) {
    throw new ServerError(
      'BAD_REQUEST',
      `The list filter \`${name}\` is not a date; use RFC 3339, e.g. 2025-03-04T10:00:00Z`,
    )
  }
  return date
}

/** Page sizes are clamped to 1..1000 so that one request cannot read the whole store. */
export function pageSize(limit: number): number {
  if (!Number.isFinite(limit)) return 100
  return Math.min(1000, Math.max(1, Math.trunc(limit)))
}
