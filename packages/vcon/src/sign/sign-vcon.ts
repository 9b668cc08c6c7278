/**
 * @module Signing a vCon to the General JWS JSON Serialization (core draft §5.2, RFC 7515 §7.2.1), and
 * re-signing a signed vCon for long-term archiving (a JWS whose payload is the earlier JWS).
 */
import { createHash, type KeyObject, type X509Certificate } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { VconError } from '../errors/vcon-error.js'
import type { JwsSignature, SignedVcon, Vcon } from '../model/vcon.js'
import {
  type CertificateInput,
  certificateInfo,
  oneLineName,
  toCertificate,
} from '../x509/chain.js'
import { type PrivateKeyInput, toPrivateKey } from '../x509/key-input.js'
import { encodeBase64url } from './base64url.js'
import {
  checkKeyFits,
  defaultAlgorithm,
  type SigningAlgorithm,
  signBytes,
  signingSpec,
} from './jws-algorithms.js'
import { DEFAULT_MAX_BYTES, innermostPayload, isSignedForm } from './jws-payload.js'
import { signingInputOf } from './signing-input.js'

/** Where the verifier finds the signer's certificate chain: inline `x5c`, or an HTTPS `x5u` URL. */
export type SignerChain =
  | readonly CertificateInput[]
  | {
      readonly x5u: string
      /** The leaf certificate, if known: lets the signer check the key and emit `x5t#S256`. */
      readonly leaf?: CertificateInput
    }

/** One signer: a private key, its certificate chain (leaf first) and the algorithm. */
export interface SignerOptions {
  readonly key: PrivateKeyInput
  readonly chain: SignerChain
  /** Default: RS256 for RSA keys (core draft §5.2), ES256/ES384 for P-256/P-384, EdDSA for Ed25519. */
  readonly alg?: SigningAlgorithm
}

/** Options of `signVcon`. */
export interface SignVconOptions extends SignerOptions {
  /** Gzip the payload (`application/vcon+gzip`, core draft §5.2). Default false. */
  readonly gzip?: boolean
  /** Clock for the `iat` header and the leaf's validity check. Default: the system clock. */
  readonly now?: () => Date
  /** More signers over the same payload; each adds one entry to `signatures`. */
  readonly extraSigners?: readonly SignerOptions[]
}

/** One signer after its arguments were checked and converted. */
interface PreparedSigner {
  readonly key: KeyObject
  readonly alg: SigningAlgorithm
  readonly leaf: X509Certificate | undefined
  readonly location: { readonly x5c: readonly string[] } | { readonly x5u: string }
}

const base64Cache = new WeakMap<X509Certificate, string>()
const thumbprintCache = new WeakMap<X509Certificate, string>()
const keyMatchCache = new WeakMap<KeyObject, WeakSet<X509Certificate>>()

function x5cEntry(cert: X509Certificate): string {
  let b64 = base64Cache.get(cert)
  if (b64 === undefined) {
    b64 = cert.raw.toString('base64')
    base64Cache.set(cert, b64)
  }
  return b64
}

/** RFC 7515 §4.1.8: base64url of the SHA-256 of the leaf's DER. */
export function x5tS256(cert: X509Certificate): string {
  let t = thumbprintCache.get(cert)
  if (t === undefined) {
    t = createHash('sha256').update(cert.raw).digest('base64url')
    thumbprintCache.set(cert, t)
  }
  return t
}

/** Refuses a key that is not the private half of the leaf certificate's public key. */
function checkKeyMatchesLeaf(key: KeyObject, leaf: X509Certificate, label: string): void {
  let matched = keyMatchCache.get(key)
  if (matched?.has(leaf)) return
  if (!leaf.checkPrivateKey(key)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label}.key is not the private key of the leaf certificate (${oneLineName(leaf.subject)}); ` +
        'the chain must start with the certificate of the key that signs.',
    )
  }
  if (matched === undefined) {
    matched = new WeakSet()
    keyMatchCache.set(key, matched)
  }
  matched.add(leaf)
}

function checkLeafDates(leaf: X509Certificate, at: Date, label: string): void {
  const info = certificateInfo(leaf)
  if (at < info.notBefore || at > info.notAfter) {
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${label}: the leaf certificate (${oneLineName(leaf.subject)}) is valid from ` +
        `${info.notBefore.toISOString()} to ${info.notAfter.toISOString()}, not at ${at.toISOString()}; ` +
        'a verifier would refuse the signature. Sign with a current certificate.',
    )
  }
}

