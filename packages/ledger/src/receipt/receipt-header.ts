/**
 * @module What every receipt of this ledger shares (RFC 9942 §5, RFC 9943): a tagged COSE_Sign1 by the log
 * key whose protected header carries alg, kid, typ = application/scitt-receipt+cose, CWT claims (15) with the
 * service's iss (and iat, the registration time) and vds (395) = 1 (RFC9162_SHA256); the proofs sit in the
 * unprotected vdp map (396); the payload is detached and is the Merkle root the proof leads to.
 */
import { type Label, type MapContext, optionalMap } from '../cbor/label-map.js'
import { HEADER, MEDIA_TYPE, VDS_RFC9162_SHA256 } from '../cose/header-labels.js'
import { resolveKey } from '../cose/resolve-key.js'
import { type Sign1, verifySign1, verifySign1Async } from '../cose/sign1.js'
import type { VerifyPool } from '../cose/verify-pool.js'
import { LedgerError } from '../errors/ledger-error.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { cwtClaimsMap, numericDate, readCwtClaims } from '../statement/cwt-claims.js'

/** Who signs a receipt, and when. */
export interface ReceiptSigner {
  /** The transparency service's identity (CWT iss), e.g. its https origin. */
  readonly issuer: string
  /** Registration time (CWT iat): a Date or whole seconds since the epoch. Omitted when absent. */
  readonly issuedAt?: Date | number
  /** The log key. */
  readonly key: SigningKey
}

/** Labels a receipt's `crit` may list. */
export const RECEIPT_UNDERSTOOD: readonly Label[] = [
  HEADER.kid,
  HEADER.cwtClaims,
  HEADER.typ,
  HEADER.vds,
]

/** The protected header parameters (besides alg and kid) of a receipt. */
export function receiptProtectedHeader(signer: ReceiptSigner): Map<Label, unknown> {
  if (typeof signer.issuer !== 'string' || signer.issuer.length === 0) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'The receipt issuer must be a non-empty string.')
  }
  const iat = signer.issuedAt === undefined ? undefined : numericDate(signer.issuedAt, 'issuedAt')
  return new Map<Label, unknown>([
    [HEADER.typ, MEDIA_TYPE.receipt],
    [
      HEADER.cwtClaims,
      cwtClaimsMap(iat === undefined ? { iss: signer.issuer } : { iss: signer.issuer, iat }),
    ],
    [HEADER.vds, VDS_RFC9162_SHA256],
  ])
}

/** The service identity and registration time a receipt states. */
export interface ReceiptClaims {
  readonly iss: string
  readonly iat?: number
}

const CTX: MapContext = { where: 'protected header of the receipt', code: 'LEDGER_PROOF_INVALID' }

/**
 * Checks the shared receipt layout and returns the proofs listed under `kind` (-1 inclusion, -2 consistency)
 * and the claims. Exactly one proof of that kind and no proof of another kind are accepted: a receipt proves
 * one thing, which keeps "one boolean per receipt" (RFC 9942 §5.2) meaningful.
 */
export function readReceipt(
  message: Sign1,
  kind: -1 | -2,
  expectedIssuer: string | undefined,
): { proof: unknown; claims: ReceiptClaims } {
  if (!message.tagged)
    throw new LedgerError(
      'LEDGER_COSE_MALFORMED',
      'Receipts must be tagged COSE_Sign1 (RFC 9942 §4.3).',
    )
  const p = message.protectedHeader
  const vds = p.get(HEADER.vds)
  if (vds !== VDS_RFC9162_SHA256) {
    throw new LedgerError(
      'LEDGER_VDS_UNSUPPORTED',
      vds === undefined
        ? 'The receipt has no vds (395) in its protected header (RFC 9942 §5).'
        : `The receipt uses verifiable data structure ${JSON.stringify(vds)}; only RFC9162_SHA256 (1) is supported.`,
    )
  }
  const typ = p.get(HEADER.typ)
  if (typ !== undefined && typ !== MEDIA_TYPE.receipt) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `typ (16) is ${JSON.stringify(typ)}, not ${MEDIA_TYPE.receipt}.`,
    )
  }
  if (message.unprotectedHeader.has(HEADER.cwtClaims)) {
    throw new LedgerError('LEDGER_PROOF_INVALID', 'The CWT claims of a receipt must be protected.')
  }
  const claimsMap = optionalMap(p, HEADER.cwtClaims, CTX)
  if (claimsMap === undefined) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      'The receipt must carry CWT claims (15) with the service iss.',
    )
  }
  const claims = readCwtClaims(claimsMap, { ...CTX, where: 'receipt' })
  if (expectedIssuer !== undefined && claims.iss !== expectedIssuer) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The receipt was issued by ${claims.iss}, not ${expectedIssuer}.`,
    )
  }
  if (message.payload !== null) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      'The receipt payload must be detached: the verifier recomputes the root (RFC 9942 §5.2).',
    )
  }
  const vdp = optionalMap(message.unprotectedHeader, HEADER.vdp, {
    where: 'unprotected header of the receipt',
    code: 'LEDGER_PROOF_INVALID',
  })
  if (vdp === undefined)
    throw new LedgerError('LEDGER_PROOF_INVALID', 'The receipt has no proofs (396).')
  for (const label of vdp.keys()) {
    if (label !== kind) {
      throw new LedgerError(
        'LEDGER_PROOF_INVALID',
        `The receipt's proofs hold label ${String(label)}; a ${kind === -1 ? 'inclusion' : 'consistency'} receipt holds only ${kind}.`,
      )
    }
  }
  const proofs = vdp.get(kind)
  if (!Array.isArray(proofs) || proofs.length !== 1) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The receipt must hold exactly one proof under ${kind}.`,
    )
  }
  return { proof: proofs[0], claims }
}

/** The pinned log key named by the receipt's kid, checked against the receipt's iss. */
function receiptKey(
  message: Sign1,
  logKeys: readonly VerificationKey[],
  claims: ReceiptClaims,
): VerificationKey {
  const key = resolveKey(message, logKeys, 'receipt', 'LEDGER_PROOF_INVALID')
  if (key.iss !== undefined && key.iss !== claims.iss) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The receipt names service ${claims.iss}, but its key is pinned to ${key.iss}.`,
    )
  }
  return key
}

/** Verifies the receipt signature over the recomputed `root` with the pinned log key named by kid. */
export function verifyReceiptSignature(
  message: Sign1,
  logKeys: readonly VerificationKey[],
  root: Uint8Array,
  claims: ReceiptClaims,
): VerificationKey {
  const key = receiptKey(message, logKeys, claims)
  verifySign1(message, { key, detachedPayload: root, understoodCritical: RECEIPT_UNDERSTOOD })
  return key
}

/** `verifyReceiptSignature` with the signature checked by `pool` (see `verifySign1Async`). */
export async function verifyReceiptSignatureAsync(
  message: Sign1,
  logKeys: readonly VerificationKey[],
  root: Uint8Array,
  claims: ReceiptClaims,
  pool?: VerifyPool,
): Promise<VerificationKey> {
  const key = receiptKey(message, logKeys, claims)
  await verifySign1Async(
    message,
    { key, detachedPayload: root, understoodCritical: RECEIPT_UNDERSTOOD },
    pool,
  )
  return key
}
