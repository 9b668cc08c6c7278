/**
 * @module Rewrites base64 text as the unpadded base64url the draft requires (core draft §2.4.1, RFC 7515 §2),
 * accepting the standard alphabet, padding and line breaks that legacy writers produce (notes §g.4).
 */

/** Standard or URL-safe base64 with optional padding, once whitespace is removed. */
const LOOSE_BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/** Hexadecimal text (a hash digest some writers emit instead of base64url). */
const HEX = /^[0-9a-fA-F]+$/

/**
 * The unpadded base64url form of `text`, or undefined when `text` is not base64 in either alphabet. MIME-style
 * line breaks and spaces are removed. The result is not decoded, only re-spelled, so no data changes.
 */
export function toBase64url(text: string): string | undefined {
  const compact = /\s/.test(text) ? text.replace(/\s+/g, '') : text
  if (!LOOSE_BASE64.test(compact)) return undefined
  const unpadded = compact.replace(/=+$/, '')
  // A single trailing sextet cannot encode a whole byte (RFC 4648 §4): the text is not base64.
  if (unpadded.length % 4 === 1) return undefined
  return unpadded.replace(/\+/g, '-').replace(/\//g, '_')
}

/** The number of bytes an unpadded base64url string of `length` characters decodes to. */
export function decodedLength(length: number): number {
  return Math.floor((length * 3) / 4)
}

/** True for hexadecimal text of an even length. */
export function isHex(text: string): boolean {
  return text.length % 2 === 0 && HEX.test(text)
}

/** Re-encodes hexadecimal text as unpadded base64url. */
export function hexToBase64url(text: string): string {
  return Buffer.from(text, 'hex').toString('base64url')
}
