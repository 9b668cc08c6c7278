/**
 * @module Verifying a signed vCon (core draft §5.2, notes §b.1): every signature with its leaf key and chain,
 * the `uuid` header against the vCon inside, and re-signed archive layers unwrapped down to the unsigned vCon.
 */
import type { X509Certificate } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import type { JwsSignature, SignedVcon } from '../model/vcon.js'
import type { ChainCertificate } from '../x509/chain.js'
import { decodeBase64url } from './base64url.js'
import { JWS_ALGORITHMS, type JwsAlgorithm } from './jws-algorithms.js'
import {
  DEFAULT_MAX_BYTES,
  type FlattenedSignedVcon,
  isSignedForm,
  payloadFromBytes,
  toGeneralJws,
} from './jws-payload.js'
import {
  type FetchX5u,
  fetchX5uChains,
  type SignatureContext,
  type VerifiedSigner,
  verifySignature,
  type X5uChains,
} from './verify-signature.js'

/** Options of `verifySignedVcon`. */
export interface VerifySignedVconOptions {
  /** Trusted root certificates (see `loadTrustAnchors`). Required: trust is never implicit. */
  readonly anchors: readonly X509Certificate[]
  /** Time at which the outermost layer's certificates must be valid. Default: now. */
  readonly at?: Date
  /** Accept X.509 v1 CA certificates, as in the core draft's example chain. Default false. */
  readonly allowLegacyV1Ca?: boolean
  /** Algorithms to accept. Default: RS*, PS*, ES* and EdDSA. `none` and HS* are never accepted. */
  readonly acceptAlgs?: readonly JwsAlgorithm[]
  /** Most JWS layers to unwrap (archive re-signing). Default 8. */
  readonly maxLayers?: number
  /** 'all' (default): every signature of a layer must verify. 'any': one is enough; the rest are reported. */
  readonly require?: 'all' | 'any'
  /** Retrieves an `x5u` chain. Without it, an `x5u`-only signature is refused. */
  readonly fetchX5u?: FetchX5u
  /** Largest gunzipped payload in bytes. Default 256 MiB. */
  readonly maxBytes?: number
}

/** One signer of a verified layer. */
export interface SignerReport {
  readonly index: number
  readonly subject: string
  readonly chain: readonly string[]
  readonly certificates: readonly ChainCertificate[]
  readonly alg: JwsAlgorithm
  /** From the protected `iat` if present, else the vCon's `updated_at` (innermost layer only). */
  readonly signingTime: Date | undefined
  readonly signingTimeSource: 'iat' | 'updated_at' | undefined
  /** Validity of the leaf certificate. */
  readonly validity: { readonly notBefore: Date; readonly notAfter: Date }
  /** The time at which this signer's chain was checked. */
  readonly checkedAt: Date
}

/** A signature that did not verify (only with `require: 'any'`). */
export interface RejectedSignature {
  readonly index: number
  readonly code: VconError['code']
  readonly message: string
}

/** One JWS layer, outermost first. */
export interface VerifiedLayer {
  readonly signers: readonly SignerReport[]
  readonly rejected: readonly RejectedSignature[]
  /** The payload was gzipped (`application/vcon+gzip`). */
  readonly gzip: boolean
  /** The payload of this layer is itself a JWS (an archive re-signing). */
  readonly wrapsSignedVcon: boolean
}

/** The result of `verifySignedVcon`. */
export interface VerifiedVcon {
  /** The unsigned vCon inside, JSON-parsed but not validated: run `parseVcon` on it. */
  readonly vcon: Readonly<Record<string, unknown>>
  /** The vCon's uuid, if it has a string one. */
  readonly uuid: string | undefined
  readonly layers: readonly VerifiedLayer[]
}

function verifyLayer(
  jws: SignedVcon,
  context: SignatureContext,
  require: 'all' | 'any',
  x5uChains: X5uChains | undefined,
): { verified: VerifiedSigner[]; rejected: RejectedSignature[] } {
  const verified: VerifiedSigner[] = []
  const rejected: RejectedSignature[] = []
  let firstError: unknown
  for (let i = 0; i < jws.signatures.length; i++) {
    try {
      const signature = jws.signatures[i] as JwsSignature
      verified.push(verifySignature(signature, i, jws.payload, context, x5uChains))
    } catch (error) {
      if (!(error instanceof VconError) || require === 'all') throw error
      firstError ??= error
      rejected.push({ index: i, code: error.code, message: error.message })
    }
  }
  if (verified.length === 0) throw firstError
  return { verified, rejected }
}

/**
 * Shape checks of a layer before any signature: signatures present, payload canonical base64url. Answers the
 * payload's bytes.
 */
function checkLayer(jws: SignedVcon): Buffer {
  if (!Array.isArray(jws.signatures) || jws.signatures.length === 0) {
    throw new VconError('VCON_SIGNATURE_INVALID', 'The JWS has no signatures (RFC 7515 §7.2.1).')
  }
  // Checked before anything else: the signing input is built from this string as ASCII.
  return decodeBase64url(jws.payload, 'The JWS payload', 'VCON_SIGNATURE_INVALID')
}

