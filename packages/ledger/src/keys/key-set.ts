/**
 * @module COSE_KeySet (RFC 9052 §7: an array of COSE_Key) encoding and decoding, and kid lookup. A
 * transparency service serves its set at `/.well-known/scitt-keys` (SCRAPI), retired keys included, so that
 * old receipts stay verifiable.
 */
import { decodeStrict } from '../cbor/decode.js'
import { encodeDeterministic } from '../cbor/encode.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import { coseKeyFromMap, coseKeyMap } from './cose-key.js'
import type { VerificationKey } from './key-types.js'

/** Deterministic CBOR of the COSE_KeySet of `keys` (public parts only). */
export function encodeCoseKeySet(keys: readonly VerificationKey[]): Uint8Array {
  return encodeDeterministic(keys.map(coseKeyMap))
}

/** Decodes a COSE_KeySet; refuses an empty set, private keys and two keys with the same kid. */
export function decodeCoseKeySet(bytes: Uint8Array): VerificationKey[] {
  const value = decodeStrict(bytes)
  if (!Array.isArray(value) || value.length === 0) {
    throw new LedgerError('LEDGER_KEY_INVALID', 'A COSE_KeySet must be a non-empty CBOR array.')
  }
  const keys = value.map(coseKeyFromMap)
  keys.forEach((key, i) => {
    if (keys.findIndex((other) => bytesEqual(other.kid, key.kid)) !== i) {
      throw new LedgerError(
        'LEDGER_KEY_INVALID',
        `Two keys of the COSE_KeySet share kid (index ${i}).`,
      )
    }
  })
  return keys
}

/** The key whose kid is `kid`, or undefined. */
export function findKeyByKid<K extends VerificationKey>(
  keys: readonly K[],
  kid: Uint8Array,
): K | undefined {
  return keys.find((key) => bytesEqual(key.kid, kid))
}
