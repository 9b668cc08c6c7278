/**
 * @module Signed statements (RFC 9943 §6) as this ledger issues and accepts them: a tagged COSE_Sign1 whose
 * protected header carries alg (1), kid (4, a byte string), typ (16) = application/scitt-statement+cose, CWT
 * claims (15) with iss, sub and iat, and an RFC 9995 hash envelope (258 payload_hash_alg, 259
 * preimage_content_type, optional 260 payload_location) around an attached payload that is the preimage's
 * digest. Content type (3) is absent: RFC 9995 §4 says the envelope headers replace it.
 */
import type { Label } from '../cbor/label-map.js'
import { type MapContext, optionalInt, optionalMap, optionalText } from '../cbor/label-map.js'
import type { CoseAlgorithmName } from '../cose/algorithms.js'
import { HEADER, MEDIA_TYPE } from '../cose/header-labels.js'
import { resolveKey } from '../cose/resolve-key.js'
import { decodeSign1, type Sign1, signSign1, verifySign1, verifySign1Async } from '../cose/sign1.js'
import type { VerifyPool } from '../cose/verify-pool.js'
import { LedgerError } from '../errors/ledger-error.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { cwtClaimsMap, numericDate, readCwtClaims } from './cwt-claims.js'
import {
  checkPayloadHash,
  HASH_ENVELOPE_ALGORITHMS,
  type HashEnvelopeAlgorithm,
  hashAlgorithmById,
  isMediaType,
} from './hash-envelope.js'

/** Longest iss accepted, as RFC 9943 §6 bounds it for X.509 issuers. */
const MAX_ISS = 8192
/** Longest sub, payload_location and content type accepted: generous, but bounded. */
const MAX_TEXT = 2048

/** Labels a statement's `crit` may list: the ones this module processes. */
const UNDERSTOOD: readonly Label[] = [
  HEADER.kid,
  HEADER.cwtClaims,
  HEADER.typ,
  HEADER.payloadHashAlg,
  HEADER.preimageContentType,
  HEADER.payloadLocation,
]

/** Inputs of `createSignedStatement`. */
export interface CreateSignedStatementOptions {
  /** Digest of the preimage (the event document); becomes the payload. */
  readonly payloadHash: Uint8Array
  /** Default SHA-256 (-16). */
  readonly payloadHashAlg?: HashEnvelopeAlgorithm
  /** Media type of the preimage (header 259), e.g. application/vcon-lifecycle+json. */
  readonly preimageContentType: string
  /** Where the preimage may be fetched (header 260); must not itself reveal personal data. */
  readonly payloadLocation?: string
  /** The issuer (CWT iss), e.g. an https URI of the issuing service. */
  readonly iss: string
  /** What the statement is about (CWT sub), e.g. urn:uuid:<vcon uuid>. */
  readonly sub: string
  /** When it was issued (CWT iat): a Date or whole seconds since the epoch. */
  readonly iat: Date | number
  readonly key: SigningKey
}

function checkText(value: unknown, name: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `${name} must be a non-empty string of at most ${max} characters.`,
    )
  }
}

/** Signs a hash-envelope statement (see the module comment for the exact header layout). */
export function createSignedStatement(options: CreateSignedStatementOptions): Uint8Array {
  const alg = options.payloadHashAlg ?? 'SHA-256'
  if (!(alg in HASH_ENVELOPE_ALGORITHMS)) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `payloadHashAlg ${String(alg)} is not SHA-256, SHA-384 or SHA-512.`,
    )
  }
  checkPayloadHash(options.payloadHash, alg)
  checkText(options.iss, 'iss', MAX_ISS)
  checkText(options.sub, 'sub', MAX_TEXT)
  if (!isMediaType(options.preimageContentType)) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      'preimageContentType must be a media type such as application/json.',
    )
  }
  const header = new Map<Label, unknown>([
    [HEADER.typ, MEDIA_TYPE.statement],
    [
      HEADER.cwtClaims,
      cwtClaimsMap({ iss: options.iss, sub: options.sub, iat: numericDate(options.iat, 'iat') }),
    ],
    [HEADER.payloadHashAlg, HASH_ENVELOPE_ALGORITHMS[alg].id],
    [HEADER.preimageContentType, options.preimageContentType],
  ])
  if (options.payloadLocation !== undefined) {
    checkText(options.payloadLocation, 'payloadLocation', MAX_TEXT)
    header.set(HEADER.payloadLocation, options.payloadLocation)
  }
  return signSign1({ key: options.key, protectedHeader: header, payload: options.payloadHash })
}

/** Options of `verifySignedStatement`. */
export interface VerifySignedStatementOptions {
  /** Pinned issuer keys, looked up by the statement's protected kid. */
  readonly issuerKeys: readonly VerificationKey[]
  /** When set, header 259 must equal it (e.g. the lifecycle event media type). */
  readonly expectedPreimageContentType?: string
}

/** What a verified statement says. */
export interface VerifiedStatement {
  readonly message: Sign1
  readonly alg: CoseAlgorithmName
  readonly kid: Uint8Array
  readonly iss: string
  readonly sub: string
  readonly iat?: number
  readonly payloadHash: Uint8Array
  readonly payloadHashAlg: HashEnvelopeAlgorithm
  readonly preimageContentType: string
  readonly payloadLocation?: string
}

function invalid(message: string): LedgerError {
  return new LedgerError('LEDGER_STATEMENT_INVALID', message)
}