/**
 * Verifies a signed vCon (General or Flattened JWS JSON) and unwraps it, layer by layer, to the unsigned vCon.
 * Each layer: every signature (or one, with `require: 'any'`) must verify with its leaf key and chain to an
 * anchor. The outermost layer's chain is checked at `at`; an inner (archived) layer's at the earliest `iat` of
 * the layer that wraps it, since that signer vouched for it then (core draft §5.2, long-term archiving), or at
 * `at` without one. Every `uuid` header must equal the innermost vCon's uuid.
 */
export async function verifySignedVcon(
  jws: SignedVcon | FlattenedSignedVcon,
  options: VerifySignedVconOptions,
): Promise<VerifiedVcon> {
  const maxLayers = options.maxLayers ?? 8
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const require = options.require ?? 'all'
  if (!isSignedForm(jws)) {
    throw new VconError(
      'VCON_SIGNATURE_INVALID',
      'This is not a signed vCon: a JWS needs a "payload" string and "signatures" (RFC 7515 §7.2).',
    )
  }
  const records: LayerRecord[] = []
  let current: SignedVcon | FlattenedSignedVcon = jws
  let at = options.at ?? new Date()
  for (;;) {
    if (records.length === maxLayers) {
      throw new VconError(
        'VCON_TOO_DEEP',
        `The signed vCon nests more than ${maxLayers} JWS layers; raise maxLayers if this is expected.`,
      )
    }
    const general = toGeneralJws(current)
    const raw = checkLayer(general)
    const context: SignatureContext = {
      anchors: options.anchors,
      at,
      allowLegacyV1Ca: options.allowLegacyV1Ca === true,
      acceptAlgs: options.acceptAlgs ?? JWS_ALGORITHMS,
      fetchX5u: options.fetchX5u,
    }
    // Only signatures that name their chain by x5u need a promise; x5c (the usual case) stays synchronous.
    const x5uChains =
      options.fetchX5u === undefined ? undefined : await fetchX5uChains(general.signatures, context)
    const { verified, rejected } = verifyLayer(general, context, require, x5uChains)
    const { value, gzip } = payloadFromBytes(raw, maxBytes)
    const inner = isSignedForm(value)
    records.push({ verified, rejected, at, gzip, inner })
    if (!inner) return finish(value, records)
    let earliest = Number.POSITIVE_INFINITY
    for (const v of verified)
      if (v.iat !== undefined) earliest = Math.min(earliest, v.iat.getTime())
    if (earliest !== Number.POSITIVE_INFINITY) at = new Date(earliest)
    current = value
  }
}

/** What one layer produced, before the uuid check that needs the innermost vCon. */
interface LayerRecord {
  readonly verified: readonly VerifiedSigner[]
  readonly rejected: readonly RejectedSignature[]
  readonly at: Date
  readonly gzip: boolean
  readonly inner: boolean
}

function finish(
  vcon: Readonly<Record<string, unknown>>,
  records: readonly LayerRecord[],
): VerifiedVcon {
  const uuid = typeof vcon.uuid === 'string' ? vcon.uuid : undefined
  const updated = typeof vcon.updated_at === 'string' ? Date.parse(vcon.updated_at) : Number.NaN
  const layers: VerifiedLayer[] = []
  for (let layer = 0; layer < records.length; layer++) {
    const record = records[layer] as LayerRecord
    const signers: SignerReport[] = []
    for (const v of record.verified) {
      // core draft §5.2: the uuid header SHOULD be compared with the payload's after verification.
      if (v.uuid !== undefined && v.uuid !== uuid) {
        throw new VconError(
          'VCON_UUID_MISMATCH',
          `The uuid header of layer ${layer} signatures[${v.index}] is ${v.uuid} but the signed vCon's ` +
            `uuid is ${uuid ?? '(none)'}: the header was edited or belongs to another vCon.`,
        )
      }
      // Without iat, the vCon's updated_at is the best guess of the innermost signing time.
      const fromUpdated = v.iat === undefined && !record.inner && !Number.isNaN(updated)
      const leaf = v.certificates[0] as ChainCertificate
      signers.push({
        index: v.index,
        subject: v.subject,
        chain: v.chain,
        certificates: v.certificates,
        alg: v.alg,
        signingTime: v.iat ?? (fromUpdated ? new Date(updated) : undefined),
        signingTimeSource: v.iat !== undefined ? 'iat' : fromUpdated ? 'updated_at' : undefined,
        validity: { notBefore: leaf.notBefore, notAfter: leaf.notAfter },
        checkedAt: new Date(record.at.getTime()),
      })
    }
    layers.push({
      signers,
      rejected: record.rejected,
      gzip: record.gzip,
      wrapsSignedVcon: record.inner,
    })
  }
  return { vcon, uuid, layers }
}