function prepareSigner(signer: SignerOptions, at: Date, label: string): PreparedSigner {
  const key = toPrivateKey(signer.key, `${label}.key`)
  const alg = signer.alg ?? defaultAlgorithm(key)
  checkKeyFits(signingSpec(alg), key, `${label}.key`)
  const chain = signer.chain
  let leaf: X509Certificate | undefined
  let location: PreparedSigner['location']
  if (Array.isArray(chain)) {
    if (chain.length === 0) {
      throw new VconError('VCON_BAD_ARGUMENT', `${label}.chain is empty; it needs the leaf first.`)
    }
    const certs = chain.map((c, i) => toCertificate(c, `${label}.chain[${i}]`))
    leaf = certs[0]
    location = { x5c: certs.map(x5cEntry) }
  } else {
    const { x5u, leaf: leafInput } = chain as Exclude<SignerChain, readonly CertificateInput[]>
    if (typeof x5u !== 'string' || !x5u.startsWith('https://')) {
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `${label}.chain.x5u must be an https URL (core draft §5.2, RFC 7515 §4.1.5).`,
      )
    }
    leaf = leafInput === undefined ? undefined : toCertificate(leafInput, `${label}.chain.leaf`)
    location = { x5u }
  }
  if (leaf !== undefined) {
    checkKeyMatchesLeaf(key, leaf, label)
    checkLeafDates(leaf, at, label)
  }
  return { key, alg, leaf, location }
}

/** The last protected headers made, by content: the same signer within one second reuses its header. */
const protectedCache = new Map<string, string>()

/** base64url of the protected header `{alg, iat, x5t#S256?, cty?}`. */
function protectedHeader(
  alg: SigningAlgorithm,
  iat: number,
  thumbprint: string | undefined,
  gzip: boolean,
): string {
  const key = `${alg}|${iat}|${thumbprint ?? ''}|${gzip ? 1 : 0}`
  let b64 = protectedCache.get(key)
  if (b64 === undefined) {
    const header: Record<string, unknown> = { alg, iat }
    if (thumbprint !== undefined) header['x5t#S256'] = thumbprint
    if (gzip) header.cty = 'application/vcon+gzip'
    b64 = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url')
    if (protectedCache.size >= 64) protectedCache.clear()
    protectedCache.set(key, b64)
  }
  return b64
}

/** The uuid for the `uuid` header: the vCon's own, or the innermost vCon's when re-signing. */
function vconUuid(input: Readonly<Record<string, unknown>>, signed: boolean): string {
  const inner = signed
    ? innermostPayload(input as unknown as SignedVcon, 8, DEFAULT_MAX_BYTES)
    : input
  const uuid = inner.uuid
  if (typeof uuid !== 'string' || uuid === '') {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'The vCon has no uuid; every vCon needs one (core draft §4.1.1) and the JWS "uuid" header copies it.',
    )
  }
  return uuid
}

/**
 * Signs a vCon (or re-signs a signed vCon, for archiving) with one or more signers. Each signature gets a
 * protected header `{alg, iat, x5t#S256?, cty?}` and an unprotected header `{x5c | x5u, uuid}`: the draft puts
 * the chain and uuid in the unprotected header (core draft §5.2), and no name appears in both, so strict JOSE
 * libraries read the result (notes §g.11). The payload is the compact `JSON.stringify` of the input; when the
 * input is already signed, that is the earlier JWS JSON itself. Verify a signed input before re-signing it:
 * this function does not.
 */
export function signVcon(input: Vcon | SignedVcon, options: SignVconOptions): SignedVcon {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new VconError('VCON_BAD_ARGUMENT', 'signVcon needs a vCon object or a signed vCon.')
  }
  const record = input as Readonly<Record<string, unknown>>
  if (typeof record.ciphertext === 'string') {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'signVcon was given an encrypted vCon; decrypt it first (the draft signs, then encrypts).',
    )
  }
  const signed = isSignedForm(record)
  const at = (options.now ?? (() => new Date()))()
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new VconError('VCON_BAD_ARGUMENT', 'options.now() must return a valid Date.')
  }
  const signers = [options, ...(options.extraSigners ?? [])].map((s, i) =>
    prepareSigner(s, at, i === 0 ? 'options' : `options.extraSigners[${i - 1}]`),
  )
  const uuid = vconUuid(record, signed)
  const json = Buffer.from(JSON.stringify(input), 'utf8')
  const payload = encodeBase64url(options.gzip === true ? gzipSync(json) : json)
  const iat = Math.floor(at.getTime() / 1000)
  const signatures = signers.map((s): JwsSignature => {
    const thumbprint = s.leaf === undefined ? undefined : x5tS256(s.leaf)
    const protectedB64 = protectedHeader(s.alg, iat, thumbprint, options.gzip === true)
    const signingInput = signingInputOf(protectedB64, payload)
    const signature = signBytes(signingSpec(s.alg), signingInput, s.key).toString('base64url')
    const header =
      'x5c' in s.location ? { x5c: [...s.location.x5c], uuid } : { x5u: s.location.x5u, uuid }
    return { protected: protectedB64, header, signature }
  })
  return { payload, signatures }
}
