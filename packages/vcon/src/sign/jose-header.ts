/**
 * @module JOSE header handling shared by JWS and JWE: decoding the protected header and merging it with the
 * unprotected ones. RFC 7515 §7.2.1 and RFC 7516 §7.2.1 require the name sets to be disjoint; the core draft's
 * own examples repeat names with equal values, so equal duplicates are tolerated and differing ones refused.
 */
import { VconError, type VconErrorCode } from '../errors/vcon-error.js'
import { decodeBase64url } from './base64url.js'

/** A decoded JOSE header: a JSON object. */
export type JoseHeader = Readonly<Record<string, unknown>>

/** One header to merge and the name used for it in error messages. */
export interface HeaderPart {
  readonly label: string
  readonly header: JoseHeader | undefined
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Structural equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  const bo = b as Record<string, unknown>
  if (ka.length !== Object.keys(bo).length) return false
  const ao = a as Record<string, unknown>
  return ka.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
}

/** Decodes `protected` (base64url of UTF-8 JSON) to an object; absent means the empty header. */
export function decodeProtectedHeader(
  value: unknown,
  member: string,
  code: VconErrorCode,
): JoseHeader {
  if (value === undefined) return {}
  const bytes = decodeBase64url(value, member, code)
  let parsed: unknown
  try {
    parsed = JSON.parse(UTF8.decode(bytes))
  } catch (cause) {
    throw new VconError(code, `${member} does not decode to UTF-8 JSON.`, { cause })
  }
  if (!isPlainObject(parsed))
    throw new VconError(code, `${member} does not decode to a JSON object.`)
  return parsed
}

/** Checks that an unprotected header member, when present, is a JSON object. */
export function unprotectedHeader(value: unknown, member: string, code: VconErrorCode): JoseHeader {
  if (value === undefined) return {}
  if (!isPlainObject(value)) throw new VconError(code, `${member} must be a JSON object.`)
  return value
}

/**
 * Merges headers into one object. A name present in several parts must carry equal values there; otherwise the
 * header is ambiguous (which `alg`, which `x5c`?) and refused with `code`.
 */
export function mergeHeaders(parts: readonly HeaderPart[], code: VconErrorCode): JoseHeader {
  const merged: Record<string, unknown> = {}
  const origin: Record<string, string> = {}
  for (const { label, header } of parts) {
    if (header === undefined) continue
    for (const name of Object.keys(header)) {
      const value = header[name]
      if (Object.hasOwn(merged, name)) {
        if (!jsonEqual(merged[name], value)) {
          throw new VconError(
            code,
            `Header parameter "${name}" appears in ${origin[name]} and ${label} with different values; ` +
              'a JOSE header name must appear once (RFC 7515 §7.2.1, RFC 7516 §7.2.1). Remove one of them.',
          )
        }
        continue
      }
      merged[name] = value
      origin[name] = label
    }
  }
  return merged
}

/**
 * RFC 7515 §4.1.11 / RFC 7516 §4.1.13: `crit` lists extensions the recipient must understand. This library
 * understands none (not even RFC 7797 `b64`), so any `crit` is refused rather than silently ignored.
 */
export function refuseCrit(header: JoseHeader, code: VconErrorCode): void {
  if (header.crit === undefined) return
  throw new VconError(
    code,
    `The header marks ${JSON.stringify(header.crit)} as critical ("crit"); this library understands no ` +
      'critical JOSE extension, so it cannot process this object.',
  )
}
