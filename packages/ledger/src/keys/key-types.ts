/**
 * @module The key shapes the package signs and verifies with: a node:crypto key bound to one COSE algorithm
 * and identified by a `kid` (an RFC 9679 COSE Key Thumbprint for keys this package creates).
 */
import type { KeyObject } from 'node:crypto'
import type { CoseAlgorithmName } from '../cose/algorithms.js'

/** A public key a verifier trusts: which algorithm it is used with and the `kid` signers put in headers. */
export interface VerificationKey {
  readonly alg: CoseAlgorithmName
  /** Key identifier as carried in COSE header 4 (a byte string, RFC 9052 §3.1). */
  readonly kid: Uint8Array
  readonly publicKey: KeyObject
  /**
   * The issuer this key is pinned to: when set, statements, receipts and checkpoints signed with it must name
   * exactly this `iss` in their CWT claims, so one trusted key cannot speak for another issuer.
   */
  readonly iss?: string
}

/** A key pair a signer holds; usable wherever a VerificationKey is expected. */
export interface SigningKey extends VerificationKey {
  readonly privateKey: KeyObject
}
