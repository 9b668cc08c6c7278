/**
 * @module COSE_Key encoding and decoding of public keys (RFC 9052 §7, RFC 9053 §7.1 EC2, §7.2 OKP), for the
 * key sets a transparency service publishes at `/.well-known/scitt-keys` (SCRAPI) and that auditors pin.
 * Only public keys are ever encoded or accepted: a COSE_Key carrying `d` is refused.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto'
import { decodeStrict } from '../cbor/decode.js'
import { encodeDeterministic } from '../cbor/encode.js'
import {
  asLabelMap,
  type Label,
  type MapContext,
  optionalBytes,
  optionalInt,
  required,
} from '../cbor/label-map.js'
import { algorithmById, COSE_ALGORITHMS, type CoseAlgorithmName } from '../cose/algorithms.js'
import { LedgerError } from '../errors/ledger-error.js'
import type { VerificationKey } from './key-types.js'
import { COSE_KEY, CRV, coseKeyThumbprint, KTY, publicKeyMembers } from './thumbprint.js'

const CTX: MapContext = { where: 'COSE_Key', code: 'LEDGER_KEY_INVALID' }

/** The COSE_Key map of a public key: kty, kid, alg, crv, x (and y for EC2). */
export function coseKeyMap(key: VerificationKey): Map<Label, unknown> {
  const members = publicKeyMembers(key.publicKey)
  const map = new Map<Label, unknown>([
    [COSE_KEY.kty, members.kty],
    [COSE_KEY.kid, key.kid],
    [COSE_KEY.alg, COSE_ALGORITHMS[key.alg].id],
    [COSE_KEY.crv, members.crv],
    [COSE_KEY.x, members.x],
  ])
  if (members.y !== undefined) map.set(COSE_KEY.y, members.y)
  return map
}

/** Deterministic CBOR of the COSE_Key of a public key. */
export function encodeCoseKey(key: VerificationKey): Uint8Array {
  return encodeDeterministic(coseKeyMap(key))
}

function coordinate(map: ReadonlyMap<Label, unknown>, label: Label, size: number): Uint8Array {
  const value = required(optionalBytes(map, label, CTX), label, CTX)
  if (value.length !== size) {
    throw new LedgerError(
      'LEDGER_KEY_INVALID',
      `COSE_Key label ${String(label)} must be ${size} bytes, not ${value.length} (RFC 9053 §7.1.1).`,
    )
  }
  return value
}

/**
 * Reads a decoded COSE_Key map into a VerificationKey. EC2 P-256/P-384 and OKP Ed25519 with uncompressed
 * coordinates are accepted; `alg`, when present, must be the curve's algorithm; `kid` defaults to the RFC 9679
 * thumbprint. The point is checked to lie on the curve by node:crypto.
 */
export function coseKeyFromMap(value: unknown): VerificationKey {
  const map = asLabelMap(value, CTX)
  if (map.has(COSE_KEY.d)) {
    throw new LedgerError(
      'LEDGER_KEY_INVALID',
      'The COSE_Key carries a private key (label -4); publish and pin public keys only.',
    )
  }
  const kty = required(optionalInt(map, COSE_KEY.kty, CTX), COSE_KEY.kty, CTX)
  const crv = required(optionalInt(map, COSE_KEY.crv, CTX), COSE_KEY.crv, CTX)
  let jwk: JsonWebKey
  let alg: CoseAlgorithmName
  if (kty === KTY.EC2 && (crv === CRV['P-256'] || crv === CRV['P-384'])) {
    const size = crv === CRV['P-256'] ? 32 : 48
    if (typeof map.get(COSE_KEY.y) === 'boolean') {
      throw new LedgerError(
        'LEDGER_KEY_INVALID',
        'Compressed EC points (y as a boolean) are not supported.',
      )
    }
    const x = coordinate(map, COSE_KEY.x, size)
    const y = coordinate(map, COSE_KEY.y, size)
    alg = crv === CRV['P-256'] ? 'ES256' : 'ES384'
    jwk = {
      kty: 'EC',
      crv: crv === CRV['P-256'] ? 'P-256' : 'P-384',
      x: Buffer.from(x).toString('base64url'),
      y: Buffer.from(y).toString('base64url'),
    }
  } else if (kty === KTY.OKP && crv === CRV.Ed25519) {
    const x = coordinate(map, COSE_KEY.x, 32)
    alg = 'EdDSA'
    jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(x).toString('base64url') }
  } else {
    throw new LedgerError(
      'LEDGER_KEY_INVALID',
      `COSE_Key kty ${kty} / crv ${crv} is not supported; use EC2 P-256, P-384 or OKP Ed25519.`,
    )
  }
  const declared = map.get(COSE_KEY.alg)
  if (declared !== undefined && algorithmById(declared) !== alg) {
    throw new LedgerError(
      'LEDGER_KEY_INVALID',
      `COSE_Key alg ${String(declared)} does not fit its curve; expected ${COSE_ALGORITHMS[alg].id} (${alg}).`,
    )
  }
  let publicKey: ReturnType<typeof createPublicKey>
  try {
    publicKey = createPublicKey({ key: jwk, format: 'jwk' })
  } catch (error) {
    throw new LedgerError('LEDGER_KEY_INVALID', 'The COSE_Key point is not on its curve.', {
      cause: error,
    })
  }
  const kid = optionalBytes(map, COSE_KEY.kid, CTX) ?? coseKeyThumbprint(publicKey)
  return { alg, kid: new Uint8Array(kid), publicKey }
}

/** Decodes a strict-CBOR COSE_Key into a VerificationKey (see coseKeyFromMap). */
export function decodeCoseKey(bytes: Uint8Array): VerificationKey {
  return coseKeyFromMap(decodeStrict(bytes))
}
