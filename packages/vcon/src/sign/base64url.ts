/**
 * @module Strict base64url (RFC 4648 §5, unpadded as RFC 7515 §2 requires) for JOSE members. Node's decoder
 * skips characters outside the alphabet and ignores non-zero pad bits, so a changed character could decode to
 * the same bytes; this decoder refuses both, so every textual change to a signature is detected.
 */
import { VconError, type VconErrorCode } from '../errors/vcon-error.js'

/** Encodes bytes as unpadded base64url. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/**
 * Decodes a JOSE base64url member, throwing `code` with the member's name when it is not canonical. Canonical
 * (alphabet only, a possible length, zero pad bits) is exactly "re-encodes to itself": Node's encoder writes
 * only canonical text, so a text that differs from the re-encoding of its bytes has a character outside the
 * alphabet, a non-ASCII character, padding, an impossible length or stray pad bits. Checking it this way costs
 * one encode of bytes decoded anyway, a third of a regular expression over a large payload.
 */
export function decodeBase64url(text: unknown, member: string, code: VconErrorCode): Buffer {
  if (typeof text !== 'string') {
    throw new VconError(code, `${member} must be a base64url string.`)
  }
  const bytes = Buffer.from(text, 'base64url')
  if (bytes.toString('base64url') !== text) {
    throw new VconError(
      code,
      `${member} is not canonical unpadded base64url (RFC 7515 §2): the value was altered or badly encoded.`,
    )
  }
  return bytes
}
