/**
 * @module COSE_Sign1 (RFC 9052 §4.2): strict decoding, signing and verification over the Sig_structure
 * ["Signature1", body_protected, external_aad, payload] (RFC 9052 §4.4), attached or detached payload.
 *
 * Policy decisions (deliberate, stricter than RFC 9052 allows):
 * - `alg` must be in the protected bucket. RFC 9052 §3.1 lets it travel unprotected, but then an attacker can
 *   swap it; every profile in this package protects it. This is why cose-wg sign-pass-01 (protected h'A0',
 *   alg unprotected, signed over an empty bstr) is refused with LEDGER_ALG_REFUSED.
 * - The protected bytes are verified exactly as received, never re-encoded (scitt.md §4.1 step 1). RFC 9052
 *   §3 would have a zero-length map h'A0' treated as h'' in the Sig_structure; since an empty protected
 *   bucket cannot hold `alg`, such a message is refused before that question arises.
 * - A label present in both buckets is refused (RFC 9052 §3: applications SHOULD check that none is).
 * - `crit` (RFC 9052 §3.1) must be protected and list only labels the caller says it processes.
 */
import { decodeStrict } from '../cbor/decode.js'
import { byteStringHead, concatBytes, encodeDeterministic } from '../cbor/encode.js'
import { asLabelMap, type Label, type LabelMap } from '../cbor/label-map.js'
import { LedgerError } from '../errors/ledger-error.js'
import { copyBytes } from '../internal/bytes.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { algorithmById, COSE_ALGORITHMS, signBytes, verifyBytes } from './algorithms.js'
import { HEADER } from './header-labels.js'
import { VERIFY_HERE, type VerifyPool } from './verify-pool.js'

/** CBOR tag of COSE_Sign1 (RFC 9052 §2, Table 1). */
export const COSE_SIGN1_TAG = 18

const EMPTY = new Uint8Array(0)

/** 0x84 (array of 4) then the text string "Signature1" (0x6a + 10 bytes), RFC 9052 §4.4. */
const SIG_STRUCTURE_PREFIX = Uint8Array.of(0x84, 0x6a, ...new TextEncoder().encode('Signature1'))

/** A decoded COSE_Sign1. */
export interface Sign1 {
  /** The protected bucket exactly as received (the bstr's content); this is what the signature covers. */
  readonly protectedBytes: Uint8Array
  readonly protectedHeader: LabelMap
  readonly unprotectedHeader: LabelMap
  /** null when the payload is detached (RFC 9052 §4.1). */
  readonly payload: Uint8Array | null
  readonly signature: Uint8Array
  /** Whether the message carried tag 18. */
  readonly tagged: boolean
}

/** Options of `decodeSign1`. */
export interface DecodeSign1Options {
  /**
   * Require tag 18. RFC 9052 §2 allows the untagged form when the context says what the object is, so the
   * generic default is false; statements, receipts and checkpoints require it (RFC 9942 §4.3: "Receipts MUST
   * be tagged").
   */
  readonly requireTag?: boolean
}

function malformed(message: string): LedgerError {
  return new LedgerError('LEDGER_COSE_MALFORMED', message)
}

/** The tag number of a CBOR item starting with major type 6, read from its head (RFC 8949 §3). */
function leadingTag(bytes: Uint8Array): number | undefined {
  const first = bytes[0]
  if (first === undefined || first >> 5 !== 6) return undefined
  const info = first & 0x1f
  if (info < 24) return info
  const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0
  let tag = 0
  for (let i = 1; i <= width; i++) tag = tag * 256 + (bytes[i] ?? 0)
  return width === 0 ? -1 : tag
}

/** Decodes the protected bucket: a zero-length bstr is the empty map (RFC 9052 §3), else a strict CBOR map. */
function decodeProtected(bytes: Uint8Array): LabelMap {
  if (bytes.length === 0) return new Map()
  return asLabelMap(decodeStrict(bytes), {
    where: 'protected header',
    code: 'LEDGER_COSE_MALFORMED',
  })
}

/**
 * Decodes a COSE_Sign1 strictly: optional (or required) tag 18 and no other tag, a four-element array of
 * bstr / map / bstr-or-nil / bstr, strict CBOR throughout (see cbor/decode.ts), protected bucket a map, no
 * label in both buckets.
 */
