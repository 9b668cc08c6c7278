/**
 * @module vCon -> IndexFacts: the party, tag, date and full-text facts every Store adapter writes beside the stored
 * JSON. Pure and shared by the adapters, so SQLite and PostgreSQL index (and therefore find) exactly the same things.
 */
import { type Analysis, getTags, type Party, plainTranscript, type Vcon } from '@vconkit/vcon'
import type { IndexFacts } from '../ports/store.js'
import { deriveRefs } from './derive-refs.js'

/**
 * Upper bound of the full-text `text`, in UTF-16 code units. About 150 hours of speech; it bounds the work of
 * indexing one vCon and keeps PostgreSQL's tsvector under its 1 MB limit even for text of all-unique words.
 */
export const MAX_INDEX_TEXT = 256 * 1024

/** U+0000 cannot be stored in a PostgreSQL text column; JSON may carry it escaped ("\u0000"). */
function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value
}

/**
 * A telephone number as the index keeps it: only `+` and digits, with a `+` kept only in front, so
 * `tel:+1-555-123-0000`, `+1 (555) 123 0000` and `+1.555.123.0000` are one key. A `tel:` URI's parameters
 * (`;ext=`, RFC 3966 §3) are not part of the number. Empty when there are no digits.
 */
export function normaliseTel(value: string): string {
  let text = value.trim()
  if (/^tel:/i.test(text)) text = text.slice(4)
  const semicolon = text.indexOf(';')
  if (semicolon !== -1) text = text.slice(0, semicolon)
  const digits = text.replace(/\D/g, '')
  if (digits === '') return ''
  return text.trimStart().startsWith('+') ? `+${digits}` : digits
}

/** An email address as the index keeps it: lowercase, without `mailto:` or URI headers (RFC 6068 §2). */
export function normaliseMailto(value: string): string {
  let text = value.trim()
  if (/^mailto:/i.test(text)) text = text.slice(7)
  const question = text.indexOf('?')
  if (question !== -1) text = text.slice(0, question)
  return stripNul(text.trim().toLowerCase())
}

/** A party name as the index keeps it: trimmed, inner whitespace runs as one space, lowercase. */
export function normaliseName(value: string): string {
  return stripNul(value.trim().replace(/\s+/g, ' ').toLowerCase())
}

/**
 * A sip URI as the index keeps it: without `sip:` / `sips:`, the host lowercased (RFC 3261 §19.1.4 compares
 * scheme and host case-insensitively; the user part is kept as written).
 */
export function normaliseSip(value: string): string {
  const bare = stripNul(value.trim().replace(/^sips?:/i, ''))
  const at = bare.lastIndexOf('@')
  return at < 0 ? bare.toLowerCase() : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`
}

/** A DID as the index keeps it: trimmed only (a method-specific id is case-sensitive, W3C DID Core §3.1). */
export function normaliseDid(value: string): string {
  return stripNul(value.trim())
}

/** A date as the index keeps it (ISO 8601 UTC with milliseconds), or undefined when it is not one. */
export function normaliseDate(value: string): string | undefined {
  const time = Date.parse(value)
  if (Number.isNaN(time)) return undefined
  const iso = new Date(time).toISOString()
  // Years outside 0000-9999 print as ±YYYYYY, which would not sort as text; they are not real vCon dates.
  return iso.length === 24 ? iso : undefined
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))]
}

function partyValues(parties: readonly Party[], pick: (p: Party) => string | undefined): string[] {
  const out: string[] = []
  for (const party of parties) {
    if (party === null || typeof party !== 'object') continue
    const value = pick(party)
    if (value !== undefined) out.push(value)
  }
  return unique(out)
}

/** The text of a summary analysis: string bodies only (a JSON summary object has no one text to search). */
function summaryText(analysis: Analysis): string | undefined {
  if (analysis === null || typeof analysis !== 'object' || analysis.type !== 'summary')
    return undefined
  const body: unknown = analysis.body
  if (typeof body !== 'string') return undefined
  if (analysis.encoding === 'base64url') {
    try {
      return Buffer.from(body, 'base64url').toString('utf8')
    } catch {
      return undefined
    }
  }
  return body
}

/** Cuts at `max` code units without splitting a surrogate pair. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/**
 * The index facts of one vCon. `now` (epoch milliseconds) dates a vCon without a usable `created_at`; only then
 * does the result depend on it.
 */
export function deriveIndex(vcon: Vcon, now: () => number): IndexFacts {
  const parties: readonly Party[] = Array.isArray(vcon.parties) ? vcon.parties : []
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const tels = partyValues(parties, (p) => {
    const tel = str(p.tel)
    return tel === undefined ? undefined : normaliseTel(tel)
  })
  const mailtos = partyValues(parties, (p) => {
    const mailto = str(p.mailto)
    return mailto === undefined ? undefined : normaliseMailto(mailto)
  })
  const names = partyValues(parties, (p) => {
    const name = str(p.name)
    return name === undefined ? undefined : normaliseName(name)
  })
  const tags = unique(
    Object.entries(getTags(vcon)).map(([key, value]) => stripNul(`${key}:${value}`)),
  )
  const rawSubject = str(vcon.subject)
  const subject = rawSubject === undefined ? undefined : stripNul(rawSubject)
  const created = str(vcon.created_at)
  const createdAt =
    (created === undefined ? undefined : normaliseDate(created)) ?? new Date(now()).toISOString()

  const pieces: string[] = []
  if (subject !== undefined && subject.trim() !== '') pieces.push(subject)
  for (const party of parties) {
    const name = party !== null && typeof party === 'object' ? str(party.name) : undefined
    if (name !== undefined && name.trim() !== '') pieces.push(name.trim())
  }
  const transcript = plainTranscript(vcon).text
  if (transcript !== '') pieces.push(transcript)
  const analyses: readonly Analysis[] = Array.isArray(vcon.analysis) ? vcon.analysis : []
  for (const analysis of analyses) {
    const text = summaryText(analysis)
    if (text !== undefined && text.trim() !== '') pieces.push(text)
  }
  const text = bounded(stripNul(pieces.join('\n')), MAX_INDEX_TEXT)

  return { tels, mailtos, names, tags, subject, createdAt, text, refs: deriveRefs(vcon) }
}
