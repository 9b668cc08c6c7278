/**
 * @module Argument checks and conversions shared by the vCon builder: dates, indices, content (inline body +
 * encoding, or url + content_hash, core draft §2.4.1–§2.4.2), party_history and session_id.
 */
import { VconError } from '../errors/vcon-error.js'
import type {
  ContentHash,
  DialogParties,
  DialogSessionId,
  Disposition,
  Encoding,
  JsonValue,
  PartyEventType,
} from '../model/vcon.js'
import { DISPOSITIONS, PARTY_EVENTS } from '../model/vocabulary.js'
import {
  HASH_DIGEST_LENGTHS,
  isBase64url,
  isDate,
  isHttpsUrl,
  isMediatype,
  isObject,
  isUnsignedInt,
  isUuidSyntax,
  parseContentHashToken,
} from '../validate/primitives.js'
import { cloneJson } from './clone-json.js'

/** A Date, or an RFC 3339 date-time string with a zone designator. */
export type DateInput = string | Date

/** One `party_history` entry as the builder takes it (`time` may be a Date). */
export interface PartyHistoryInput {
  readonly party: number
  readonly time: DateInput
  readonly event: PartyEventType
  /** Required for keydown and keyup (core draft §4.3.13). */
  readonly button?: string
}

/** Throws the builder's argument error. */
export function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/** A Date becomes ISO 8601 in UTC ("Z"); a string must already be an RFC 3339 date-time with a zone. */
export function toDateString(value: DateInput, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) bad(`\`${field}\` is an invalid Date.`)
    return value.toISOString()
  }
  if (typeof value !== 'string' || !isDate(value)) {
    bad(
      `\`${field}\` must be a Date or an RFC 3339 date-time with a zone, e.g. "2025-01-02T12:00:00Z".`,
    )
  }
  return value
}

/** Checks an index into an array of `length` items. */
export function checkIndex(value: unknown, length: number, field: string, what: string): number {
  if (!isUnsignedInt(value))
    bad(`\`${field}\` must be a non-negative integer index (got ${String(value)}).`)
  if (value >= length) {
    bad(
      `\`${field}\` is ${value} but there ${length === 1 ? 'is' : 'are'} only ${length} ${what}; add it first.`,
    )
  }
  return value
}

/** Checks one index or a non-empty list of indices; returns a copy. */
export function checkIndices(
  value: number | readonly number[],
  length: number,
  field: string,
  what: string,
): number | number[] {
  if (!Array.isArray(value)) return checkIndex(value, length, field, what)
  if (value.length === 0) bad(`\`${field}\` must not be an empty list.`)
  return value.map((v, i) => checkIndex(v, length, `${field}[${i}]`, what))
}

/** Checks dialog `parties` (an index, or one entry per channel: an index, indices or null). */
export function checkDialogParties(
  value: DialogParties,
  partyCount: number,
  field: string,
): DialogParties {
  if (!Array.isArray(value)) return checkIndex(value, partyCount, field, 'parties')
  return value.map((channel: unknown, i: number) => {
    if (channel === null) return null
    if (Array.isArray(channel)) {
      return channel.map((p: unknown, j: number) =>
        checkIndex(p, partyCount, `${field}[${i}][${j}]`, 'parties'),
      )
    }
    return checkIndex(channel, partyCount, `${field}[${i}]`, 'parties')
  })
}

/** Checks a mediatype string. */
export function checkMediatype(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isMediatype(value)) {
    bad(
      `\`${field}\` must be a media type such as "audio/wav" or "text/plain" (got ${JSON.stringify(value)}).`,
    )
  }
  return value
}

/** Checks a non-empty string. */
export function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0)
    bad(`\`${field}\` must be a non-empty string.`)
  return value
}

