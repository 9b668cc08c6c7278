/**
 * @module X.509 chains for JWS `x5c` (RFC 7515 §4.1.6): parse, then validate link by link up to a configured
 * trust anchor, with validity dates and CA checks, and an opt-in for the legacy v1 CAs of the spec's example.
 */
import { X509Certificate } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import { type CertificateInfo, readCertificateInfo } from './der.js'

/** A certificate as a caller may hand it over: parsed, PEM text, base64 DER (an `x5c` entry) or DER bytes. */
export type CertificateInput = X509Certificate | string | Uint8Array

/** Options of `verifyChain`. */
export interface VerifyChainOptions {
  /** The trusted roots (or pinned certificates). The chain must end at one or be issued by one. */
  readonly anchors: readonly X509Certificate[]
  /** The time at which every certificate must be valid. Default: now. */
  readonly at?: Date
  /**
   * Accept X.509 v1 certificates as intermediate CAs. v1 has no basicConstraints, so nothing says it is a CA;
   * the core draft's own signed example is built this way (notes §b.1, trap 2). Off by default.
   */
  readonly allowLegacyV1Ca?: boolean
}

/** One certificate of a validated chain, as reported to callers. */
export interface ChainCertificate {
  readonly subject: string
  readonly issuer: string
  readonly version: number
  readonly notBefore: Date
  readonly notAfter: Date
  readonly fingerprint256: string
}

/** The result of a successful `verifyChain`. */
export interface VerifiedChain {
  /** Subjects from the leaf to the trust anchor (the anchor included, even when it was not in the chain). */
  readonly subjects: readonly string[]
  /** Details of each certificate, same order as `subjects`. */
  readonly certificates: readonly ChainCertificate[]
  /** The anchor that the chain ends at. */
  readonly anchor: X509Certificate
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

const infoCache = new WeakMap<X509Certificate, CertificateInfo>()
const linkCache = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>()
const reportCache = new WeakMap<X509Certificate, StaticReport>()

/**
 * The last successful result per chain array (the verifier reuses one array per distinct x5c), valid while the
 * chain and anchors hold the same certificates (compared element by element, so a caller who edits an array is
 * not fooled), the option is the same and `at` lies inside every certificate's validity. Everything else in a result is a pure function of
 * the certificates, so re-validating a known chain only costs the date comparison.
 */
interface CachedResult {
  readonly chain: readonly X509Certificate[]
  readonly anchors: readonly X509Certificate[]
  readonly legacy: boolean
  readonly from: number
  readonly until: number
  readonly path: readonly StaticReport[]
  readonly anchor: X509Certificate
}
const resultCache = new WeakMap<readonly X509Certificate[], CachedResult>()

/** Version and validity dates, read from the DER once per certificate object. */
export function certificateInfo(cert: X509Certificate): CertificateInfo {
  let info = infoCache.get(cert)
  if (info === undefined) {
    info = readCertificateInfo(cert.raw)
    infoCache.set(cert, info)
  }
  return info
}

/** Node prints a distinguished name one attribute per line; a report wants one line. */
export function oneLineName(name: string): string {
  return name.split('\n').join(', ')
}

function describe(cert: X509Certificate, label: string): string {
  return `${label} (${oneLineName(cert.subject)})`
}

function parseDer(der: Uint8Array, label: string): X509Certificate {
  try {
    const cert = new X509Certificate(der)
    certificateInfo(cert)
    return cert
  } catch (cause) {
    if (cause instanceof VconError) throw cause
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${label} is not a DER X.509 certificate; x5c entries are standard base64 (not base64url) DER.`,
      { cause },
    )
  }
}

/** Turns any accepted certificate form into an X509Certificate. */
export function toCertificate(input: CertificateInput, label = 'certificate'): X509Certificate {
  if (input instanceof X509Certificate) return input
  if (typeof input !== 'string') return parseDer(input, label)
  const text = input.trim()
  if (text.startsWith('-----BEGIN')) {
    const found = loadTrustAnchors(text)
    if (found.length !== 1) {
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `${label} must hold exactly one PEM certificate; found ${found.length}.`,
      )
    }
    return found[0] as X509Certificate
  }
  if (!BASE64.test(text)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} is neither PEM nor base64 DER; pass an X509Certificate, PEM text or an x5c string.`,
    )
  }
  return parseDer(Buffer.from(text, 'base64'), label)
}

