/**
 * @module Lifecycle event documents: the small JSON object that says what happened to a vCon, whose JCS
 * SHA-256 is the payload of the signed statement (hash envelope) that enters the log. The document itself
 * lives in the deletable registry; the log keeps only its digest (scitt.md §1.4, §7).
 */
import { LedgerError } from '../errors/ledger-error.js'
import { assertNoPersonalData, SHA256_HEX, UUID } from './personal-data-guard.js'
import { jcsSha256 } from './vcon-digest.js'
import { CONSENT_EVENTS, LIFECYCLE_EVENTS, type LifecycleEventName } from './vocabulary.js'

/** An event document, as serialised (snake_case JSON). */
export interface LifecycleEvent {
  readonly event: LifecycleEventName
  readonly vcon_uuid: string
  /** SHA-256 hex of the vCon's RFC 8785 canonical JSON after the event (see vconDigest). */
  readonly vcon_hash: string
  /** Digest of the previous event document for the same vCon, or null for the first one. */
  readonly prev: string | null
  readonly occurred_at: string
  readonly purposes?: readonly string[]
  readonly reason?: string
}

/** Inputs of `createLifecycleEvent`. */
export interface CreateLifecycleEventOptions {
  readonly event: LifecycleEventName
  readonly vconUuid: string
  /** vconDigest(vcon): lowercase SHA-256 hex. */
  readonly vconHash: string
  /** lifecycleEventDigest of the previous event for this vCon, or null. */
  readonly prev: string | null
  /** Purposes concerned (required for consent events); sorted and de-duplicated in the document. */
  readonly purposes?: readonly string[]
  /** Why (a token such as "retention_expired"). */
  readonly reason?: string
  /** When it happened. A string must be an RFC 3339 time; it is rewritten in UTC with milliseconds. */
  readonly occurredAt: Date | string
}

/** A built event and everything derived from it. */
export interface CreatedLifecycleEvent {
  readonly document: LifecycleEvent
  /** Lowercase hex SHA-256 of the JCS form: what the next event's `prev` names. */
  readonly digest: string
  /** The same digest as bytes: the statement payload. */
  readonly payloadHash: Uint8Array
  /** The statement subject: urn:uuid:<vcon uuid>. */
  readonly subject: string
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

function invalid(message: string): LedgerError {
  return new LedgerError('LEDGER_EVENT_INVALID', message)
}

/** The statement subject of a vCon: urn:uuid:<uuid> (RFC 9562 §4), never a phone number or name. */
export function vconSubject(vconUuid: string): string {
  const uuid = typeof vconUuid === 'string' ? vconUuid.toLowerCase() : ''
  if (!UUID.test(uuid)) throw invalid(`vconUuid ${JSON.stringify(vconUuid)} is not a UUID.`)
  return `urn:uuid:${uuid}`
}

function isoTime(value: Date | string): string {
  const date = value instanceof Date ? value : RFC3339.test(value) ? new Date(value) : undefined
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw invalid('occurredAt must be a Date or an RFC 3339 time such as 2026-05-04T10:00:00Z.')
  }
  return date.toISOString()
}

/** Lowercase hex SHA-256 of an event document's JCS form. */
export function lifecycleEventDigest(event: LifecycleEvent): string {
  return Buffer.from(jcsSha256(event)).toString('hex')
}

/**
 * Builds an event document, checks it with assertNoPersonalData, and returns it with its digest and the
 * statement subject. Throws LEDGER_EVENT_INVALID for malformed inputs, LEDGER_PERSONAL_DATA for anything that
 * could carry personal data.
 */
export function createLifecycleEvent(options: CreateLifecycleEventOptions): CreatedLifecycleEvent {
  if (!(LIFECYCLE_EVENTS as readonly string[]).includes(options.event)) {
    throw invalid(
      `Unknown lifecycle event ${JSON.stringify(options.event)}; use one of ${LIFECYCLE_EVENTS.join(', ')}.`,
    )
  }
  const subject = vconSubject(options.vconUuid)
  if (typeof options.vconHash !== 'string' || !SHA256_HEX.test(options.vconHash)) {
    throw invalid('vconHash must be 64 lowercase hex digits: use vconDigest(vcon).')
  }
  if (
    options.prev !== null &&
    (typeof options.prev !== 'string' || !SHA256_HEX.test(options.prev))
  ) {
    throw invalid('prev must be the 64-hex digest of the previous event, or null.')
  }
  if (options.event === 'vcon_created' && options.prev !== null) {
    throw invalid('vcon_created starts a vCon history: its prev must be null.')
  }
  const purposes =
    options.purposes === undefined ? undefined : [...new Set(options.purposes)].sort()
  if (CONSENT_EVENTS.includes(options.event) && (purposes === undefined || purposes.length === 0)) {
    throw invalid(`${options.event} must list the purposes the consent decision covers.`)
  }
  const document: LifecycleEvent = {
    event: options.event,
    vcon_uuid: subject.slice('urn:uuid:'.length),
    vcon_hash: options.vconHash,
    prev: options.prev,
    occurred_at: isoTime(options.occurredAt),
    ...(purposes === undefined || purposes.length === 0 ? {} : { purposes }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  }
  assertNoPersonalData(document)
  const payloadHash = jcsSha256(document)
  return { document, digest: Buffer.from(payloadHash).toString('hex'), payloadHash, subject }
}
