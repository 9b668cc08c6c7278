/**
 * @module Strict CBOR decoding over cborg: one item, no trailing bytes, definite lengths only, shortest integer
 * and length forms, no duplicate map keys, no floats, no simple values or undefined, valid UTF-8, no tags.
 * Maps decode to `Map`s so that COSE's integer labels stay integers (RFC 9052 §1.4).
 */
import { type DecodeOptions, decode, Tokenizer, Type } from 'cborg'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import { encodeDeterministic } from './encode.js'

/** Options of `decodeStrict`. */
export interface StrictDecodeOptions {
  /**
   * Also require the bytes to be the core deterministic encoding (RFC 8949 §4.2.1), i.e. map keys sorted
   * bytewise: the value is re-encoded and compared. Use it for structures this library itself produces.
   */
  readonly deterministic?: boolean
}

const BASE_OPTIONS: DecodeOptions = {
  strict: true,
  useMaps: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowNaN: false,
  allowInfinity: false,
  allowBigInt: false,
  retainStringBytes: true,
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

type Token = ReturnType<Tokenizer['next']>

/**
 * Wraps cborg's tokenizer to refuse what its options cannot: floats (none of our structures carries one, and
 * preferred float serialisation cannot be checked on decode) and text strings that are not valid UTF-8
 * (RFC 8949 §3.1 major type 3, §5.3.1), which cborg would otherwise replace with U+FFFD.
 */
class StrictTokenizer {
  readonly #inner: Tokenizer

  constructor(bytes: Uint8Array) {
    this.#inner = new Tokenizer(bytes, BASE_OPTIONS)
  }

  done(): boolean {
    return this.#inner.done()
  }

  pos(): number {
    return this.#inner.pos()
  }

  next(): Token {
    const token = this.#inner.next()
    if (token.type === Type.float) {
      throw new Error(`floating-point value at byte ${this.#inner.pos()} is not allowed`)
    }
    if (token.type === Type.bytes) {
      // A plain copy: never a Buffer, never a view that aliases the caller's input.
      token.value = new Uint8Array(token.value as Uint8Array)
    } else if (token.type === Type.string && token.byteValue !== undefined) {
      try {
        UTF8.decode(token.byteValue)
      } catch {
        throw new Error(`text string before byte ${this.#inner.pos()} is not valid UTF-8`)
      }
    }
    return token
  }
}

/**
 * Decodes exactly one strict CBOR item from `bytes` (see the module comment for what is refused). Throws
 * LEDGER_CBOR_INVALID with the decoder's reason.
 */
export function decodeStrict(bytes: Uint8Array, options: StrictDecodeOptions = {}): unknown {
  if (!(bytes instanceof Uint8Array)) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'CBOR input must be a Uint8Array (or a Buffer).')
  }
  let value: unknown
  try {
    value = decode(bytes, { ...BASE_OPTIONS, tokenizer: new StrictTokenizer(bytes) })
  } catch (error) {
    throw new LedgerError(
      'LEDGER_CBOR_INVALID',
      `The bytes are not strict CBOR: ${(error as Error).message.replace(/^CBOR decode error: /, '')}.`,
      { cause: error },
    )
  }
  if (options.deterministic && !bytesEqual(encodeDeterministic(value), bytes)) {
    throw new LedgerError(
      'LEDGER_CBOR_INVALID',
      'The CBOR is not in core deterministic encoding (RFC 8949 §4.2.1): map keys must be sorted bytewise.',
    )
  }
  return value
}
