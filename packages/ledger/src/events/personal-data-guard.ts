/**
 * @module The guard that keeps personal data out of the log. A transparency log cannot forget (GDPR erasure
 * is impossible there, scitt.md §7), so an event document may hold only the fields below, each in a closed
 * format that cannot carry a phone number, an e-mail address or a name:
 *
 *   event        one of LIFECYCLE_EVENTS
 *   vcon_uuid    a lowercase UUID
 *   vcon_hash    64 lowercase hex digits (SHA-256)
 *   prev         64 lowercase hex digits, or null
 *   occurred_at  an RFC 3339 UTC timestamp as Date.prototype.toISOString writes it
 *   purposes     up to 16 short tokens (optional)
 *   reason       a short token (optional)
 */
import { LedgerError } from '../errors/ledger-error.js'
import { LIFECYCLE_EVENTS, MAX_PURPOSES, MAX_TOKEN_LENGTH, TOKEN } from './vocabulary.js'

/** The fields an event document may have. */
export const EVENT_FIELDS = [
  'event',
  'vcon_uuid',
  'vcon_hash',
  'prev',
  'occurred_at',
  'purposes',
  'reason',
] as const

const REQUIRED = ['event', 'vcon_uuid', 'vcon_hash', 'prev', 'occurred_at'] as const

/** A lowercase UUID (RFC 9562 §4 layout). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** A SHA-256 digest in lowercase hex. */
export const SHA256_HEX = /^[0-9a-f]{64}$/
/** What toISOString writes: YYYY-MM-DDTHH:MM:SS.sssZ. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const EMAIL = /[^\s@]+@[^\s@]+/
const PHONE_CHARS = /^[\d\s+().\-/]+$/
const DIGIT_RUN = /\d{6,}/

function refuse(message: string): never {
  throw new LedgerError('LEDGER_PERSONAL_DATA', message)
}

/** Why a string that failed its format looks personal, for the error message. */
function describe(value: string): string {
  if (EMAIL.test(value)) return 'looks like an e-mail address'
  const digits = value.replace(/\D/g, '').length
  if (digits >= 7 && (PHONE_CHARS.test(value) || DIGIT_RUN.test(value)))
    return 'looks like a phone number'
  if (/\s/.test(value) || /[A-Z]/.test(value) || /[^\x20-\x7e]/.test(value))
    return 'looks like free text or a name'
  return 'is not in the closed format of this field'
}

/** A reason or purpose: a short token without long digit runs (phone numbers, account numbers). */
function checkToken(value: unknown, where: string): void {
  if (typeof value !== 'string') refuse(`${where} must be a short token string.`)
  if (value.length > MAX_TOKEN_LENGTH || !TOKEN.test(value) || DIGIT_RUN.test(value)) {
    refuse(
      `${where} ${describe(value)}; use a token such as "retention_expired" (lowercase, no spaces).`,
    )
  }
}

function checkFormat(value: unknown, pattern: RegExp, where: string, example: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) {
    const what =
      typeof value === 'string' ? describe(value) : `is a ${value === null ? 'null' : typeof value}`
    refuse(`${where} ${what}; expected ${example}.`)
  }
}

/**
 * Throws LEDGER_PERSONAL_DATA unless `event` is a plain object with only the allowed fields, each in its
 * closed format (see the module comment). Run on every document before its digest is signed.
 */
export function assertNoPersonalData(event: unknown): void {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    refuse('A lifecycle event must be a JSON object.')
  }
  const proto = Object.getPrototypeOf(event)
  if (proto !== Object.prototype && proto !== null)
    refuse('A lifecycle event must be a plain object.')
  const record = event as Record<string, unknown>
  for (const field of Object.keys(record)) {
    if (!(EVENT_FIELDS as readonly string[]).includes(field)) {
      refuse(
        `Field "${field}" is not allowed in a lifecycle event; only ${EVENT_FIELDS.join(', ')} may enter the log.`,
      )
    }
  }
  for (const field of REQUIRED) {
    if (!(field in record)) refuse(`A lifecycle event must have "${field}".`)
  }
  if (!(LIFECYCLE_EVENTS as readonly unknown[]).includes(record.event)) {
    const value = record.event
    refuse(
      `"event" ${typeof value === 'string' ? describe(value) : 'is not a string'}; expected one of ${LIFECYCLE_EVENTS.join(', ')}.`,
    )
  }
  checkFormat(record.vcon_uuid, UUID, '"vcon_uuid"', 'a lowercase UUID')
  checkFormat(record.vcon_hash, SHA256_HEX, '"vcon_hash"', '64 lowercase hex digits')
  if (record.prev !== null)
    checkFormat(record.prev, SHA256_HEX, '"prev"', '64 lowercase hex digits or null')
  checkFormat(
    record.occurred_at,
    ISO_UTC,
    '"occurred_at"',
    'a UTC time such as 2026-05-04T10:00:00.000Z',
  )
  if ('reason' in record) checkToken(record.reason, '"reason"')
  if ('purposes' in record) {
    const purposes = record.purposes
    if (!Array.isArray(purposes) || purposes.length === 0 || purposes.length > MAX_PURPOSES) {
      refuse(`"purposes" must be a non-empty array of at most ${MAX_PURPOSES} tokens.`)
    }
    purposes.forEach((purpose, i) => {
      checkToken(purpose, `"purposes[${i}]"`)
    })
  }
}