function checkContentHash(value: ContentHash | undefined, field: string): ContentHash {
  const tokens = typeof value === 'string' ? [value] : value
  if (!Array.isArray(tokens) || tokens.length === 0) {
    bad(
      `\`${field}\` is required with a url: give "sha512-<base64url digest>" of the referenced bytes.`,
    )
  }
  for (const token of tokens) {
    const parsed = typeof token === 'string' ? parseContentHashToken(token) : undefined
    if (parsed === undefined) {
      bad(
        `\`${field}\` must be "<alg>-<base64url digest>", e.g. "sha512-…" (got ${JSON.stringify(token)}).`,
      )
    }
    const length = HASH_DIGEST_LENGTHS[parsed.alg]
    if (length !== undefined && parsed.digest.length !== length) {
      bad(
        `\`${field}\`: a ${parsed.alg} digest is ${length} base64url characters, not ${parsed.digest.length}.`,
      )
    }
  }
  return typeof value === 'string' ? value : [...tokens]
}

/** Checks an external reference: an https url plus its content_hash (core draft §2.4.2). */
export function externalFields(
  url: unknown,
  contentHash: ContentHash | undefined,
  field: string,
): { url: string; content_hash: ContentHash } {
  if (typeof url !== 'string' || !isHttpsUrl(url)) {
    bad(
      `\`${field}.url\` must be an absolute https URL (core draft §2.4.2); got ${JSON.stringify(url)}.`,
    )
  }
  return { url, content_hash: checkContentHash(contentHash, `${field}.contentHash`) }
}

/** Content as the builder takes it: inline `body` or external `url` + `contentHash`, never both. */
export interface ContentInput {
  readonly body?: unknown
  readonly encoding?: Encoding
  readonly url?: string
  readonly contentHash?: ContentHash
}

/** What kinds of inline body a caller may give. */
export interface ContentRules {
  /** Native JSON bodies (encoding "json") are allowed: analysis and attachments. */
  readonly json: boolean
  /** A string body is already base64url text (recordings), not text to carry as is. */
  readonly stringIsBase64url?: boolean
}

/**
 * Turns inline or external content into vCon fields (body + encoding, or url + content_hash). Bytes become
 * unpadded base64url (RFC 7515 §2); a non-string JSON value is carried natively with encoding "json" (core-03,
 * notes §g.5); a string is carried as is with encoding "none" unless told otherwise.
 */
export function contentFields(
  input: ContentInput,
  field: string,
  rules: ContentRules,
): Record<string, JsonValue> {
  const hasBody = input.body !== undefined
  const hasUrl = input.url !== undefined
  if (hasBody && hasUrl)
    bad(`\`${field}\`: give either \`body\` (inline) or \`url\` + \`contentHash\`, not both.`)
  if (!hasBody && !hasUrl)
    bad(`\`${field}\` needs content: \`body\`, or \`url\` + \`contentHash\`.`)
  if (hasUrl) {
    if (input.encoding !== undefined) bad(`\`${field}.encoding\` only applies to an inline body.`)
    return externalFields(input.url, input.contentHash, field)
  }
  if (input.contentHash !== undefined) bad(`\`${field}.contentHash\` only applies with a \`url\`.`)
  const body = input.body
  if (body instanceof Uint8Array) {
    if (input.encoding !== undefined && input.encoding !== 'base64url') {
      bad(`\`${field}.encoding\`: bytes are always written as base64url.`)
    }
    return {
      body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64url'),
      encoding: 'base64url',
    }
  }
  if (typeof body === 'string') {
    const encoding = input.encoding ?? (rules.stringIsBase64url ? 'base64url' : 'none')
    if (encoding === 'base64url') {
      if (!isBase64url(body))
        bad(`\`${field}.body\` is not unpadded base64url text; pass the raw bytes instead.`)
      return { body, encoding }
    }
    if (rules.stringIsBase64url)
      bad(`\`${field}.body\`: a string body here must be base64url text.`)
    if (encoding === 'json') {
      if (!rules.json) bad(`\`${field}.encoding\` "json" is not allowed here.`)
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        bad(`\`${field}.body\` has encoding "json" but does not parse as JSON.`)
      }
      // Emit the native value (notes §g.5): the draft's examples and core-03 carry JSON bodies natively.
      return { body: cloneJson(parsed, `${field}.body`), encoding: 'json' }
    }
    if (encoding !== 'none') bad(`\`${field}.encoding\` must be "none", "base64url" or "json".`)
    return { body, encoding }
  }
  if (!rules.json) bad(`\`${field}.body\` must be a string or bytes (Uint8Array).`)
  if (input.encoding !== undefined && input.encoding !== 'json') {
    bad(`\`${field}.encoding\`: a non-string body is written with encoding "json".`)
  }
  return { body: cloneJson(body, `${field}.body`), encoding: 'json' }
}

