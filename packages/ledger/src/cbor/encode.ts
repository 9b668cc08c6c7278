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

/** The shortest head of a byte string of `length` bytes (major type 2, RFC 8949 §3.1, §4.2.1). */
export function byteStringHead(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', `Invalid byte string length ${length}.`)
  }
  if (length < 24) return Uint8Array.of(0x40 | length)
  if (length < 0x100) return Uint8Array.of(0x58, length)
  if (length < 0x10000) return Uint8Array.of(0x59, length >> 8, length & 0xff)
  if (length < 0x100000000) {
    return Uint8Array.of(
      0x5a,
      length >>> 24,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    )
  }
  const head = new Uint8Array(9)
  head[0] = 0x5b
  new DataView(head.buffer).setBigUint64(1, BigInt(length))
  return head
}
