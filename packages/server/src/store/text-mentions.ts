/**
 * @module Identifiers written inside text ("call me on +1 555 0100", "alice@example.com"): found with small
 * patterns and normalised like party identifiers (derive-index.ts), so that the index can list the vCons whose
 * transcripts mention a number and the subject finder can confirm each mention (GDPR Art. 15: data about a
 * person is also what was said about them, not only the party list).
 */
import { normaliseDid, normaliseMailto, normaliseSip, normaliseTel } from './derive-index.js'

export type MentionKind = 'tel' | 'mailto' | 'sip' | 'did'

/** One identifier found in a text, normalised. */
export interface Mention {
  readonly kind: MentionKind
  readonly value: string
}

/**
 * A telephone number in running text: an optional `+`, then digits, spaces, dots, dashes and parentheses (RFC 3966
 * visual separators), ending on a digit that no letter, digit or `@` follows. The run is bounded, and a match only
 * starts where no word character or `+` comes before, so that scanning stays linear on hostile input. Between 7
 * and 15 digits (E.164 allows at most 15); shorter runs are amounts, times and order numbers far more often.
 * Two numbers separated by a single space read as one run (a known limit).
 */
const TEL = /(?<![\w+])\+?[\d(][\d ().-]{0,40}\d(?![\w@])/g
const MIN_TEL_DIGITS = 7
const MAX_TEL_DIGITS = 15
/** An email address (the common shape of RFC 5322 addr-spec; quoted local parts are not looked for). */
const MAILTO = /(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g
/** A sip or sips URI (RFC 3261 §19.1): optional user part, then the host; parameters are not part of it. */
const SIP = /\bsips?:(?:[\w.~%!$&'*+=-]{1,64}@)?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}/gi
/** A DID (W3C DID Core §3.1): did:method:method-specific-id, ending on a letter or digit. */
const DID = /\bdid:[a-z0-9]{1,40}:[\w.:%-]{0,200}[A-Za-z0-9]/g

function digitCount(text: string): number {
  let n = 0
  for (const c of text) if (c >= '0' && c <= '9') n++
  return n
}

/** Every identifier mentioned in `text`, each (kind, value) once, in order of appearance. */
export function mentionsIn(text: string): Mention[] {
  const out: Mention[] = []
  const seen = new Set<string>()
  const add = (kind: MentionKind, value: string) => {
    const key = `${kind}:${value}`
    if (value === '' || seen.has(key)) return
    seen.add(key)
    out.push({ kind, value })
  }
  for (const match of text.matchAll(TEL)) {
    const count = digitCount(match[0])
    if (count >= MIN_TEL_DIGITS && count <= MAX_TEL_DIGITS) add('tel', normaliseTel(match[0]))
  }
  for (const match of text.matchAll(MAILTO)) add('mailto', normaliseMailto(match[0]))
  for (const match of text.matchAll(SIP)) add('sip', normaliseSip(match[0]))
  for (const match of text.matchAll(DID)) add('did', normaliseDid(match[0]))
  return out
}

/**
 * Whether a number written in text names the subject's number. Both are normalised (digits, `+` in front when
 * written). They match when their digits are equal, or when the text gives the national form: no `+`, at least
 * 7 digits, and those digits end the subject's ("555 0100" for +1 555 0100). The reverse (a subject given
 * without its country code) is not guessed.
 */
export function telMentionMatches(subject: string, mention: string): boolean {
  const want = subject.replace(/^\+/, '')
  const got = mention.replace(/^\+/, '')
  if (got === want) return true
  return (
    !mention.startsWith('+') &&
    got.length >= MIN_TEL_DIGITS &&
    got.length < want.length &&
    want.endsWith(got)
  )
}

/** Every index value a text mention naming `subject` (a normalised tel) can have: see telMentionMatches. */
export function telMentionKeys(subject: string): string[] {
  const digits = subject.replace(/^\+/, '')
  const keys = new Set([digits, `+${digits}`])
  for (let length = MIN_TEL_DIGITS; length < digits.length; length++)
    keys.add(digits.slice(-length))
  return [...keys]
}