export function decodeSign1(bytes: Uint8Array, options: DecodeSign1Options = {}): Sign1 {
  const tag = leadingTag(bytes)
  // Only the head d2 is tag 18 in shortest form; a longer head for 18 is non-minimal CBOR.
  const tagged = tag !== undefined && bytes[0] === 0xd2
  if (tag !== undefined && !tagged) {
    throw malformed(
      tag === COSE_SIGN1_TAG
        ? 'Tag 18 is encoded in a longer head than necessary (RFC 8949 §4.2.1).'
        : `The message carries CBOR tag ${tag}, not ${COSE_SIGN1_TAG} (COSE_Sign1).`,
    )
  }
  if (!tagged && options.requireTag) {
    throw malformed(`The message must carry CBOR tag ${COSE_SIGN1_TAG} (COSE_Sign1).`)
  }
  const value = decodeStrict(tagged ? bytes.subarray(1) : bytes)
  if (!Array.isArray(value) || value.length !== 4) {
    throw malformed('A COSE_Sign1 is an array of exactly four elements (RFC 9052 §4.2).')
  }
  const [protectedBytes, unprotected, payload, signature] = value as unknown[]
  if (!(protectedBytes instanceof Uint8Array)) {
    throw malformed('The protected header of a COSE_Sign1 must be a byte string (RFC 9052 §3).')
  }
  if (!(payload instanceof Uint8Array) && payload !== null) {
    throw malformed('The payload of a COSE_Sign1 must be a byte string or nil (RFC 9052 §4.1).')
  }
  if (!(signature instanceof Uint8Array)) {
    throw malformed('The signature of a COSE_Sign1 must be a byte string (RFC 9052 §4.2).')
  }
  const protectedHeader = decodeProtected(protectedBytes)
  const unprotectedHeader = asLabelMap(unprotected, {
    where: 'unprotected header',
    code: 'LEDGER_COSE_MALFORMED',
  })
  for (const label of unprotectedHeader.keys()) {
    if (protectedHeader.has(label)) {
      throw malformed(`Label ${String(label)} is in both header buckets (RFC 9052 §3).`)
    }
  }
  return {
    protectedBytes: copyBytes(protectedBytes),
    protectedHeader,
    unprotectedHeader,
    payload: payload === null ? null : copyBytes(payload),
    signature: copyBytes(signature),
    tagged,
  }
}

/** The parts of a COSE_Sign1 needed to write it out. */
export interface Sign1Parts {
  readonly protectedBytes: Uint8Array
  readonly unprotectedHeader: LabelMap
  readonly payload: Uint8Array | null
  readonly signature: Uint8Array
}

/** 0xd2 (tag 18) then 0x84 (array of four). */
const TAGGED_HEAD = Uint8Array.of(0xd2, 0x84)
const UNTAGGED_HEAD = Uint8Array.of(0x84)
const EMPTY_MAP = Uint8Array.of(0xa0)
const NIL = Uint8Array.of(0xf6)

/**
 * Writes a COSE_Sign1 around an unprotected header already encoded (deterministic CBOR of a map). The array is
 * written by hand, as deterministic CBOR spells it: the log writes one per registration and per receipt, and
 * the generic encoder costs more than the rest of that work.
 */
export function encodeSign1WithUnprotected(
  parts: Omit<Sign1Parts, 'unprotectedHeader'>,
  unprotectedEncoded: Uint8Array,
  tagged = true,
): Uint8Array {
  const { protectedBytes, payload, signature } = parts
  return concatBytes([
    tagged ? TAGGED_HEAD : UNTAGGED_HEAD,
    byteStringHead(protectedBytes.length),
    protectedBytes,
    unprotectedEncoded,
    ...(payload === null ? [NIL] : [byteStringHead(payload.length), payload]),
    byteStringHead(signature.length),
    signature,
  ])
}

/**
 * Encodes a COSE_Sign1, tagged 18 unless `tagged` is false. The protected bytes are copied verbatim (never
 * re-encoded) so that the signature stays valid; the unprotected map is encoded deterministically.
 */
