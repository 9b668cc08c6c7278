/**
 * @module Finding the trusted key a COSE_Sign1 was signed with, by the `kid` of its protected header. Only the
 * protected kid is used: an unprotected kid could be rewritten by anyone on the path (RFC 9052 §3.1).
 */
import { LedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { findKeyByKid } from '../keys/key-set.js'
import type { VerificationKey } from '../keys/key-types.js'
import { HEADER } from './header-labels.js'
import type { Sign1 } from './sign1.js'

/** The protected kid (a byte string, RFC 9052 §3.1); throws with `code` when missing or not a bstr. */
export function protectedKid(message: Sign1, what: string, code: LedgerErrorCode): Uint8Array {
  const kid = message.protectedHeader.get(HEADER.kid)
  if (!(kid instanceof Uint8Array)) {
    throw new LedgerError(
      code,
      kid === undefined
        ? `The ${what} must carry kid (label 4) in its protected header.`
        : `The kid (label 4) of the ${what} must be a byte string (RFC 9052 §3.1).`,
    )
  }
  return kid
}

/** The key of `keys` matching the message's protected kid; LEDGER_KEY_UNKNOWN when none does. */
export function resolveKey<K extends VerificationKey>(
  message: Sign1,
  keys: readonly K[],
  what: string,
  code: LedgerErrorCode,
): K {
  const kid = protectedKid(message, what, code)
  const key = findKeyByKid(keys, kid)
  if (key === undefined) {
    throw new LedgerError(
      'LEDGER_KEY_UNKNOWN',
      `No trusted key has kid ${toHex(kid)} (the ${what}'s signer); pin that key to accept it.`,
    )
  }
  return key
}
