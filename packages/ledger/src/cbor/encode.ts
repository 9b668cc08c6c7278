/**
 * @module Deterministic CBOR encoding (RFC 8949 §4.2.1 "core deterministic encoding") over cborg: shortest
 * integer and length forms, definite lengths only, map keys sorted by the bytewise order of their encodings.
 */
import { type EncodeOptions, encode, rfc8949EncodeOptions, type TypeEncoder } from 'cborg'
import { LedgerError } from '../errors/ledger-error.js'

/**
 * Our structures hold integers, byte strings, text, arrays and maps only. A float or a non-safe integer would
 * have more than one CBOR spelling across implementations (RFC 8949 §4.2.2), so it is refused at encode time.
 */
const numberEncoder: TypeEncoder = (value: unknown) => {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `Cannot encode ${value} in deterministic CBOR here: only safe integers are used (RFC 8949 §4.2.2).`,
    )
  }
  return null
}

const refuse =
  (what: string): TypeEncoder =>
  () => {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `Cannot encode ${what} in deterministic CBOR; remove it from the value.`,
    )
  }

const OPTIONS: EncodeOptions = {
  ...rfc8949EncodeOptions,
  typeEncoders: {
    number: numberEncoder,
    undefined: refuse('undefined'),
    bigint: refuse('a bigint'),
  },
}

/**
 * Encodes `value` deterministically (RFC 8949 §4.2.1). Maps are `Map`s (integer labels stay integers) or
 * plain objects (text keys); byte strings are `Uint8Array`s (a Buffer encodes as a byte string too).
 */
export function encodeDeterministic(value: unknown): Uint8Array {
  try {
    return encode(value, OPTIONS)
  } catch (error) {
    if (error instanceof LedgerError) throw error
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `Cannot encode the value as CBOR: ${(error as Error).message}`,
      { cause: error },
    )
  }
}

/** The shortest head of major type `major` with argument `value` (RFC 8949 §3, §4.2.1). */
export function cborHead(major: number, value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', `Invalid CBOR argument ${value}.`)
  }
  const m = major << 5
  if (value < 24) return Uint8Array.of(m | value)
  if (value < 0x100) return Uint8Array.of(m | 24, value)
  if (value < 0x10000) return Uint8Array.of(m | 25, value >> 8, value & 0xff)
  if (value < 0x100000000) {
    return Uint8Array.of(
      m | 26,
      value >>> 24,
      (value >>> 16) & 0xff,
      (value >>> 8) & 0xff,
      value & 0xff,
    )
  }
  const head = new Uint8Array(9)
  head[0] = m | 27
  new DataView(head.buffer).setBigUint64(1, BigInt(value))
  return head
}

/** The shortest head of a byte string of `length` bytes (major type 2, RFC 8949 §3.1, §4.2.1). */
export function byteStringHead(length: number): Uint8Array {
  return cborHead(2, length)
}

/** The concatenation of `parts` in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
