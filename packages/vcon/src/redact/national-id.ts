/**
 * @module Syntax rules of two national identifiers the offline PII detector looks for: the US Social Security
 * Number and the UK National Insurance number. Neither has a check digit, so the rules on unissued values are
 * what separates them from other numbers.
 */

/**
 * True for a US SSN written `###-##-####` (dashes or single spaces). The Social Security Administration never
 * issues area 000, 666 or 900–999, group 00 or serial 0000, so those are rejected.
 */
export function isUsSsn(value: string): boolean {
  const m = /^(\d{3})([- ])(\d{2})\2(\d{4})$/.exec(value)
  if (m === null) return false
  const area = m[1] as string
  if (area === '000' || area === '666' || area.startsWith('9')) return false
  return m[3] !== '00' && m[4] !== '0000'
}

/** Prefixes HMRC does not allocate (administrative or ambiguous). */
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'])

/**
 * True for a UK National Insurance number: two letters, six digits and a suffix A–D, with optional single
 * spaces between the pairs (`AB 12 34 56 C`). HMRC's allocation rules: the first letter is never D, F, I, Q, U
 * or V, the second never D, F, I, O, Q, U or V, and a few prefixes are never used.
 */
export function isUkNino(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase()
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(compact)
  if (m === null) return false
  return !NINO_BAD_PREFIXES.has(`${m[1]}${m[2]}`)
}
