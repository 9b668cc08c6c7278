/**
 * @module RFC 9679 COSE Key Thumbprints: SHA-256 over the deterministic CBOR (RFC 8949 §4.2.1) of a public
 * key's required members only — kty, crv, x, y for EC2 and kty, crv, x for OKP (RFC 9679 §4) — so
 * that the same key always has the same `kid` whatever optional members (kid, alg, key_ops) travel with it.
 */
import type { KeyObject } from 'node:crypto'
import { encodeDeterministic } from '../cbor/encode.js'
import { LedgerError } from '../errors/ledger-error.js'
import { sha256 } from '../internal/bytes.js'

/** COSE_Key labels (RFC 9052 §7.1, RFC 9053 §7.1, §7.2). */
export const COSE_KEY = { kty: 1, kid: 2, alg: 3, crv: -1, x: -2, y: -3, d: -4 } as const

/** COSE key types (RFC 9053 §7): OKP = 1, EC2 = 2. */
export const KTY = { OKP: 1, EC2: 2 } as const

/** COSE elliptic curves (RFC 9053 §7.1): P-256 = 1, P-384 = 2, Ed25519 = 6. */
export const CRV = { 'P-256': 1, 'P-384': 2, Ed25519: 6 } as const

/** The required public members of a key, as RFC 9679 §4 selects them. */
export interface PublicKeyMembers {
  readonly kty: number
  readonly crv: number
  readonly x: Uint8Array
  /** Absent for OKP keys. */
  readonly y?: Uint8Array
}

const FIELD_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, Ed25519: 32 }

function fixedLength(b64url: string | undefined, length: number, what: string): Uint8Array {
  if (b64url === undefined) throw new LedgerError('LEDGER_KEY_INVALID', `The key has no ${what}.`)
  const raw = Buffer.from(b64url, 'base64url')
  if (raw.length > length) {
    throw new LedgerError('LEDGER_KEY_INVALID', `The key's ${what} is longer than ${length} bytes.`)
  }
  // Coordinates are fixed-length big-endian field elements (RFC 9053 §7.1.1): left-pad a short export.
  const out = new Uint8Array(length)
  out.set(raw, length - raw.length)
  return out
}

/** The RFC 9679 required members of a node:crypto public (or private) key. */
export function publicKeyMembers(key: KeyObject): PublicKeyMembers {
  const jwk = key.export({ format: 'jwk' })
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384')) {
    const size = FIELD_BYTES[jwk.crv] as number
    return {
      kty: KTY.EC2,
      crv: CRV[jwk.crv],
      x: fixedLength(jwk.x, size, 'x coordinate'),
      y: fixedLength(jwk.y, size, 'y coordinate'),
    }
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { kty: KTY.OKP, crv: CRV.Ed25519, x: fixedLength(jwk.x, 32, 'public key') }
  }
  throw new LedgerError(
    'LEDGER_KEY_INVALID',
    `Key ${String(jwk.kty)}/${String(jwk.crv)} is not supported; use EC P-256, P-384 or Ed25519.`,
  )
}

/** The deterministic CBOR map of exactly the RFC 9679 required members. */
export function thumbprintInput(members: PublicKeyMembers): Uint8Array {
  const map = new Map<number, unknown>([
    [COSE_KEY.kty, members.kty],
    [COSE_KEY.crv, members.crv],
    [COSE_KEY.x, members.x],
  ])
  if (members.kty === KTY.EC2) {
    if (members.y === undefined) throw new LedgerError('LEDGER_KEY_INVALID', 'An EC2 key needs y.')
    map.set(COSE_KEY.y, members.y)
  }
  return encodeDeterministic(map)
}

/** RFC 9679 COSE Key Thumbprint (SHA-256) of a key: the `kid` this package gives its keys. */
export function coseKeyThumbprint(key: KeyObject | PublicKeyMembers): Uint8Array {
  const members =
    'kty' in key && typeof key.kty === 'number' ? key : publicKeyMembers(key as KeyObject)
  return sha256(thumbprintInput(members))
}