export function encodeSign1(parts: Sign1Parts, tagged = true): Uint8Array {
  const unprotected =
    parts.unprotectedHeader.size === 0 ? EMPTY_MAP : encodeDeterministic(parts.unprotectedHeader)
  return encodeSign1WithUnprotected(parts, unprotected, tagged)
}

/** The ToBeSigned bytes: CBOR ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4). */
export function sigStructure(
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  // Written by hand: it runs once per signature and is four fixed items, so a generic encoder only costs.
  const parts = [
    SIG_STRUCTURE_PREFIX,
    byteStringHead(protectedBytes.length),
    protectedBytes,
    byteStringHead(externalAad.length),
    externalAad,
    byteStringHead(payload.length),
    payload,
  ]
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** Options of `signSign1`. */
export interface SignSign1Options {
  readonly key: SigningKey
  /** Extra protected parameters; alg (1) and kid (4) are added from the key. */
  readonly protectedHeader?: LabelMap
  readonly unprotectedHeader?: LabelMap
  readonly payload: Uint8Array
  /** Leave the payload out of the message (nil); the verifier supplies it (RFC 9052 §4.1). */
  readonly detached?: boolean
  readonly externalAad?: Uint8Array
  /** Emit tag 18 (default true). */
  readonly tagged?: boolean
}

/**
 * Signs a COSE_Sign1. The protected bucket holds alg and kid of `key` plus `protectedHeader`, encoded
 * deterministically (RFC 8949 §4.2.1), so equal inputs give equal protected bytes.
 */
export function signSign1(options: SignSign1Options): Uint8Array {
  const { key } = options
  const algId = COSE_ALGORITHMS[key.alg].id
  const header = new Map<Label, unknown>([
    [HEADER.alg, algId],
    [HEADER.kid, key.kid],
  ])
  for (const [label, value] of options.protectedHeader ?? []) {
    if (label === HEADER.alg && value !== algId) {
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        `protectedHeader alg ${String(value)} differs from the key's ${key.alg} (${algId}).`,
      )
    }
    if (label === HEADER.kid) {
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        'Do not pass kid in protectedHeader: it comes from the key.',
      )
    }
    header.set(label, value)
  }
  const unprotected = new Map(options.unprotectedHeader ?? [])
  for (const label of unprotected.keys()) {
    if (header.has(label)) {
      throw new LedgerError(
        'LEDGER_BAD_ARGUMENT',
        `Label ${String(label)} cannot be in both header buckets (RFC 9052 §3).`,
      )
    }
  }
  const protectedBytes = encodeDeterministic(header)
  const toBeSigned = sigStructure(protectedBytes, options.externalAad ?? EMPTY, options.payload)
  const signature = signBytes(key.alg, key.privateKey, toBeSigned)
  return encodeSign1(
    {
      protectedBytes,
      unprotectedHeader: unprotected,
      payload: options.detached ? null : options.payload,
      signature,
    },
    options.tagged ?? true,
  )
}

/** Options of `verifySign1`. */
export interface VerifySign1Options extends DecodeSign1Options {
  /** The key the message must verify with; its algorithm must be the message's `alg`. */
  readonly key: VerificationKey
  readonly externalAad?: Uint8Array
  /** The payload of a message whose payload is detached (nil); refused when the payload is attached. */
  readonly detachedPayload?: Uint8Array
  /** Labels the caller processes and so may appear in `crit` (RFC 9052 §3.1). */
  readonly understoodCritical?: readonly Label[]
}