/** Parses a JWS `x5c` header value: a non-empty array of standard-base64 DER certificates, leaf first. */
export function parseX5c(x5c: unknown): X509Certificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0) {
    throw new VconError(
      'VCON_CHAIN_INVALID',
      'The x5c header must be a non-empty array of base64 DER certificates, leaf first (RFC 7515 §4.1.6).',
    )
  }
  return x5c.map((entry, i) => {
    if (typeof entry !== 'string' || !BASE64.test(entry)) {
      throw new VconError(
        'VCON_CHAIN_INVALID',
        `x5c[${i}] is not a standard base64 string (RFC 7515 §4.1.6 uses base64, not base64url).`,
      )
    }
    return parseDer(Buffer.from(entry, 'base64'), `x5c[${i}]`)
  })
}

/** Splits a PEM bundle (one or more CERTIFICATE blocks; other blocks are skipped) into certificates. */
export function loadTrustAnchors(pemText: string): X509Certificate[] {
  const out: X509Certificate[] = []
  for (const match of pemText.matchAll(PEM_CERT)) {
    const body = (match[1] ?? '').replace(/\s+/g, '')
    out.push(parseDer(Buffer.from(body, 'base64'), `PEM certificate #${out.length + 1}`))
  }
  if (out.length === 0) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'No "-----BEGIN CERTIFICATE-----" block found; trust anchors must be PEM certificates.',
    )
  }
  return out
}

/** `child` names `issuer` as its issuer and carries a signature made with `issuer`'s key. Cached: pure. */
function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  let byIssuer = linkCache.get(child)
  if (byIssuer === undefined) {
    byIssuer = new WeakMap()
    linkCache.set(child, byIssuer)
  }
  let ok = byIssuer.get(issuer)
  if (ok === undefined) {
    ok = child.checkIssued(issuer) && child.verify(issuer.publicKey)
    byIssuer.set(issuer, ok)
  }
  return ok
}

