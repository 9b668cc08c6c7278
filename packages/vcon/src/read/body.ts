/**
 * @module Reading inline bodies (core draft §2.4.1) the way real files write them: `json` bodies as native
 * values or as strings holding JSON (notes §g.5), base64url with or without padding (notes §g.4), and legacy
 * content with no encoding or with `mimetype` instead of `mediatype`.
 */
import type { JsonValue } from '../model/vcon.js'

/** Any object that may carry inline content: a dialog, analysis or attachment, in any version's shape. */
export interface ContentLike {
  readonly body?: unknown
  readonly encoding?: unknown
  readonly mediatype?: unknown
  /** The 0.0.1 name of `mediatype`. */
  readonly mimetype?: unknown
}

/** The media type of content, from `mediatype` or the legacy `mimetype`, lowercase, without parameters. */
export function mediaTypeOf(content: ContentLike): string | undefined {
  const value = typeof content.mediatype === 'string' ? content.mediatype : content.mimetype
  if (typeof value !== 'string') return undefined
  const semicolon = value.indexOf(';')
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase()
}

function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && (type === 'application/json' || type.endsWith('+json'))
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0]
  return first === '{' || first === '['
}

/** Marks a string that does not parse (undefined is taken: a JSON body may legitimately be null). */
const NOT_JSON = Symbol('not JSON')

function tryParse(text: string): JsonValue | typeof NOT_JSON {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return NOT_JSON
  }
}

function parsedOr(text: string, fallback: JsonValue | undefined): JsonValue | undefined {
  const value = tryParse(text)
  return value === NOT_JSON ? fallback : value
}

/**
 * Decodes base64url text to bytes, also accepting the standard alphabet and `=` padding that legacy files
 * use (notes §g.4). Returns undefined when the text is not base64 at all.
 */
export function decodeBase64url(text: string): Uint8Array | undefined {
  const normalised = text
    .replace(/\s+/g, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  if (!/^[A-Za-z0-9_-]*$/.test(normalised) || normalised.length % 4 === 1) return undefined
  return new Uint8Array(Buffer.from(normalised, 'base64url'))
}

/**
 * The body as a JSON value. With encoding `json`, a string body is parsed (kept as the string if it does
 * not parse) and a native value is returned as is; a base64url body is decoded and parsed; a body with
 * encoding `none` or no encoding is parsed when its media type is JSON (or, with no encoding, when it looks
 * like a JSON object or array), and otherwise returned as it is. Undefined when there is no body.
 */
export function getJsonBody(content: ContentLike): JsonValue | undefined {
  const { body, encoding } = content
  if (body === undefined) return undefined
  if (typeof body !== 'string') return body as JsonValue
  if (encoding === 'json') return parsedOr(body, body)
  if (encoding === 'base64url') {
    const bytes = decodeBase64url(body)
    return bytes === undefined ? undefined : parsedOr(new TextDecoder().decode(bytes), undefined)
  }
  const jsonType = isJsonMediaType(mediaTypeOf(content))
  if (jsonType || (encoding === undefined && looksLikeJson(body))) return parsedOr(body, body)
  return body
}

/**
 * The body's bytes: base64url decoded, or the UTF-8 of a `none` (or legacy encoding-less) string body.
 * Undefined for a JSON value body, a missing body or undecodable base64url.
 */
export function decodeBody(content: ContentLike): Uint8Array | undefined {
  const { body, encoding } = content
  if (typeof body !== 'string') return undefined
  if (encoding === 'base64url') return decodeBase64url(body)
  if (encoding === 'none' || encoding === undefined) return new TextEncoder().encode(body)
  return undefined
}

/** The body as text: a string body as is (base64url decoded as UTF-8). Undefined for JSON values. */
export function bodyText(content: ContentLike): string | undefined {
  const { body, encoding } = content
  if (typeof body !== 'string') return undefined
  if (encoding === 'base64url') {
    const bytes = decodeBase64url(body)
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes)
  }
  return body
}
