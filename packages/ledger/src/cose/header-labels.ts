/**
 * @module The COSE header labels, CWT claim keys and proof labels this package reads and writes, in one place.
 */

/**
 * COSE header parameters (IANA "COSE Header Parameters"): RFC 9052 §3.1 (alg, crit, content type, kid),
 * RFC 9597 (CWT claims), RFC 9596 (typ), RFC 9995 §3 (hash envelope), RFC 9942 §2 (receipts, vds, vdp).
 */
export const HEADER = {
  alg: 1,
  crit: 2,
  contentType: 3,
  kid: 4,
  cwtClaims: 15,
  typ: 16,
  payloadHashAlg: 258,
  preimageContentType: 259,
  payloadLocation: 260,
  receipts: 394,
  vds: 395,
  vdp: 396,
} as const

/** CWT claim keys used inside header 15 (RFC 8392 §3.1, RFC 9597). */
export const CWT_CLAIM = {
  iss: 1,
  sub: 2,
  iat: 6,
} as const

/** Verifiable data structure RFC9162_SHA256 (RFC 9942 §5.1, "COSE Verifiable Data Structures" value 1). */
export const VDS_RFC9162_SHA256 = 1

/** Keys of the verifiable data structure proofs map (RFC 9942 §5.2, §5.3). */
export const VDP = {
  inclusion: -1,
  consistency: -2,
} as const

/** Media types registered by RFC 9943 (IANA considerations) for signed statements and receipts (used as `typ`). */
export const MEDIA_TYPE = {
  statement: 'application/scitt-statement+cose',
  receipt: 'application/scitt-receipt+cose',
} as const