/** Checks and copies `party_history` (core draft §4.3.13). */
export function partyHistoryFields(
  entries: readonly PartyHistoryInput[],
  partyCount: number,
  field: string,
): JsonValue[] {
  if (!Array.isArray(entries)) bad(`\`${field}\` must be an array of {party, time, event}.`)
  return entries.map((entry, i) => {
    const at = `${field}[${i}]`
    const party = checkIndex(entry.party, partyCount, `${at}.party`, 'parties')
    const time = toDateString(entry.time, `${at}.time`)
    if (!PARTY_EVENTS.includes(entry.event)) {
      bad(`\`${at}.event\` must be one of ${PARTY_EVENTS.join(', ')}.`)
    }
    const out: Record<string, JsonValue> = { party, time, event: entry.event }
    if (entry.event === 'keydown' || entry.event === 'keyup') {
      out.button = checkText(entry.button, `${at}.button`)
    } else if (entry.button !== undefined) {
      out.button = checkText(entry.button, `${at}.button`)
    }
    return out
  })
}

/** Checks and copies `session_id`: one {local, remote} object, or an array mirroring `parties`. */
export function sessionIdFields(value: DialogSessionId, field: string): JsonValue {
  const check = (item: unknown, at: string): void => {
    if (!isObject(item)) bad(`\`${at}\` must be a {local, remote} object ({} when unknown).`)
    for (const key of ['local', 'remote'] as const) {
      const v = item[key]
      if (v !== undefined && typeof v !== 'string') bad(`\`${at}.${key}\` must be a string.`)
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i: number) => {
      if (!Array.isArray(item)) {
        check(item, `${field}[${i}]`)
        return
      }
      item.forEach((inner: unknown, j: number) => {
        check(inner, `${field}[${i}][${j}]`)
      })
    })
  } else {
    check(value, field)
  }
  return cloneJson(value, field)
}

/** Checks an incomplete dialog's disposition (core draft §4.3.11). */
export function checkDisposition(value: unknown, field: string): Disposition {
  if (!DISPOSITIONS.includes(value as Disposition)) {
    bad(`\`${field}\` must be one of ${DISPOSITIONS.join(', ')} (got ${JSON.stringify(value)}).`)
  }
  return value as Disposition
}

/** Checks a duration in seconds (UnsignedInt or UnsignedFloat). */
export function checkDuration(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    bad(`\`${field}\` must be a number of seconds ≥ 0.`)
  }
  return value
}

/** Adds extension fields to an object being built; they may not replace a field the builder set. */
export function addExtra(
  target: Record<string, JsonValue>,
  extra: Readonly<Record<string, unknown>> | undefined,
  field: string,
): void {
  if (extra === undefined) return
  if (!isObject(extra)) bad(`\`${field}\` must be an object of extension fields.`)
  const copy = cloneJson(extra, field) as Record<string, JsonValue>
  for (const key of Object.keys(copy)) {
    if (Object.hasOwn(target, key)) {
      bad(`\`${field}.${key}\` repeats a field the builder sets; use the option for it instead.`)
    }
    Object.defineProperty(target, key, {
      value: copy[key],
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
}

/** Checks a uuid's 8-4-4-4-12 hex syntax. */
export function checkUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUuidSyntax(value))
    bad(`\`${field}\` must be an 8-4-4-4-12 hex UUID.`)
  return value
}
