/**
 * @module Lifecycle events as signed statements, and the payload binding an auditor checks (scitt.md §4.1
 * step 3): the statement's payload is the JCS SHA-256 of the event document, 259 is the event media type,
 * sub is urn:uuid:<vcon_uuid>, and, when a vCon snapshot is at hand, vcon_hash is its JCS SHA-256.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import type { SigningKey } from '../keys/key-types.js'
import { createSignedStatement, type VerifiedStatement } from '../statement/signed-statement.js'
import { type CreatedLifecycleEvent, type LifecycleEvent, vconSubject } from './lifecycle-event.js'
import { assertNoPersonalData } from './personal-data-guard.js'
import { jcsSha256, vconDigest } from './vcon-digest.js'
import { LIFECYCLE_EVENT_MEDIA_TYPE } from './vocabulary.js'

/** Who signs a lifecycle statement, and when. */
export interface LifecycleStatementSigner {
  /** The issuer URI (CWT iss). */
  readonly iss: string
  readonly key: SigningKey
  /** Issued-at: a Date or whole seconds since the epoch. */
  readonly iat: Date | number
  /** Where the event document may be fetched from the registry (260); must not reveal personal data. */
  readonly payloadLocation?: string
}

/** Signs the hash-envelope statement of a created event (sub = urn:uuid:<vcon uuid>). */
export function createLifecycleStatement(
  created: CreatedLifecycleEvent,
  signer: LifecycleStatementSigner,
): Uint8Array {
  assertNoPersonalData(created.document)
  if (!bytesEqual(jcsSha256(created.document), created.payloadHash)) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'payloadHash is not the digest of the document.')
  }
  return createSignedStatement({
    payloadHash: created.payloadHash,
    preimageContentType: LIFECYCLE_EVENT_MEDIA_TYPE,
    iss: signer.iss,
    sub: created.subject,
    iat: signer.iat,
    key: signer.key,
    ...(signer.payloadLocation === undefined ? {} : { payloadLocation: signer.payloadLocation }),
  })
}

/**
 * Checks that `event` (from the registry) is the document a verified statement commits to, and optionally that
 * `vcon` is the snapshot it names. Throws LEDGER_EVENT_INVALID on any mismatch.
 */
export function checkEventBinding(
  event: unknown,
  statement: VerifiedStatement,
  vcon?: unknown,
): LifecycleEvent {
  assertNoPersonalData(event)
  const document = event as LifecycleEvent
  if (statement.preimageContentType !== LIFECYCLE_EVENT_MEDIA_TYPE) {
    throw new LedgerError(
      'LEDGER_EVENT_INVALID',
      `The statement is about ${statement.preimageContentType}, not a lifecycle event.`,
    )
  }
  if (
    statement.payloadHashAlg !== 'SHA-256' ||
    !bytesEqual(jcsSha256(document), statement.payloadHash)
  ) {
    throw new LedgerError(
      'LEDGER_EVENT_INVALID',
      'The event document is not the one the statement signs (JCS SHA-256 differs).',
    )
  }
  if (statement.sub !== vconSubject(document.vcon_uuid)) {
    throw new LedgerError(
      'LEDGER_EVENT_INVALID',
      `The statement subject ${statement.sub} is not the event's vCon.`,
    )
  }
  if (vcon !== undefined && vconDigest(vcon) !== document.vcon_hash) {
    throw new LedgerError(
      'LEDGER_EVENT_INVALID',
      "The vCon snapshot does not hash to the event's vcon_hash.",
    )
  }
  return document
}