const CTX: MapContext = {
  where: 'protected header of the signed statement',
  code: 'LEDGER_STATEMENT_INVALID',
}

/** Reads and checks the profile's headers of a decoded statement (no signature check). */
export function readStatementHeaders(
  message: Sign1,
): Omit<VerifiedStatement, 'message' | 'alg' | 'kid'> {
  const p = message.protectedHeader
  for (const label of [
    HEADER.cwtClaims,
    HEADER.payloadHashAlg,
    HEADER.preimageContentType,
    HEADER.payloadLocation,
  ]) {
    if (message.unprotectedHeader.has(label)) {
      throw invalid(
        `Label ${label} must be in the protected header, where the signature covers it.`,
      )
    }
  }
  if (p.has(HEADER.contentType) || message.unprotectedHeader.has(HEADER.contentType)) {
    throw invalid(
      'A hash-envelope statement must not carry content type (3) in either bucket; 259 replaces it (RFC 9995 §4).',
    )
  }
  const typ = p.get(HEADER.typ)
  if (typ !== undefined && typ !== MEDIA_TYPE.statement) {
    throw invalid(
      `typ (16) is ${JSON.stringify(typ)}; a signed statement is ${MEDIA_TYPE.statement}.`,
    )
  }
  const claimsMap = optionalMap(p, HEADER.cwtClaims, CTX)
  if (claimsMap === undefined)
    throw invalid('The protected header must carry CWT claims (15) (RFC 9943 §6).')
  const claims = readCwtClaims(claimsMap, { ...CTX, where: 'signed statement' })
  if (claims.iss.length > MAX_ISS) throw invalid(`iss is longer than ${MAX_ISS} characters.`)
  if (claims.sub === undefined || claims.sub.length === 0)
    throw invalid('The CWT claims must carry sub (2) (RFC 9943 §6).')
  const algId = optionalInt(p, HEADER.payloadHashAlg, CTX)
  const payloadHashAlg = hashAlgorithmById(algId)
  if (payloadHashAlg === undefined) {
    throw invalid(
      `payload_hash_alg (258) is ${String(algId)}; expected -16 (SHA-256), -43 or -44 (RFC 9995).`,
    )
  }
  const preimageContentType = optionalText(p, HEADER.preimageContentType, CTX)
  if (!isMediaType(preimageContentType)) {
    throw invalid('preimage_content_type (259) must be a media type (RFC 9995).')
  }
  const payloadLocation = optionalText(p, HEADER.payloadLocation, CTX)
  if (message.payload === null) throw invalid('The payload (the preimage digest) must be attached.')
  if (message.payload.length !== HASH_ENVELOPE_ALGORITHMS[payloadHashAlg].length) {
    throw invalid(
      `The payload is ${message.payload.length} bytes; a ${payloadHashAlg} digest is ${HASH_ENVELOPE_ALGORITHMS[payloadHashAlg].length}.`,
    )
  }
  return {
    iss: claims.iss,
    sub: claims.sub,
    ...(claims.iat === undefined ? {} : { iat: claims.iat }),
    payloadHash: message.payload,
    payloadHashAlg,
    preimageContentType,
    ...(payloadLocation === undefined ? {} : { payloadLocation }),
  }
}

/** The statement's checks short of the signature: decoded message, headers and the key it must verify with. */
function checkStatement(input: Uint8Array | Sign1, options: VerifySignedStatementOptions) {
  const message = input instanceof Uint8Array ? decodeSign1(input, { requireTag: true }) : input
  if (!message.tagged)
    throw new LedgerError('LEDGER_COSE_MALFORMED', 'A signed statement must carry tag 18.')
  const headers = readStatementHeaders(message)
  if (
    options.expectedPreimageContentType !== undefined &&
    headers.preimageContentType !== options.expectedPreimageContentType
  ) {
    throw invalid(
      `preimage_content_type is ${headers.preimageContentType}; expected ${options.expectedPreimageContentType}.`,
    )
  }
  const key = resolveKey(
    message,
    options.issuerKeys,
    'signed statement',
    'LEDGER_STATEMENT_INVALID',
  )
  if (key.iss !== undefined && key.iss !== headers.iss) {
    throw invalid(`The statement names issuer ${headers.iss}, but its key is pinned to ${key.iss}.`)
  }
  const verified: VerifiedStatement = { message, alg: key.alg, kid: key.kid, ...headers }
  return { verified, sign1: { key, understoodCritical: UNDERSTOOD } }
}

/**
 * Verifies a signed statement (bytes or decoded): strict decoding with tag 18, the profile's headers, the
 * issuer key by protected kid (and its pinned iss), and the signature (scitt.md §4.1 steps 1-2). Throws
 * LedgerError; returns what the statement says.
 */
export function verifySignedStatement(
  input: Uint8Array | Sign1,
  options: VerifySignedStatementOptions,
): VerifiedStatement {
  const { verified, sign1 } = checkStatement(input, options)
  verifySign1(verified.message, sign1)
  return verified
}

/** `verifySignedStatement` with the signature checked by `pool` (see `verifySign1Async`). */
export async function verifySignedStatementAsync(
  input: Uint8Array | Sign1,
  options: VerifySignedStatementOptions,
  pool?: VerifyPool,
): Promise<VerifiedStatement> {
  const { verified, sign1 } = checkStatement(input, options)
  await verifySign1Async(verified.message, sign1, pool)
  return verified
}
