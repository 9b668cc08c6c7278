/**
 * @module Syntax checks for the draft's scalar types (core draft §2.4): Date, uuid, Mediatype, ContentHash.
 * Written as regular expressions compiled once, because the validator runs on every request.
 */

/** The same without a zone designator, which legacy files write (read as UTC by the upgrader). */
const DATE_TIME_NO_ZONE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function inCalendar(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false
  const max = DAYS_IN_MONTH[mo - 1] ?? 31
  if (d > max) return false
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return false
  return true
}

/** Two ASCII digits at `at` as a number, or -1 (the unsigned compare also catches characters below '0'). */
function two(value: string, at: number): number {
  const a = value.charCodeAt(at) - 48
  const b = value.charCodeAt(at + 1) - 48
  return a >>> 0 > 9 || b >>> 0 > 9 ? -1 : a * 10 + b
}

/**
 * True for an RFC 3339 §5.6 date-time with a zone designator (the draft's Date type): fractional seconds of any
 * length, 'T'/'Z' in either case (RFC 3339 §5.6 note), calendar ranges checked. Parsed by hand rather than by a
 * regular expression because every dialog carries one and the validator runs on every request.
 */
export function isDate(value: string): boolean {
  const len = value.length
  if (len < 20) return false
  const century = two(value, 0)
  const yy = two(value, 2)
  const mo = two(value, 5)
  const d = two(value, 8)
  const h = two(value, 11)
  const mi = two(value, 14)
  const s = two(value, 17)
  if ((century | yy | mo | d | h | mi | s) < 0) return false
  const y = century * 100 + yy
  const t = value.charCodeAt(10)
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116 && t !== 32) ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  ) {
    return false
  }
  let i = 19
  if (value.charCodeAt(i) === 46) {
    i++
    const first = i
    while (i < len && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++
    if (i === first) return false
  }
  const z = value.charCodeAt(i)
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return false
  } else if (z === 43 || z === 45) {
    if (i + 6 !== len || value.charCodeAt(i + 3) !== 58) return false
    const oh = two(value, i + 1)
    const om = two(value, i + 4)
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return false
  } else return false
  return inCalendar(y, mo, d, h, mi, s)
}

/** True for a date-time that would be valid if it carried a zone designator. */
export function isZonelessDate(value: string): boolean {
  const m = DATE_TIME_NO_ZONE.exec(value)
  if (m === null) return false
  return inCalendar(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  )
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** True for the 8-4-4-4-12 hexadecimal syntax. Version and variant are not checked (notes §a.2). */
export function isUuidSyntax(value: string): boolean {
  return value.length === 36 && UUID.test(value)
}

/** True when the uuid has the RFC 9562 variant (10xx) and is neither nil nor max. */
export function isRfcUuid(value: string): boolean {
  const variant = Number.parseInt(value.charAt(19), 16)
  if (variant < 8 || variant > 11) return false
  return !/^[0-]+$/.test(value) && !/^[fF-]+$/.test(value)
}

/** RFC 6838 §4.2 restricted names for type and subtype; any parameters (even folded) after ';'. */
const MEDIATYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\s*(?:;[\s\S]*)?$/

let lastMediatype = ''

/** True for `type/subtype` with optional parameters. */
export function isMediatype(value: string): boolean {
  // The dialogs of one vCon nearly always share a mediatype: remember the last valid one.
  if (value === lastMediatype) return true
  if (!MEDIATYPE.test(value)) return false
  lastMediatype = value
  return true
}

/** `<alg>-<digest>`: lowercase letters and digits, a hyphen, unpadded base64url (core draft §2.4). */
const CONTENT_HASH = /^([a-z0-9]+)-([A-Za-z0-9_-]+)$/

/** Digest lengths in base64url characters of the algorithms this library computes. */
export const HASH_DIGEST_LENGTHS: Readonly<Record<string, number>> = {
  sha256: 43,
  sha384: 64,
  sha512: 86,
}

/** Splits a content_hash token into algorithm and digest, or returns undefined if the syntax is wrong. */
export function parseContentHashToken(token: string): { alg: string; digest: string } | undefined {
  const m = CONTENT_HASH.exec(token)
  if (m === null) return undefined
  return { alg: m[1] as string, digest: m[2] as string }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

/** True when every character is in the unpadded base64url alphabet (RFC 4648 §5, RFC 7515 §2). */
export function isBase64url(value: string): boolean {
  return BASE64URL.test(value) && value.length % 4 !== 1
}

/** True for an absolute URL with an https scheme. */
export function isHttpsUrl(value: string): boolean {
  return value.startsWith('https://') && URL.canParse(value)
}

/** True for a non-negative integer (the draft's UnsignedInt). */
export function isUnsignedInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
