/**
 * @module The 0.0.1 hash pair `alg` + `signature` as a content_hash token `<alg>-<base64url digest>`
 * (notes §b.3 "History", §d.2 step 0.0.1→0.0.2).
 */
import { HASH_DIGEST_LENGTHS } from '../validate/primitives.js'
import { decodedLength, hexToBase64url, isHex, toBase64url } from './base64-repair.js'

/** A converted token and, when the digest could not be used as given, why. */
export interface LegacyHashToken {
  readonly token: string
  /** A sentence for the warning: what was re-encoded, or why the digest was kept as is. */
  readonly note: string | undefined
}

/**
 * `SHA-512`, `sha512`, `SHA512` → `sha512`: the token's algorithm is lowercase letters and digits without
 * hyphens (core draft §2.4 ContentHash). Undefined when nothing of the name is left.
 */
export function normaliseAlgorithm(alg: string): string | undefined {
  const name = alg.toLowerCase().replace(/[^a-z0-9]/g, '')
  return name === '' ? undefined : name
}

/**
 * Builds the token from a legacy pair. The digest is re-encoded when it is hexadecimal of the algorithm's exact
 * length, or standard/padded base64; if it does not decode to a digest of the right size it is kept as is (the
 * validator then reports it) and the note says so.
 */
export function legacyHashToken(alg: string, signature: string): LegacyHashToken | undefined {
  const name = normaliseAlgorithm(alg)
  if (name === undefined) return undefined
  const given = signature.trim()
  const length = HASH_DIGEST_LENGTHS[name]
  const bytes = length === undefined ? undefined : decodedLength(length)
  if (bytes !== undefined && given.length === bytes * 2 && isHex(given)) {
    // A hex SHA-512 digest has 128 characters; as base64url it would have 86, so the length is unambiguous.
    return {
      token: `${name}-${hexToBase64url(given)}`,
      note: 'the hexadecimal digest was re-encoded as base64url',
    }
  }
  const digest = toBase64url(given)
  if (digest === undefined) {
    return { token: `${name}-${given}`, note: 'the signature is not base64 and was kept as is' }
  }
  if (length !== undefined && digest.length !== length) {
    return {
      token: `${name}-${given}`,
      note: `the signature does not decode to a ${bytes}-byte ${name} digest and was kept as is`,
    }
  }
  const note = digest === given ? undefined : 'the digest was re-encoded as unpadded base64url'
  return { token: `${name}-${digest}`, note }
}
