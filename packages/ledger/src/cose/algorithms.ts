/**
 * @module The signature algorithms this package accepts (RFC 9053 §2.1 ECDSA, §2.2 EdDSA) and their binding
 * to node:crypto keys. ECDSA signatures are the fixed-length r || s form COSE uses (RFC 9053 §2.1), which
 * node:crypto produces and checks with `dsaEncoding: 'ieee-p1363'`.
 */
import { type KeyObject, sign, verify } from 'node:crypto'
import { LedgerError } from '../errors/ledger-error.js'

/** The algorithms this package signs and verifies with. */
export type CoseAlgorithmName = 'ES256' | 'ES384' | 'EdDSA'

interface AlgorithmSpec {
  /** COSE algorithm identifier (IANA "COSE Algorithms"). */
  readonly id: number
  /** Digest node:crypto applies before ECDSA; null for EdDSA, which hashes internally. */
  readonly digest: 'sha256' | 'sha384' | null
  /** node:crypto asymmetricKeyType of the key. */
  readonly keyType: 'ec' | 'ed25519'
  /** node:crypto named curve for EC keys. */
  readonly curve?: 'prime256v1' | 'secp384r1'
  /** Signature length in bytes: 2 x field size for ECDSA (RFC 9053 §2.1), 64 for Ed25519 (RFC 8032 §5.1.6). */
  readonly signatureLength: number
}

/** Specification of each accepted algorithm. */
export const COSE_ALGORITHMS: Readonly<Record<CoseAlgorithmName, AlgorithmSpec>> = {
  ES256: { id: -7, digest: 'sha256', keyType: 'ec', curve: 'prime256v1', signatureLength: 64 },
  ES384: { id: -35, digest: 'sha384', keyType: 'ec', curve: 'secp384r1', signatureLength: 96 },
  // -8 is the polymorphic "EdDSA" identifier; only Ed25519 keys are accepted with it (Ed448 is not supported).
  EdDSA: { id: -8, digest: null, keyType: 'ed25519', signatureLength: 64 },
}

/** The algorithm name of a COSE `alg` value, or undefined when it is not one this package accepts. */
export function algorithmById(id: unknown): CoseAlgorithmName | undefined {
  if (typeof id !== 'number') return undefined
  for (const [name, spec] of Object.entries(COSE_ALGORITHMS)) {
    if (spec.id === id) return name as CoseAlgorithmName
  }
  return undefined
}

/** The one algorithm a node:crypto key is used with (RFC 9053 §2.1: P-256 with ES256, P-384 with ES384). */
export function algorithmOfKey(key: KeyObject): CoseAlgorithmName {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA'
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (curve === 'prime256v1') return 'ES256'
    if (curve === 'secp384r1') return 'ES384'
    throw new LedgerError(
      'LEDGER_KEY_INVALID',
      `EC curve ${String(curve)} is not supported; use P-256 (ES256) or P-384 (ES384).`,
    )
  }
  throw new LedgerError(
    'LEDGER_KEY_INVALID',
    `Key type ${String(key.asymmetricKeyType)} is not supported; use EC P-256, P-384 or Ed25519.`,
  )
}

/** Signs `data` with `alg`; ECDSA output is r || s. */
export function signBytes(alg: CoseAlgorithmName, key: KeyObject, data: Uint8Array): Uint8Array {
  const spec = COSE_ALGORITHMS[alg]
  const signature =
    spec.digest === null
      ? sign(null, data, key)
      : sign(spec.digest, data, { key, dsaEncoding: 'ieee-p1363' })
  return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength)
}

/** Verifies an r || s (ECDSA) or Ed25519 signature; false on any mismatch, including a wrong length. */
export function verifyBytes(
  alg: CoseAlgorithmName,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const spec = COSE_ALGORITHMS[alg]
  if (signature.length !== spec.signatureLength) return false
  try {
    return spec.digest === null
      ? verify(null, data, key, signature)
      : verify(spec.digest, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    return false
  }
}
