/**
 * @module The registration policy of the transparency log (RFC 9943 §5.1.1: a service registers only signed
 * statements that meet its policy). The issuer's signature is checked before the policy, against the pinned
 * issuer keys; the policy then bounds what a verified statement may be: size, content type of the preimage,
 * issuer, subject, algorithm, and an iat within the clock skew. A refusal is LEDGER_POLICY_REFUSED, with the
 * rule in the message (SCRAPI's "Rejected").
 */
import type { CoseAlgorithmName } from '../cose/algorithms.js'
import { LedgerError } from '../errors/ledger-error.js'
import type { VerifiedStatement } from '../statement/signed-statement.js'

/** What a statement must satisfy to be registered. Every field is optional; the defaults are listed. */
export interface RegistrationPolicy {
  /** Largest statement accepted, in bytes, checked before decoding. Default 16 KiB. */
  readonly maxStatementBytes?: number
  /** Accepted preimage content types (header 259), e.g. application/vcon-lifecycle+json. Default: any. */
  readonly contentTypes?: readonly string[]
  /** Accepted issuers (CWT iss). Default: any issuer whose key is pinned. */
  readonly issuers?: readonly string[]
  /** A pattern the CWT sub must match, e.g. /^urn:uuid:/. Default: any. */
  readonly subjectPattern?: RegExp
  /** Accepted signature algorithms. Default: ES256, ES384 and EdDSA. */
  readonly algorithms?: readonly CoseAlgorithmName[]
  /** Require the CWT iat claim. Default true: an auditor orders events and checks receipts by it. */
  readonly requireIat?: boolean
  /** How far iat may be ahead of the service's clock, in seconds. Default 60. */
  readonly maxClockSkewSeconds?: number
  /** How old iat may be, in seconds. Default: no limit (statements may be registered late, e.g. a backlog). */
  readonly maxAgeSeconds?: number
  /** A last check of the caller's own: return a reason to refuse, or undefined to accept. */
  readonly check?: (statement: VerifiedStatement) => string | undefined
}

/** Default largest statement: a lifecycle statement is about 300 bytes. */
export const DEFAULT_MAX_STATEMENT_BYTES = 16 * 1024
/** Default clock skew allowed for iat, in seconds. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60

function refuse(message: string): LedgerError {
  return new LedgerError('LEDGER_POLICY_REFUSED', message)
}

/** Refuses a statement larger than the policy's limit (before any decoding work). */
export function checkStatementSize(length: number, policy: RegistrationPolicy): void {
  const max = policy.maxStatementBytes ?? DEFAULT_MAX_STATEMENT_BYTES
  if (length > max) {
    throw refuse(`The signed statement is ${length} bytes; this log accepts at most ${max}.`)
  }
}

/** Throws LEDGER_POLICY_REFUSED when the verified statement breaks `policy`; `nowMs` is the service clock. */
export function checkRegistrationPolicy(
  statement: VerifiedStatement,
  policy: RegistrationPolicy,
  nowMs: number,
): void {
  if (policy.algorithms !== undefined && !policy.algorithms.includes(statement.alg)) {
    throw refuse(
      `Algorithm ${statement.alg} is not accepted; use one of ${policy.algorithms.join(', ')}.`,
    )
  }
  if (policy.issuers !== undefined && !policy.issuers.includes(statement.iss)) {
    throw refuse(`Issuer ${statement.iss} is not accepted by this log.`)
  }
  if (
    policy.contentTypes !== undefined &&
    !policy.contentTypes.includes(statement.preimageContentType)
  ) {
    throw refuse(
      `Preimage content type ${statement.preimageContentType} (header 259) is not accepted; use one of ${policy.contentTypes.join(', ')}.`,
    )
  }
  if (policy.subjectPattern !== undefined && !policy.subjectPattern.test(statement.sub)) {
    throw refuse(`Subject ${statement.sub} does not match ${String(policy.subjectPattern)}.`)
  }
  const now = Math.floor(nowMs / 1000)
  if (statement.iat === undefined) {
    if (policy.requireIat ?? true) throw refuse('The statement must carry iat (CWT claim 6).')
  } else {
    const skew = policy.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS
    if (statement.iat > now + skew) {
      throw refuse(
        `iat ${statement.iat} is ${statement.iat - now} s ahead of this log's clock; at most ${skew} s are allowed.`,
      )
    }
    if (policy.maxAgeSeconds !== undefined && statement.iat < now - policy.maxAgeSeconds) {
      throw refuse(
        `iat ${statement.iat} is older than ${policy.maxAgeSeconds} s; this log registers only recent statements.`,
      )
    }
  }
  const reason = policy.check?.(statement)
  if (reason !== undefined) throw refuse(reason)
}
