/**
 * @module The offline default PII detector: patterns and checksums only, no model and no network. It finds
 * emails, phone numbers, payment cards (Luhn), US SSNs, UK NI numbers, IBANs (mod 97), bank account numbers
 * introduced by words such as "account number", and the names the caller already knows. Names in general need
 * an NER model, which this package leaves pluggable (see PiiDetector and combineDetectors).
 */
import { findCards, findPhones } from './digit-runs.js'
import { IBAN_LENGTHS, ibanMod97 } from './iban.js'
import { createKnownNamesDetector } from './known-names.js'
import { isUkNino, isUsSsn } from './national-id.js'
import { mergeSpans, type PiiDetector, type PiiKind, type PiiSpan } from './pii-detector.js'

/** Options of the default detector. */
export interface RegexPiiDetectorOptions {
  /** Names to redact wherever they occur (whole words, any case), with their tokens of 3 letters or more. */
  readonly knownNames?: readonly string[]
  /** Only report these kinds (default: every kind the detector knows). */
  readonly kinds?: readonly PiiKind[]
}

/** The kinds the default detector can report. */
export const REGEX_DETECTOR_KINDS: readonly PiiKind[] = [
  'email',
  'phone',
  'card',
  'national_id',
  'iban',
  'bank_account',
  'name',
]

/**
 * Addresses as people write them (RFC 5322 addr-spec without quoted local parts or domain literals). Unicode
 * letters are allowed on both sides (RFC 6531).
 */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu

/** `###-##-####` or with single spaces; the issuance rules are checked by isUsSsn. */
const SSN = /(?<![\p{L}\p{N}_-])\d{3}([- ])\d{2}\1\d{4}(?![\p{L}\p{N}_])(?!-\d)/gu

/** Two letters, six digits (optionally paired with spaces) and a suffix; checked by isUkNino. */
const NINO = /(?<![\p{L}\p{N}_])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\p{N}_])/gu

/** Where an IBAN may start: a country code and two check digits at a word start. */
const IBAN_START = /(?<![\p{L}\p{N}_])[A-Z]{2}\d{2}(?=[ A-Z0-9])/gu

/**
 * A bank account number only counts in context: after "account number", "acct no.", "a/c", "routing number",
 * "sort code" and the like, optionally followed by "is" or a colon. Only the digits are reported.
 */
const BANK_ACCOUNT =
  /(?<!\p{L})(?:bank\s+)?(?:account|acct|a\/c|routing|sort\s+code)(?:\s+(?:number|no\.?|num\.?|#))?(?:\s*(?:is|was|:|#|=))?\s*(\d(?:[ -]?\d){5,33})(?!\p{N})/giu

function findEmails(text: string): PiiSpan[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'email',
  }))
}

function findNationalIds(text: string): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(SSN)) {
    if (isUsSsn(m[0]))
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'national_id' })
  }
  for (const m of text.matchAll(NINO)) {
    if (isUkNino(m[0]))
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'national_id' })
  }
  return spans
}

/**
 * IBANs in print form (groups of four separated by single spaces) or compact. The country's registered length
 * decides where the IBAN ends, so that a following uppercase word is never swallowed.
 */
function findIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(IBAN_START)) {
    const length = IBAN_LENGTHS[m[0].slice(0, 2)]
    if (length === undefined) continue
    let compact = m[0]
    let pos = m.index + 4
    while (compact.length < length && pos < text.length) {
      const ch = text.charAt(pos)
      if (/[A-Z0-9]/.test(ch)) {
        compact += ch
        pos++
      } else if (ch === ' ' && /[A-Z0-9]/.test(text.charAt(pos + 1))) {
        pos++
      } else {
        break
      }
    }
    if (compact.length !== length || /[\p{L}\p{N}_]/u.test(text.charAt(pos))) continue
    if (ibanMod97(compact)) spans.push({ start: m.index, end: pos, kind: 'iban' })
  }
  return spans
}

function findBankAccounts(text: string): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(BANK_ACCOUNT)) {
    const group = m[1]
    if (group === undefined) continue
    // The number ends the match, so its offset is the match end minus its length.
    const end = m.index + m[0].length
    spans.push({ start: end - group.length, end, kind: 'bank_account' })
  }
  return spans
}

/** Creates the offline default detector. Its output spans are merged (no overlaps) and sorted. */
export function createRegexPiiDetector(options: RegexPiiDetectorOptions = {}): PiiDetector {
  const wanted = new Set<string>(options.kinds ?? REGEX_DETECTOR_KINDS)
  const names =
    wanted.has('name') && options.knownNames !== undefined && options.knownNames.length > 0
      ? createKnownNamesDetector(options.knownNames)
      : undefined
  const finders: ((text: string) => PiiSpan[])[] = []
  if (wanted.has('email')) finders.push(findEmails)
  if (wanted.has('card')) finders.push(findCards)
  if (wanted.has('iban')) finders.push(findIbans)
  if (wanted.has('national_id')) finders.push(findNationalIds)
  if (wanted.has('bank_account')) finders.push(findBankAccounts)
  if (wanted.has('phone')) finders.push(findPhones)
  if (names !== undefined) finders.push((text) => names.detect(text))
  return {
    detect(text: string): PiiSpan[] {
      if (text.length === 0) return []
      // The phone finder also reports cards it meets inside long runs; honour `kinds` here.
      return mergeSpans(finders.flatMap((find) => find(text)).filter((s) => wanted.has(s.kind)))
    },
  }
}
