/**
 * @module Transparent statements (RFC 9943): a signed statement carrying, in its unprotected header under
 * `receipts` (394), an array of receipts, each a byte string wrapping a tagged COSE_Sign1 (RFC 9942 §4.3). The
 * unprotected header is not signed and the leaf rule empties it, so attaching receipts changes neither the
 * issuer's signature nor the leaf. Verification gives one verdict per receipt (RFC 9942 §5.2 advice).
 */
import type { Label } from '../cbor/label-map.js'
import { HEADER } from '../cose/header-labels.js'
import { decodeSign1, encodeSign1, type Sign1 } from '../cose/sign1.js'
import { isLedgerError, LedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import type { VerificationKey } from '../keys/key-types.js'
import { statementLeafHash } from '../statement/leaf.js'
import { type VerifiedStatement, verifySignedStatement } from '../statement/signed-statement.js'
import { type VerifiedReceipt, verifyReceipt } from './inclusion-receipt.js'

function receiptsArray(message: Sign1): readonly unknown[] {
  const value = message.unprotectedHeader.get(HEADER.receipts)
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    throw new LedgerError(
      'LEDGER_COSE_MALFORMED',
      'receipts (394) must be an array of byte strings (RFC 9942 §4.3).',
    )
  }
  return value
}

/** The receipts (394) of a statement, as bytes; [] when it has none. */
export function receiptsOf(statement: Uint8Array | Sign1): Uint8Array[] {
  const message =
    statement instanceof Uint8Array ? decodeSign1(statement, { requireTag: true }) : statement
  return receiptsArray(message).map((entry, i) => {
    if (!(entry instanceof Uint8Array)) {
      throw new LedgerError('LEDGER_COSE_MALFORMED', `Receipt ${i} under 394 is not a byte string.`)
    }
    return entry
  })
}

/**
 * Returns the statement with `receipt` appended to its receipts (394); other unprotected parameters and the
 * protected bytes, payload and signature are kept as received. The receipt must be a tagged COSE_Sign1.
 */
export function attachReceipt(statement: Uint8Array, receipt: Uint8Array): Uint8Array {
  const message = decodeSign1(statement, { requireTag: true })
  decodeSign1(receipt, { requireTag: true })
  const unprotected = new Map<Label, unknown>(message.unprotectedHeader)
  unprotected.set(HEADER.receipts, [...receiptsOf(message), receipt])
  return encodeSign1({ ...message, unprotectedHeader: unprotected }, true)
}

/** The verdict on one receipt of a transparent statement. */
export type ReceiptVerdict =
  | { readonly index: number; readonly valid: true; readonly receipt: VerifiedReceipt }
  | {
      readonly index: number
      readonly valid: false
      readonly code: LedgerErrorCode
      readonly reason: string
    }

/** Options of `verifyTransparentStatement`. */
export interface VerifyTransparentStatementOptions {
  readonly issuerKeys: readonly VerificationKey[]
  readonly logKeys: readonly VerificationKey[]
  /** When set, every receipt's CWT iss must equal it. */
  readonly logIssuer?: string
  readonly expectedPreimageContentType?: string
}

/** The result of verifying a transparent statement. */
export interface TransparentStatementVerdict {
  readonly statement: VerifiedStatement
  /** The leaf hash under this ledger's leaf rule (statement with an empty unprotected header). */
  readonly leafHash: Uint8Array
  readonly receipts: readonly ReceiptVerdict[]
  /** True when there is at least one receipt and every receipt verified. */
  readonly valid: boolean
}

/**
 * Verifies a transparent statement: the signed statement itself (throws LedgerError if it does not verify:
 * without a valid statement no receipt means anything), then each receipt under 394 against the statement's
 * leaf hash, one verdict each with the reason on failure.
 */
export function verifyTransparentStatement(
  bytes: Uint8Array,
  options: VerifyTransparentStatementOptions,
): TransparentStatementVerdict {
  const message = decodeSign1(bytes, { requireTag: true })
  const statement = verifySignedStatement(message, {
    issuerKeys: options.issuerKeys,
    ...(options.expectedPreimageContentType === undefined
      ? {}
      : { expectedPreimageContentType: options.expectedPreimageContentType }),
  })
  const leafHash = statementLeafHash(message)
  const receipts = receiptsArray(message).map((entry, index): ReceiptVerdict => {
    try {
      if (!(entry instanceof Uint8Array)) {
        throw new LedgerError(
          'LEDGER_COSE_MALFORMED',
          'The receipt is not a byte string wrapping a COSE_Sign1.',
        )
      }
      const receipt = verifyReceipt(entry, {
        leafHash,
        logKeys: options.logKeys,
        ...(options.logIssuer === undefined ? {} : { issuer: options.logIssuer }),
      })
      return { index, valid: true, receipt }
    } catch (error) {
      if (!isLedgerError(error)) throw error
      return { index, valid: false, code: error.code, reason: error.message }
    }
  })
  return {
    statement,
    leafHash,
    receipts,
    valid: receipts.length > 0 && receipts.every((r) => r.valid),
  }
}
