/**
 * @module The package's one error class, with a stable code from a closed set (design §4).
 */

/** Every code a `LedgerError` can carry. The strings are stable: callers and the HTTP layer switch on them. */
export type LedgerErrorCode =
  /** An argument given to a library function is wrong (a programming error on the caller's side). */
  | 'LEDGER_BAD_ARGUMENT'
  /**
   * The bytes are not the strict CBOR this library accepts: malformed, trailing bytes, indefinite lengths,
   * integers or lengths not in their shortest form, duplicate map keys, floats, unexpected tags, invalid UTF-8
   * (RFC 8949 §4.2.1, §5.6).
   */
  | 'LEDGER_CBOR_INVALID'
  /**
   * The CBOR is well formed but not the COSE structure expected: not a tagged four-element COSE_Sign1
   * (RFC 9052 §4.2), a header of the wrong type, a label in both buckets, a missing or unexpected payload.
   */
  | 'LEDGER_COSE_MALFORMED'
  /**
   * The signature algorithm is refused: unknown, not in the protected header, or not the algorithm the key is
   * bound to (RFC 9052 §3.1, RFC 9053 §2).
   */
  | 'LEDGER_ALG_REFUSED'
  /** A `crit` header lists a label this library does not process (RFC 9052 §3.1). */
  | 'LEDGER_CRITICAL_UNSUPPORTED'
  /** The `kid` of a signed object names no key in the trusted set: pin the signer's key to accept it. */
  | 'LEDGER_KEY_UNKNOWN'
  /** A COSE_Key or key object is malformed or of a type/curve this library does not support (RFC 9053 §7). */
  | 'LEDGER_KEY_INVALID'
  /** The COSE_Sign1 signature does not verify over its Sig_structure (RFC 9052 §4.4). Trust nothing in it. */
  | 'LEDGER_SIGNATURE_INVALID'
  /**
   * A signed statement lacks or misuses a header this profile requires: CWT claims (RFC 9597), iss/sub, kid,
   * or the hash envelope parameters (RFC 9995); or its issuer is not the one its key is pinned to.
   */
  | 'LEDGER_STATEMENT_INVALID'
  /** A receipt names a verifiable data structure other than RFC9162_SHA256 (RFC 9942 §5, vds 395 = 1). */
  | 'LEDGER_VDS_UNSUPPORTED'
  /**
   * A receipt or proof is malformed or does not lead to a root the log signed: wrong sizes, hash lengths,
   * unconsumed path elements, or a different root (RFC 9162 §2.1.3.2, §2.1.4.2; RFC 9942 §5).
   */
  | 'LEDGER_PROOF_INVALID'
  /** A signed checkpoint is malformed, or two checkpoints contradict an append-only history. */
  | 'LEDGER_CHECKPOINT_INVALID'
  /** A lifecycle event document is malformed: unknown event name, bad uuid, digest or date. */
  | 'LEDGER_EVENT_INVALID'
  /**
   * A lifecycle event carries a field outside the allowed set or a value that looks like personal data (a phone
   * number, an e-mail address, free text). The log cannot forget, so nothing personal may enter it.
   */
  | 'LEDGER_PERSONAL_DATA'
  /** A node store is missing a node the tree needs, or holds an inconsistent leaf count. */
  | 'LEDGER_STORE_CORRUPT'
  /**
   * The transparency service refuses to register a statement that verifies but breaks its registration policy
   * (RFC 9943 §5.1.1): too large, a content type, issuer, subject or algorithm it does not accept, or an iat
   * missing, in the future beyond the allowed clock skew, or too old. SCRAPI's "Rejected".
   */
  | 'LEDGER_POLICY_REFUSED'
  /**
   * The log key is retired (replaced by a rotation): the service may no longer sign with it. Configure the
   * current key; retired keys stay published so that old receipts remain verifiable.
   */
  | 'LEDGER_KEY_RETIRED'

/** Fields of a `LedgerError` besides its message. */
export interface LedgerErrorOptions {
  readonly cause?: unknown
}

/**
 * The error every function of @vconkit/ledger throws. `message` says what is wrong and what to do.
 */
export class LedgerError extends Error {
  readonly code: LedgerErrorCode

  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'LedgerError'
    this.code = code
  }
}

/** Narrows an unknown thrown value to a `LedgerError`. */
export function isLedgerError(value: unknown): value is LedgerError {
  return value instanceof LedgerError
}