/** Checks `alg` (protected, known, bound to the key) and `crit`; throws on refusal. */
export function checkAlgorithmAndCrit(
  message: Sign1,
  key: VerificationKey,
  understood: readonly Label[],
): void {
  const alg = message.protectedHeader.get(HEADER.alg)
  if (alg === undefined) {
    const where = message.unprotectedHeader.has(HEADER.alg) ? ' (it is in the unprotected one)' : ''
    throw new LedgerError(
      'LEDGER_ALG_REFUSED',
      `The protected header must carry alg (label 1)${where}: an unprotected alg is not covered by the signature.`,
    )
  }
  const name = algorithmById(alg)
  if (name === undefined) {
    throw new LedgerError(
      'LEDGER_ALG_REFUSED',
      `Algorithm ${JSON.stringify(alg)} is not accepted; use ES256 (-7), ES384 (-35) or EdDSA (-8).`,
    )
  }
  if (name !== key.alg) {
    throw new LedgerError(
      'LEDGER_ALG_REFUSED',
      `The message says ${name} but the key is bound to ${key.alg} (RFC 9053 §2: one key, one algorithm).`,
    )
  }
  if (message.unprotectedHeader.has(HEADER.crit)) {
    throw malformed('crit (label 2) must be in the protected header (RFC 9052 §3.1).')
  }
  const crit = message.protectedHeader.get(HEADER.crit)
  if (crit === undefined) return
  if (!Array.isArray(crit) || crit.length === 0) {
    throw malformed('crit (label 2) must be a non-empty array of labels (RFC 9052 §3.1).')
  }
  for (const label of crit as unknown[]) {
    if (!understood.includes(label as Label)) {
      throw new LedgerError(
        'LEDGER_CRITICAL_UNSUPPORTED',
        `crit lists label ${JSON.stringify(label)}, which this verifier does not process.`,
      )
    }
    if (!message.protectedHeader.has(label as Label)) {
      throw malformed(
        `crit lists label ${JSON.stringify(label)}, which the protected header lacks.`,
      )
    }
  }
}

/** A message whose checks passed, with the bytes its signature must cover. */
interface SignedContent {
  readonly message: Sign1
  readonly toBeSigned: Uint8Array
}

/** Everything `verifySign1` checks except the signature itself; returns the ToBeSigned bytes. */
function checkedContent(input: Uint8Array | Sign1, options: VerifySign1Options): SignedContent {
  const message = input instanceof Uint8Array ? decodeSign1(input, options) : input
  if (!message.tagged && options.requireTag) {
    throw malformed(`The message must carry CBOR tag ${COSE_SIGN1_TAG} (COSE_Sign1).`)
  }
  checkAlgorithmAndCrit(message, options.key, options.understoodCritical ?? [])
  let payload: Uint8Array
  if (message.payload === null) {
    if (options.detachedPayload === undefined) {
      throw malformed('The payload is detached (nil): pass it as detachedPayload.')
    }
    payload = options.detachedPayload
  } else {
    if (options.detachedPayload !== undefined) {
      throw malformed('The payload is attached; a detachedPayload was also given.')
    }
    payload = message.payload
  }
  return {
    message,
    toBeSigned: sigStructure(message.protectedBytes, options.externalAad ?? EMPTY, payload),
  }
}

function signatureInvalid(): LedgerError {
  return new LedgerError(
    'LEDGER_SIGNATURE_INVALID',
    'The COSE_Sign1 signature does not verify with the given key (RFC 9052 §4.4).',
  )
}

/**
 * Verifies a COSE_Sign1 (bytes or already decoded) with `key` and returns it decoded. Throws
 * LEDGER_ALG_REFUSED, LEDGER_CRITICAL_UNSUPPORTED, LEDGER_COSE_MALFORMED or LEDGER_SIGNATURE_INVALID.
 */
export function verifySign1(input: Uint8Array | Sign1, options: VerifySign1Options): Sign1 {
  const { message, toBeSigned } = checkedContent(input, options)
  if (!verifyBytes(options.key.alg, options.key.publicKey, toBeSigned, message.signature)) {
    throw signatureInvalid()
  }
  return message
}

/**
 * `verifySign1` with the signature checked by `pool` (verify-pool.ts: worker threads), so that many
 * verifications in flight use every core while this thread goes on; the other checks run synchronously first
 * and throw as there. Without a pool the signature is checked on this thread.
 */
export async function verifySign1Async(
  input: Uint8Array | Sign1,
  options: VerifySign1Options,
  pool: VerifyPool = VERIFY_HERE,
): Promise<Sign1> {
  const { message, toBeSigned } = checkedContent(input, options)
  if (!(await pool.verify(options.key.alg, options.key.publicKey, toBeSigned, message.signature))) {
    throw signatureInvalid()
  }
  return message
}
