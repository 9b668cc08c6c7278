/**
 * @module Small byte helpers shared by the package: SHA-2 digests, equality, hex and concatenation.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** SHA-256 over the concatenation of `parts`. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}

/** SHA-384 or SHA-512 (or SHA-256) of `data`, by node:crypto name. */
export function digest(name: 'sha256' | 'sha384' | 'sha512', data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(name).update(data).digest())
}

/** Byte equality; constant-time when the lengths match (roots and hashes are compared to attacker input). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Byte equality for public data (tree hashes a checker compares with each other): a plain loop, much cheaper
 * than `bytesEqual`'s call into node:crypto for 32-byte values, and not constant-time.
 */
export function publicBytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Bytes of a hex string (no validation beyond what Buffer does; callers check lengths). */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** A copy of `bytes` as a plain Uint8Array (not a Buffer, not a view into a larger buffer). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes)
}

/** True for a plain Uint8Array or a subclass such as Buffer. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}
