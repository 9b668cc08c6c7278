/**
 * @module Verifying one signature of a JWS (RFC 7515 §5.2) the way vCon needs it (core draft §5.2, notes
 * §b.1): merged headers, an accepted algorithm, the leaf key from `x5c` (or `x5u`), the signature over
 * `ASCII(protected) || '.' || payload` with node:crypto directly, then the chain to the trust anchors.
 * Synchronous: `x5u` chains are fetched beforehand (`fetchX5uChains`), so the common `x5c` case costs no
 * promise per signature.
 */
import type { X509Certificate } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import type { JwsSignature } from '../model/vcon.js'
import {
  type CertificateInput,
  type ChainCertificate,
  oneLineName,
  parseX5c,
  toCertificate,
  verifyChain,
} from '../x509/chain.js'
import { certificateKey } from '../x509/key-input.js'
import { decodeBase64url } from './base64url.js'
import {
  decodeProtectedHeader,
  type JoseHeader,
  mergeHeaders,
  refuseCrit,
  unprotectedHeader,
} from './jose-header.js'
import { algorithmSpec, checkKeyFits, type JwsAlgorithm, verifyBytes } from './jws-algorithms.js'
import { x5tS256 } from './sign-vcon.js'
import { signingInputOf } from './signing-input.js'

/** Fetches the chain an `x5u` URL points to (RFC 7515 §4.1.5), leaf first. Supplied by the caller. */
export type FetchX5u = (
  url: string,
) => Promise<readonly CertificateInput[]> | readonly CertificateInput[]

/** What verifying one signature needs besides the signature itself. */
export interface SignatureContext {
  readonly anchors: readonly X509Certificate[]
  readonly at: Date
  readonly allowLegacyV1Ca: boolean
  readonly acceptAlgs: readonly string[]
  readonly fetchX5u: FetchX5u | undefined
}

/** Chains fetched for `x5u` headers, by URL. */
export type X5uChains = ReadonlyMap<string, X509Certificate[]>

/** A signature that verified, and who made it. */
export interface VerifiedSigner {
  /** Position in `signatures`. */
  readonly index: number
  /** Subject of the leaf certificate, one line. */
  readonly subject: string
  /** Subjects from the leaf to the trust anchor. */
  readonly chain: readonly string[]
  /** Versions, validity dates and fingerprints of the chain, same order as `chain`. */
  readonly certificates: readonly ChainCertificate[]
  readonly alg: JwsAlgorithm
  /** The `uuid` header of this signature, if any. */
  readonly uuid: string | undefined
  /** The protected `iat` (seconds since the epoch), when the signer wrote one. */
  readonly iat: Date | undefined
}

const CODE = 'VCON_SIGNATURE_INVALID'

/** Parsed `x5c` chains by leaf string: parsing DER and the link signatures dominate a small vCon otherwise. */
const x5cCache = new Map<
  string,
  { readonly entries: readonly string[]; readonly certs: X509Certificate[] }
>()
const X5C_CACHE_SIZE = 64

/** Decoded protected headers by their base64url text (frozen: shared between calls). */
const protectedCache = new Map<string, JoseHeader>()
const PROTECTED_CACHE_SIZE = 256

