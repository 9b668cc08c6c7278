/**
 * @module The identifiers of a data subject inside a vCon, for erasure by redaction (redact-subject.ts): which
 * parties carry the identifier (normalised as the index keeps party identifiers, store/derive-index.ts), the
 * patterns that find the subject's identifiers in text (their number also in punctuated and national forms,
 * their address, their name and its tokens), and the check that none is left (GDPR Art. 17 erasure must not
 * leave the person findable).
 */
import {
  combineDetectors,
  createKnownNamesDetector,
  type PiiDetector,
  type PiiSpan,
  type Vcon,
} from '@vconkit/vcon'
import type { PartyKey } from '../ports/privacy-state.js'
import {
  normaliseDid,
  normaliseMailto,
  normaliseName,
  normaliseSip,
  normaliseTel,
} from '../store/derive-index.js'
import { telMentionMatches } from '../store/text-mentions.js'
import type { SubjectIdentifier } from './find-subject.js'
import { partyKeysOf } from './party-key.js'
import { subjectMatches } from './subject-match.js'

/** Tel numbers shorter than this (extensions, short codes) are removed from parties but not searched in text. */
const MIN_TEL_DIGITS = 7

function normalise(key: PartyKey): PartyKey {
  switch (key.kind) {
    case 'tel':
      return { kind: 'tel', value: normaliseTel(key.value).replace(/^\+/, '') }
    case 'mailto':
      return { kind: 'mailto', value: normaliseMailto(key.value) }
    case 'sip':
      return { kind: 'sip', value: normaliseSip(key.value) }
    case 'name':
      return { kind: 'name', value: normaliseName(key.value) }
    case 'did':
      return { kind: 'did', value: normaliseDid(key.value) }
  }
}

const sameKey = (a: PartyKey, b: PartyKey) => a.kind === b.kind && a.value === b.value

/** Indices of the parties that carry the subject's identifier. */
export function subjectParties(vcon: Vcon, subject: SubjectIdentifier): number[] {
  const wanted = normalise(subject)
  const parties: readonly unknown[] = Array.isArray(vcon.parties) ? vcon.parties : []
  const out: number[] = []
  parties.forEach((party, index) => {
    if (partyKeysOf(party).some((key) => sameKey(normalise(key), wanted))) out.push(index)
  })
  return out
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export interface Needle {
  readonly pattern: RegExp
  readonly kind: string
  /** Keeps a match only when true (the whole run of a written number must name the subject's number). */
  readonly accept?: (match: string) => boolean
}

/**
 * A number matches by its last ten digits (or all, when shorter) with any punctuation between them, so
 * "+1 (555) 010-2030" and "5550102030" match; `(?!\d)` stops "…20301" matching "…2030".
 */
function telTailNeedle(digits: string): Needle | undefined {
  if (digits.length < MIN_TEL_DIGITS) return undefined
  const tail = digits.slice(-10).split('').join('[\\s\\-.()/]*')
  return { pattern: new RegExp(`${tail}(?!\\d)`, 'g'), kind: 'phone' }
}

/**
 * Every run of text that reads as a telephone number (the subject finder's pattern, store/text-mentions.ts)
 * and names the subject's number, also in a shorter national form ("010 2030" for +1 555 010 2030): what the
 * finder would report is what is removed.
 */
function telRunNeedle(digits: string): Needle {
  return {
    pattern: /(?<![\w+])\+?[\d(][\d ().-]{0,40}\d(?![\w@])/g,
    kind: 'phone',
    accept: (run) => telMentionMatches(digits, normaliseTel(run)),
  }
}

/** The identifiers to remove from text: the subject's, and every identifier of the subject's parties. */
export function needlesOf(vcon: Vcon, subject: SubjectIdentifier, parties: readonly number[]) {
  const all: PartyKey[] = [subject]
  const list: readonly unknown[] = Array.isArray(vcon.parties) ? vcon.parties : []
  for (const index of parties) all.push(...partyKeysOf(list[index]))
  const names = new Set<string>()
  const needles = new Map<string, Needle>()
  for (const raw of all) {
    const key = normalise(raw)
    if (key.value === '') continue
    if (key.kind === 'name') {
      names.add(key.value)
      continue
    }
    const found: (Needle | undefined)[] =
      key.kind === 'tel'
        ? [telTailNeedle(key.value), telRunNeedle(key.value)]
        : [
            {
              pattern: new RegExp(escapeRegExp(key.value), key.kind === 'did' ? 'gu' : 'giu'),
              kind: key.kind === 'mailto' ? 'email' : key.kind,
            },
          ]
    for (const needle of found) {
      if (needle !== undefined)
        needles.set(`${key.kind}:${key.value}:${needle.pattern.source}`, needle)
    }
  }
  return { needles: [...needles.values()], names: [...names] }
}

export function detectorOf(needles: readonly Needle[], names: readonly string[]): PiiDetector {
  const literal: PiiDetector = {
    detect(text: string): PiiSpan[] {
      const spans: PiiSpan[] = []
      for (const { pattern, kind, accept } of needles) {
        for (const m of text.matchAll(pattern)) {
          if (accept === undefined || accept(m[0]))
            spans.push({ start: m.index, end: m.index + m[0].length, kind })
        }
      }
      return spans
    },
  }
  return names.length === 0 ? literal : combineDetectors(literal, createKnownNamesDetector(names))
}

/**
 * JSON pointers of where `value` still holds one of the subject's identifiers: any string (value or key) with
 * the asked identifier or a number, address or full name of the parties that carry it in `original`, and any
 * text the subject finder reads (subject-match.ts, which also decodes text bodies) that names the subject. Empty
 * when nothing readable is left, which also means the finder will not find this vCon again.
 */
export function subjectResidue(value: Vcon, subject: SubjectIdentifier, original: Vcon): string[] {
  const { needles, names } = needlesOf(original, subject, subjectParties(original, subject))
  const all: Needle[] = [
    ...needles,
    ...names.map((name) => ({
      pattern: new RegExp(
        `(?<![\\p{L}\\p{N}_])${escapeRegExp(name).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}_])`,
        'giu',
      ),
      kind: 'name',
    })),
  ]
  const test = (text: string) =>
    all.some(({ pattern, accept }) => {
      for (const m of text.matchAll(pattern)) if (accept === undefined || accept(m[0])) return true
      return false
    })
  const hits = new Set<string>()
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node === 'string') {
      if (test(node)) hits.add(pointer)
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, `${pointer}/${i}`)
      })
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        const here = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
        if (test(key)) hits.add(here)
        walk(item, here)
      }
    }
  }
  walk(value, '')
  for (const match of subjectMatches(value as Readonly<Record<string, unknown>>, subject)) {
    hits.add(match.pointer)
  }
  return [...hits].sort()
}
