/**
 * @module Creating signing keys: fresh ones (tests, a server's first start) and ones rebuilt from a stored
 * private key. Every key gets its RFC 9679 thumbprint as `kid`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { algorithmOfKey, type CoseAlgorithmName } from '../cose/algorithms.js'
import { LedgerError } from '../errors/ledger-error.js'
import type { SigningKey, VerificationKey } from './key-types.js'
import { coseKeyThumbprint } from './thumbprint.js'

/** Generates a new key pair for `alg` (default ES256, the SCITT ecosystem's common choice). */
export function generateSigningKey(alg: CoseAlgorithmName = 'ES256'): SigningKey {
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' })
  return { alg, kid: coseKeyThumbprint(pair.publicKey), ...pair }
}

/**
 * Rebuilds a SigningKey from a private key (a KeyObject, or PEM / PKCS#8 text as a server keeps it). The
 * algorithm follows from the curve; the kid is the thumbprint of the public half.
 */
export function signingKeyFromPrivateKey(privateKey: KeyObject | string): SigningKey {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  if (key.type !== 'private') {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'signingKeyFromPrivateKey needs a private key.')
  }
  const publicKey = createPublicKey(key)
  return { alg: algorithmOfKey(key), kid: coseKeyThumbprint(publicKey), privateKey: key, publicKey }
}

/**
 * A VerificationKey for a public key (KeyObject or SPKI PEM). `kid` defaults to the RFC 9679 thumbprint; pass
 * another only for a foreign signer that uses its own identifiers.
 */
export function verificationKey(publicKey: KeyObject | string, kid?: Uint8Array): VerificationKey {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return { alg: algorithmOfKey(pub), kid: kid ?? coseKeyThumbprint(pub), publicKey: pub }
}

/** The public half of a key (drops the private key, e.g. before publishing or pinning it). */
export function publicPart(key: VerificationKey): VerificationKey {
  return { alg: key.alg, kid: key.kid, publicKey: key.publicKey }
}
