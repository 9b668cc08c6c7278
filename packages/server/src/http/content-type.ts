/**
 * @module Which request bodies a route takes. vCons come as `application/vcon` or `application/vcon+gzip`
 * (core draft §5.1; receivers SHOULD accept gzip), `application/vcon+json` (the type the draft's JWE example
 * names as cty) or plain `application/json`; bulk ingest takes NDJSON. Anything else is 415, never a guess.
 */
import type { IncomingMessage } from 'node:http'
import { ServerError } from '../errors/server-error.js'

/** A parsed Content-Type: the lowercase type/subtype and its charset parameter if any. */
export interface MediaType {
  readonly type: string
  readonly charset: string | undefined
}

/** Parses a Content-Type header value (RFC 9110 §8.3.1); undefined when absent or malformed. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (header === undefined) return undefined
  const [head, ...params] = header.split(';')
  const type = (head ?? '').trim().toLowerCase()
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined
  let charset: string | undefined
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq === -1) continue
    if (param.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase()
    }
  }
  return { type, charset }
}

/** Media types a single vCon may be sent as. */
export const VCON_MEDIA_TYPES = [
  'application/vcon',
  'application/vcon+json',
  'application/json',
  'application/vcon+gzip',
] as const

/** Media types of bulk (newline-delimited JSON) bodies. */
export const NDJSON_MEDIA_TYPES = ['application/x-ndjson', 'application/jsonl'] as const

/** How the body of an accepted request is to be read. */
export interface BodyFormat {
  /** The body is gzipped (application/vcon+gzip, or Content-Encoding: gzip). */
  readonly gzip: boolean
}

function unsupported(got: string | undefined, accepted: readonly string[]): ServerError {
  return new ServerError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${got === undefined ? 'The request has no Content-Type' : `Content-Type ${got} is not accepted here`}; send one of ${accepted.join(', ')}.`,
  )
}

/** Checks Content-Type against `accepted` and Content-Encoding (identity or gzip); throws 415 otherwise. */
export function requireBodyFormat(req: IncomingMessage, accepted: readonly string[]): BodyFormat {
  const header = req.headers['content-type']
  const media = parseMediaType(header)
  if (media === undefined || !accepted.includes(media.type)) throw unsupported(header, accepted)
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw new ServerError(
      'UNSUPPORTED_MEDIA_TYPE',
      `charset=${media.charset} is not accepted; vCons are UTF-8 JSON (RFC 8259 §8.1).`,
    )
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new ServerError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${encoding} is not accepted; send the body as is or gzipped (Content-Encoding: gzip).`,
    )
  }
  return { gzip: encoding === 'gzip' || media.type === 'application/vcon+gzip' }
}