function checkDates(cert: X509Certificate, label: string, at: Date): CertificateInfo {
  const info = certificateInfo(cert)
  const t = at.getTime()
  if (t < info.notBefore.getTime() || t > info.notAfter.getTime()) {
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${describe(cert, label)} is not valid at ${at.toISOString()}: it is valid from ` +
        `${info.notBefore.toISOString()} to ${info.notAfter.toISOString()}. ` +
        'Re-sign with a current certificate, or verify at a time inside its validity (`at`).',
    )
  }
  return info
}

/** An issuing certificate must say it is a CA, unless it is a legacy v1 certificate and the option allows it. */
function checkCa(cert: X509Certificate, label: string, allowLegacyV1Ca: boolean): void {
  if (cert.ca) return
  const { version } = certificateInfo(cert)
  if (version === 1) {
    if (allowLegacyV1Ca) return
    throw new VconError(
      'VCON_CHAIN_INVALID',
      `${describe(cert, label)} issues another certificate but is an X.509 v1 certificate, which cannot ` +
        'declare itself a CA. If you trust this legacy chain (the core draft example uses one), pass ' +
        '`allowLegacyV1Ca: true`.',
    )
  }
  throw new VconError(
    'VCON_CHAIN_INVALID',
    `${describe(cert, label)} issues another certificate but is not a CA (basicConstraints cA is not true).`,
  )
}

/** The strings and times of a report, computed once per certificate (naming is slow). */
interface StaticReport {
  readonly subject: string
  readonly issuer: string
  readonly version: number
  readonly notBefore: number
  readonly notAfter: number
  readonly fingerprint256: string
}

function staticReport(cert: X509Certificate): StaticReport {
  let out = reportCache.get(cert)
  if (out === undefined) {
    const info = certificateInfo(cert)
    out = {
      subject: oneLineName(cert.subject),
      issuer: oneLineName(cert.issuer),
      version: info.version,
      notBefore: info.notBefore.getTime(),
      notAfter: info.notAfter.getTime(),
      fingerprint256: cert.fingerprint256,
    }
    reportCache.set(cert, out)
  }
  return out
}

/** A fresh result per call: callers get their own Date objects, so nothing they do reaches the caches. */
function toResult(path: readonly StaticReport[], anchor: X509Certificate): VerifiedChain {
  return {
    subjects: path.map((r) => r.subject),
    certificates: path.map((r) => ({
      subject: r.subject,
      issuer: r.issuer,
      version: r.version,
      notBefore: new Date(r.notBefore),
      notAfter: new Date(r.notAfter),
      fingerprint256: r.fingerprint256,
    })),
    anchor,
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function cached(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  legacy: boolean,
  t: number,
): VerifiedChain | undefined {
  const hit = resultCache.get(chain)
  if (hit === undefined || hit.legacy !== legacy || t < hit.from || t > hit.until) return undefined
  if (!sameItems(hit.anchors, anchors) || !sameItems(hit.chain, chain)) return undefined
  return toResult(hit.path, hit.anchor)
}

/**
 * Validates `chain` (leaf first) against `anchors` at `at`: each certificate is issued by the next one (name and
 * signature), every certificate is inside its validity dates, every issuing certificate is a CA, and the chain
 * reaches an anchor (by fingerprint) or its last certificate is issued by one. Certificates after the anchor are
 * ignored. Not checked: name constraints, path length, policies, key usage, revocation.
 */
export function verifyChain(
  chain: readonly X509Certificate[],
  options: VerifyChainOptions,
): VerifiedChain {
  const at = options.at ?? new Date()
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    // An invalid Date compares false with everything, which would pass every validity check.
    throw new VconError('VCON_BAD_ARGUMENT', '`at` must be a valid Date.')
  }
  const legacy = options.allowLegacyV1Ca === true
  if (chain.length === 0) {
    throw new VconError('VCON_CHAIN_INVALID', 'The certificate chain is empty; x5c needs the leaf.')
  }
  if (options.anchors.length === 0) {
    throw new VconError(
      'VCON_UNTRUSTED',
      'No trust anchors configured: pass the root certificate(s) you trust as `anchors` ' +
        '(loadTrustAnchors(pemText) reads a PEM bundle).',
    )
  }
  const hit = cached(chain, options.anchors, legacy, at.getTime())
  if (hit !== undefined) return hit
  const path: X509Certificate[] = []
  let anchor: X509Certificate | undefined
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i] as X509Certificate
    const label = `x5c[${i}]`
    checkDates(cert, label, at)
    anchor = options.anchors.find((a) => a.fingerprint256 === cert.fingerprint256)
    if (i > 0) {
      // An intermediate (it issues the certificate before it and is not an anchor) must be a CA. Checked
      // before the link so that the message says why: OpenSSL's issuer check also fails on a non-CA.
      if (anchor === undefined) checkCa(cert, label, legacy)
      if (!issuedBy(chain[i - 1] as X509Certificate, cert)) {
        throw new VconError(
          'VCON_CHAIN_INVALID',
          `${describe(cert, label)} did not issue x5c[${i - 1}] (name or signature does not match); ` +
            'x5c must list each certificate followed by its issuer (RFC 7515 §4.1.6).',
        )
      }
    }
    path.push(cert)
    if (anchor !== undefined) break
  }
  if (anchor === undefined) {
    const last = path[path.length - 1] as X509Certificate
    anchor = options.anchors.find((a) => issuedBy(last, a))
    if (anchor === undefined) {
      throw new VconError(
        'VCON_UNTRUSTED',
        `The chain ends at ${oneLineName(last.subject)}, issued by ${oneLineName(last.issuer)}, which is ` +
          'not one of the configured trust anchors (matched by fingerprint and signature). Add the root ' +
          'that issued this chain to `anchors` if you trust it.',
      )
    }
    checkDates(anchor, 'trust anchor', at)
    path.push(anchor)
  }
  const reports = path.map(staticReport)
  resultCache.set(chain, {
    chain: [...chain],
    anchors: [...options.anchors],
    legacy,
    from: Math.max(...reports.map((r) => r.notBefore)),
    until: Math.min(...reports.map((r) => r.notAfter)),
    path: reports,
    anchor,
  })
  return toResult(reports, anchor)
}
