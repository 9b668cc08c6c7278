/**
 * @module The body of a single-vCon request as text: media type checked (415), size bounded (413), gunzipped
 * with a bound, UTF-8 checked (400). Also the Idempotency-Key header.
 */
import type { IncomingMessage } from 'node:http'
import { ServerError } from '../../errors/server-error.js'
import { requireBodyFormat, VCON_MEDIA_TYPES } from '../content-type.js'
import { decodeUtf8, readBody } from '../read-body.js'

/** Reads a vCon body (any of the vCon media types) as text. */
export async function readVconText(req: IncomingMessage, limit: number): Promise<string> {
  const format = requireBodyFormat(req, VCON_MEDIA_TYPES)
  return decodeUtf8(await readBody(req, { limit, gzip: format.gzip }))
}

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header: a structured-field string, so quoted;
 * a bare token is accepted as well), or undefined. At most 255 visible ASCII characters.
 */
export function idempotencyKeyOf(req: IncomingMessage): string | undefined {
  const raw = req.headers['idempotency-key']
  if (typeof raw !== 'string') return undefined
  const trimmed = raw.trim()
  const key = /^".*"$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed
  if (key === '' || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ServerError(
      'BAD_REQUEST',
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters, e.g. a uuid.',
    )
  }
  return key
}
