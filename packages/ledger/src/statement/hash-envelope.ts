/**
 * @module The COSE Hash Envelope (RFC 9995): the payload is the digest of a preimage that stays outside the
 * log; headers 258 (payload_hash_alg), 259 (preimage_content_type) and 260 (payload_location) say how it was
 * hashed, what it is and where it may be fetched. This is what keeps personal data out of an append-only log.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { digest } from '../internal/bytes.js'

/** Hash algorithms accepted for payload_hash_alg, with their COSE identifiers (IANA "COSE Algorithms"). */
export const HASH_ENVELOPE_ALGORITHMS = {
  'SHA-256': { id: -16, length: 32, node: 'sha256' },
  'SHA-384': { id: -43, length: 48, node: 'sha384' },
  'SHA-512': { id: -44, length: 64, node: 'sha512' },
} as const

/** A payload hash algorithm name. */
export type HashEnvelopeAlgorithm = keyof typeof HASH_ENVELOPE_ALGORITHMS

/** The name of a COSE hash algorithm identifier, or undefined when not accepted. */
export function hashAlgorithmById(id: unknown): HashEnvelopeAlgorithm | undefined {
  for (const [name, spec] of Object.entries(HASH_ENVELOPE_ALGORITHMS)) {
    if (spec.id === id) return name as HashEnvelopeAlgorithm
  }
  return undefined
}

/** The digest of a preimage under `alg`, i.e. the payload a hash envelope carries for it. */
export function hashPreimage(
  preimage: Uint8Array,
  alg: HashEnvelopeAlgorithm = 'SHA-256',
): Uint8Array {
  return digest(HASH_ENVELOPE_ALGORITHMS[alg].node, preimage)
}

const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:\s*;.*)?$/

/** True for a `type/subtype` media type string (RFC 6838 §4.2), parameters allowed. */
export function isMediaType(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1024 && MEDIA_TYPE.test(value)
}

/** Throws LEDGER_BAD_ARGUMENT when `hash` is not a digest of `alg`'s length. */
export function checkPayloadHash(hash: Uint8Array, alg: HashEnvelopeAlgorithm): void {
  const length = HASH_ENVELOPE_ALGORITHMS[alg].length
  if (!(hash instanceof Uint8Array) || hash.length !== length) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `payloadHash must be the ${length}-byte ${alg} digest of the preimage (RFC 9995).`,
    )
  }
}
