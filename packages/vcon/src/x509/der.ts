/**
 * @module A tiny DER reader for the few X.509 fields node:crypto does not expose on Node 20: the certificate
 * version (v1 has no `[0] EXPLICIT version`, RFC 5280 §4.1.2.1) and the validity dates as Date objects.
 */
import { VconError } from '../errors/vcon-error.js'

/** One DER element: its tag byte and where its contents lie in the buffer. */
interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
}

/** What `readCertificateInfo` extracts from a certificate's DER. */
export interface CertificateInfo {
  /** 1, 2 or 3 (the DER integer plus one). */
  readonly version: number
  readonly notBefore: Date
  readonly notAfter: Date
}

function malformed(what: string): VconError {
  return new VconError(
    'VCON_CHAIN_INVALID',
    `The certificate is not valid DER (${what}); check the x5c entry or the PEM file it came from.`,
  )
}

/** Reads the element at `offset`; only definite lengths, as DER requires (X.690 §10.1). */
function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw malformed('truncated element')
  const tag = der[offset] as number
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tag')
  let length = der[offset + 1] as number
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || start + count > limit) throw malformed('bad length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] as number)
    start += count
  }
  const end = start + length
  if (end > limit) throw malformed('element longer than its container')
  return { tag, start, end }
}

const ASCII = new TextDecoder('latin1')

function twoDigits(text: string, at: number): number {
  const value = Number(text.slice(at, at + 2))
  if (!Number.isInteger(value)) throw malformed('bad time')
  return value
}

/**
 * UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSS[.f]Z), RFC 5280 §4.1.2.5.
 * Both are always UTC in certificates.
 */
function readTime(der: Uint8Array, tlv: Tlv): Date {
  const text = ASCII.decode(der.subarray(tlv.start, tlv.end))
  let year: number
  let rest: string
  if (tlv.tag === 0x17) {
    if (!/^\d{12}Z$/.test(text)) throw malformed('bad UTCTime')
    const yy = twoDigits(text, 0)
    year = yy >= 50 ? 1900 + yy : 2000 + yy
    rest = text.slice(2)
  } else if (tlv.tag === 0x18) {
    if (!/^\d{14}(?:\.\d+)?Z$/.test(text)) throw malformed('bad GeneralizedTime')
    year = Number(text.slice(0, 4))
    rest = text.slice(4)
  } else {
    throw malformed('validity is not a time')
  }
  const ms = Date.UTC(
    year,
    twoDigits(rest, 0) - 1,
    twoDigits(rest, 2),
    twoDigits(rest, 4),
    twoDigits(rest, 6),
    twoDigits(rest, 8),
  )
  return new Date(ms)
}

/** Version and validity of a DER certificate: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE {...} ... }. */
export function readCertificateInfo(der: Uint8Array): CertificateInfo {
  const cert = readTlv(der, 0, der.length)
  if (cert.tag !== 0x30) throw malformed('not a SEQUENCE')
  const tbs = readTlv(der, cert.start, cert.end)
  if (tbs.tag !== 0x30) throw malformed('tbsCertificate is not a SEQUENCE')
  let at = tbs.start
  let version = 1
  let field = readTlv(der, at, tbs.end)
  // RFC 5280 §4.1.2.1: version is `[0] EXPLICIT Version DEFAULT v1`, so DER leaves it out for v1.
  if (field.tag === 0xa0) {
    const int = readTlv(der, field.start, field.end)
    if (int.tag !== 0x02 || int.end - int.start !== 1) throw malformed('bad version')
    version = (der[int.start] as number) + 1
    at = field.end
    field = readTlv(der, at, tbs.end)
  }
  // serialNumber, signature, issuer, then validity.
  for (let skip = 0; skip < 3; skip++) {
    at = field.end
    field = readTlv(der, at, tbs.end)
  }
  if (field.tag !== 0x30) throw malformed('validity is not a SEQUENCE')
  const notBefore = readTlv(der, field.start, field.end)
  const notAfter = readTlv(der, notBefore.end, field.end)
  return { version, notBefore: readTime(der, notBefore), notAfter: readTime(der, notAfter) }
}