function remember<V>(cache: Map<string, V>, size: number, key: string, value: V): void {
  if (cache.size >= size) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  cache.set(key, value)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

function cachedX5c(x5c: unknown): X509Certificate[] {
  if (Array.isArray(x5c) && typeof x5c[0] === 'string') {
    const hit = x5cCache.get(x5c[0])
    if (hit !== undefined && hit.entries.length === x5c.length) {
      if (hit.entries.every((e, i) => e === x5c[i])) return hit.certs
    }
  }
  const certs = parseX5c(x5c)
  remember(x5cCache, X5C_CACHE_SIZE, (x5c as string[])[0] as string, {
    entries: [...(x5c as string[])],
    certs,
  })
  return certs
}

function protectedOf(signature: JwsSignature, label: string): JoseHeader {
  const text = signature.protected
  if (typeof text === 'string') {
    const hit = protectedCache.get(text)
    if (hit !== undefined) return hit
  }
  const header = deepFreeze(decodeProtectedHeader(text, `${label}.protected`, CODE))
  if (typeof text === 'string') remember(protectedCache, PROTECTED_CACHE_SIZE, text, header)
  return header
}

/** Protected and unprotected header of `signatures[index]`, merged (equal duplicates tolerated). */
function headersOf(
  signature: JwsSignature,
  label: string,
): { readonly protectedHeader: JoseHeader; readonly header: JoseHeader } {
  if (typeof signature !== 'object' || signature === null) {
    throw new VconError(CODE, `${label} must be an object.`)
  }
  const protectedHeader = protectedOf(signature, label)
  const header = mergeHeaders(
    [
      { label: `${label}.protected`, header: protectedHeader },
      {
        label: `${label}.header`,
        header: unprotectedHeader(signature.header, `${label}.header`, CODE),
      },
    ],
    CODE,
  )
  return { protectedHeader, header }
}

/** The `x5u` URL a signature relies on (only when it has no `x5c`), checked to be https. */
function x5uOf(header: JoseHeader, label: string): string | undefined {
  if (header.x5c !== undefined) return undefined
  const x5u = header.x5u
  if (x5u === undefined) {
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${label} has neither an x5c nor an x5u header; the core draft (§5.2) requires the signer's ` +
        'certificate chain in one of them.',
    )
  }
  if (typeof x5u !== 'string' || !x5u.startsWith('https://')) {
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${label}: x5u must be an https URL (RFC 7515 §4.1.5).`,
    )
  }
  return x5u
}

/**
 * Fetches, with the caller's `fetchX5u`, the chains of the signatures that name theirs by `x5u` only.
 * Returns undefined when no signature needs one (the usual `x5c` case). A signature whose headers are
 * unusable is skipped here: verifying it reports the problem.
 */
export async function fetchX5uChains(
  signatures: readonly JwsSignature[],
  context: SignatureContext,
): Promise<X5uChains | undefined> {
  const urls = new Set<string>()
  for (const [i, signature] of signatures.entries()) {
    try {
      const url = x5uOf(headersOf(signature, `signatures[${i}]`).header, `signatures[${i}]`)
      if (url !== undefined) urls.add(url)
    } catch {
      // Reported with its signature's index by verifySignature.
    }
  }
  if (urls.size === 0 || context.fetchX5u === undefined) return undefined
  const out = new Map<string, X509Certificate[]>()
  for (const url of urls) {
    const fetched = await context.fetchX5u(url)
    if (fetched.length === 0) {
      throw new VconError('VCON_CHAIN_INVALID', `The chain fetched from ${url} is empty.`)
    }
    out.set(
      url,
      fetched.map((c, i) => toCertificate(c, `certificate #${i} fetched from ${url}`)),
    )
  }
  return out
}

function signerChain(
  header: JoseHeader,
  x5uChains: X5uChains | undefined,
  label: string,
): X509Certificate[] {
  const x5u = x5uOf(header, label)
  if (x5u === undefined) return cachedX5c(header.x5c)
  const chain = x5uChains?.get(x5u)
  if (chain === undefined) {
    throw new VconError(
      'VCON_UNTRUSTED',
      `${label} names its certificate chain by URL (x5u ${x5u}); this verifier does not fetch URLs on ` +
        'its own. Pass `fetchX5u` to retrieve the chain, or ask the signer to embed it as x5c.',
    )
  }
  return chain
}

/** Verifies `signatures[index]` over `payload`; throws a VconError naming the signature otherwise. */
export function verifySignature(
  signature: JwsSignature,
  index: number,
  payload: string,
  context: SignatureContext,
  x5uChains: X5uChains | undefined,
): VerifiedSigner {
  const label = `signatures[${index}]`
  const { protectedHeader, header } = headersOf(signature, label)
  refuseCrit(header, 'VCON_ALG_REFUSED')
  const spec = algorithmSpec(header.alg, context.acceptAlgs)
  const chain = signerChain(header, x5uChains, label)
  const leaf = chain[0] as X509Certificate
  const thumbprint = header['x5t#S256']
  if (thumbprint !== undefined && thumbprint !== x5tS256(leaf)) {
    throw new VconError(
      CODE,
      `${label}: the x5t#S256 header does not match the leaf certificate; the chain was swapped.`,
    )
  }
  const key = certificateKey(leaf)
  checkKeyFits(spec, key, `${label}: the leaf certificate's key`)
  const signatureBytes = decodeBase64url(signature.signature, `${label}.signature`, CODE)
  const protectedText = typeof signature.protected === 'string' ? signature.protected : ''
  // RFC 7515 §5.2 step 8: both parts were checked to be base64url, so latin1 is ASCII here.
  const signingInput = signingInputOf(protectedText, payload)
  if (!verifyBytes(spec, signingInput, key, signatureBytes)) {
    throw new VconError(
      CODE,
      `${label} does not verify with the key of its leaf certificate (${oneLineName(leaf.subject)}): ` +
        'the vCon or its protected header changed after signing, or it was signed with another key.',
    )
  }
  const verified = verifyChain(chain, {
    anchors: context.anchors,
    at: context.at,
    allowLegacyV1Ca: context.allowLegacyV1Ca,
  })
  const iat = protectedHeader.iat
  return {
    index,
    subject: verified.subjects[0] as string,
    chain: verified.subjects,
    certificates: verified.certificates,
    alg: spec.alg,
    uuid: typeof header.uuid === 'string' ? header.uuid : undefined,
    iat: typeof iat === 'number' && Number.isFinite(iat) ? new Date(iat * 1000) : undefined,
  }
}
