/**
 * @module The JWS algorithms vCon signing accepts (notes §b.1): RSASSA-PKCS1-v1_5, RSASSA-PSS, ECDSA and EdDSA
 * (RFC 7518 §3, RFC 8037 §3.1), mapped onto node:crypto. `none` and HMAC are refused: a vCon signature must be
 * tied to a certificate, and a shared secret cannot be.
 */
import { constants, type KeyObject, sign, verify } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'

/** Every algorithm the verifier accepts. */
export type JwsAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'

/** The algorithms `signVcon` emits (RS256 is the draft's default, core draft §5.2). */
export type SigningAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA'

/** How to run one algorithm with node:crypto. */
export interface AlgorithmSpec {
  readonly alg: JwsAlgorithm
  readonly kind: 'rsa' | 'pss' | 'ec' | 'ed'
  /** Digest name for node:crypto, null for EdDSA (the hash is part of the algorithm). */
  readonly hash: string | null
  /** For ES*: the node curve name the key must use (RFC 7518 §3.4). */
  readonly curve?: string
  /** For PS*: salt length = digest length (RFC 7518 §3.5). */
  readonly saltLength?: number
}

const SPECS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  RS256: { alg: 'RS256', kind: 'rsa', hash: 'sha256' },
  RS384: { alg: 'RS384', kind: 'rsa', hash: 'sha384' },
  RS512: { alg: 'RS512', kind: 'rsa', hash: 'sha512' },
  PS256: { alg: 'PS256', kind: 'pss', hash: 'sha256', saltLength: 32 },
  PS384: { alg: 'PS384', kind: 'pss', hash: 'sha384', saltLength: 48 },
  PS512: { alg: 'PS512', kind: 'pss', hash: 'sha512', saltLength: 64 },
  ES256: { alg: 'ES256', kind: 'ec', hash: 'sha256', curve: 'prime256v1' },
  ES384: { alg: 'ES384', kind: 'ec', hash: 'sha384', curve: 'secp384r1' },
  ES512: { alg: 'ES512', kind: 'ec', hash: 'sha512', curve: 'secp521r1' },
  EdDSA: { alg: 'EdDSA', kind: 'ed', hash: null },
}

/** All accepted algorithm names, in the order of the table above. */
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = Object.keys(SPECS) as JwsAlgorithm[]

const SIGNING: readonly string[] = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']

/** RFC 7518 §3.3 and §3.5: RSA keys of 2048 bits or more MUST be used. */
const MIN_RSA_BITS = 2048

/**
 * Looks up `alg`, refusing `none`, HMAC, unknown names and names outside `accept`, with a message that says
 * why (VCON_ALG_REFUSED).
 */
export function algorithmSpec(
  alg: unknown,
  accept: readonly string[] = JWS_ALGORITHMS,
): AlgorithmSpec {
  if (typeof alg !== 'string') {
    throw new VconError('VCON_ALG_REFUSED', 'The JWS header has no "alg" string (RFC 7515 §4.1.1).')
  }
  if (alg === 'none' || alg.startsWith('HS')) {
    throw new VconError(
      'VCON_ALG_REFUSED',
      `JWS alg "${alg}" is refused: a vCon signature must be made with a certificate's private key ` +
        '(RS256, PS256, ES256, ES384 or EdDSA), never unsigned or with a shared secret.',
    )
  }
  const spec = Object.hasOwn(SPECS, alg) ? SPECS[alg as JwsAlgorithm] : undefined
  if (spec === undefined || !accept.includes(alg)) {
    throw new VconError(
      'VCON_ALG_REFUSED',
      `JWS alg "${alg}" is not accepted; accepted: ${accept.join(', ')}.`,
    )
  }
  return spec
}

/** Checks an algorithm the signer may emit. */
export function signingSpec(alg: string): AlgorithmSpec {
  if (!SIGNING.includes(alg)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `alg "${alg}" cannot be used to sign; choose one of ${SIGNING.join(', ')}.`,
    )
  }
  return algorithmSpec(alg)
}

/** The default algorithm for a key: RS256 for RSA (the draft's choice), else the one the key type fixes. */
export function defaultAlgorithm(key: KeyObject): SigningAlgorithm {
  const type = key.asymmetricKeyType
  if (type === 'ed25519') return 'EdDSA'
  if (type === 'ec') return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'ES384' : 'ES256'
  return 'RS256'
}

/** Refuses a key that cannot be used with the algorithm (wrong type, wrong curve, RSA under 2048 bits). */
export function checkKeyFits(spec: AlgorithmSpec, key: KeyObject, label: string): void {
  const type = key.asymmetricKeyType
  const details = key.asymmetricKeyDetails
  let ok: boolean
  switch (spec.kind) {
    case 'rsa':
      ok = type === 'rsa'
      break
    case 'pss':
      ok = type === 'rsa' || type === 'rsa-pss'
      break
    case 'ec':
      ok = type === 'ec' && details?.namedCurve === spec.curve
      break
    case 'ed':
      ok = type === 'ed25519' || type === 'ed448'
      break
  }
  if (!ok) {
    const curve = details?.namedCurve === undefined ? '' : ` on ${details.namedCurve}`
    throw new VconError(
      'VCON_ALG_REFUSED',
      `${label} is a ${type ?? 'unknown'} key${curve}, which cannot be used with ${spec.alg}.`,
    )
  }
  if (
    (spec.kind === 'rsa' || spec.kind === 'pss') &&
    (details?.modulusLength ?? 0) < MIN_RSA_BITS
  ) {
    throw new VconError(
      'VCON_ALG_REFUSED',
      `${label} is an RSA key of ${details?.modulusLength ?? 0} bits; ${spec.alg} needs at least ` +
        `${MIN_RSA_BITS} bits (RFC 7518 §3.3).`,
    )
  }
}

/** Signs `data` (the JWS signing input) and returns the raw JWS signature bytes. */
export function signBytes(spec: AlgorithmSpec, data: Uint8Array, key: KeyObject): Buffer {
  switch (spec.kind) {
    case 'rsa':
      return sign(spec.hash, data, { key, padding: constants.RSA_PKCS1_PADDING })
    case 'pss':
      return sign(spec.hash, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: spec.saltLength,
      })
    case 'ec':
      // RFC 7518 §3.4: R || S, each the size of the curve order, not DER.
      return sign(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' })
    case 'ed':
      return sign(null, data, key)
  }
}

/** Verifies raw JWS signature bytes over `data`. */
export function verifyBytes(
  spec: AlgorithmSpec,
  data: Uint8Array,
  key: KeyObject,
  signature: Uint8Array,
): boolean {
  switch (spec.kind) {
    case 'rsa':
      return verify(spec.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature)
    case 'pss':
      return verify(
        spec.hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.saltLength },
        signature,
      )
    case 'ec':
      return verify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    case 'ed':
      return verify(null, data, key, signature)
  }
}
