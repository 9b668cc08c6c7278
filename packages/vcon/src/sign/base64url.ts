/**
 * @module Strict base64url (RFC 4648 §5, unpadded as RFC 7515 §2 requires) for JOSE members. Node's decoder
 * skips characters outside the alphabet and ignores non-zero pad bits, so a changed character could decode to
 * the same bytes; this decoder refuses both, so every textual change to a signature is detected.
 */
import { VconError, type VconErrorCode } from '../errors/vcon-error.js'

const ALPHABET = /^[A-Za-z0-9_-]*$/
const VALUES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Encodes bytes as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/** True when `text` is canonical unpadded base64url: alphabet only, a possible length, zero pad bits. */
export function isCanonicalBase64url(text: string): boolean {
  const rest = text.length % 4
  if (rest === 1 || !ALPHABET.test(text)) return false
  if (rest === 0) return true
  // RFC 4648 §3.5: the bits of the last character beyond the encoded bytes must be zero.
  const last = VALUES.indexOf(text.charAt(text.length - 1))
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0
}

/** Decodes a JOSE base64url member, throwing `code` with the member's name when it is not canonical. */
export function decodeBase64url(text: unknown, member: string, code: VconErrorCode): Buffer {
  if (typeof text !== 'string') {
    throw new VconError(code, `${member} must be a base64url string.`)
  }
  if (!isCanonicalBase64url(text)) {
    throw new VconError(
      code,
      `${member} is not canonical unpadded base64url (RFC 7515 §2): the value was altered or badly encoded.`,
    )
  }
  return Buffer.from(text, 'base64url')
}
