/**
 * @module Finds phone numbers and payment card numbers: runs of digit groups joined by separators, classified
 * by digit count, shape and (for cards) the Luhn check. Kept apart from the other patterns because both scan
 * the same clusters and must agree on where a number starts and ends.
 */
import { isLuhnValid } from './luhn.js'
import type { PiiSpan } from './pii-detector.js'

/**
 * A phone-like cluster: an optional `+`, then digit groups (a group may be parenthesised, as in `(555)`)
 * joined by one space, dot, dash or ` - `. Colons and slashes are not separators, so times and dates such as
 * `12:30` and `21/06/2022` never form a cluster.
 */
const PHONE_CLUSTER =
  /(?:\+ ?)?(?:\(\d{1,6}\)|\d+)(?:(?:[ .\u00A0-]| - )(?:\(\d{1,6}\)|\d+)|\(\d{1,6}\)|(?<=\))\d+)*/gu

/** A card-like cluster: digit groups joined by one space or dash (how card numbers are written). */
const CARD_CLUSTER = /\d+(?:[ -]\d+)*/gu

const WORD_CHAR = /[\p{L}\p{N}_@]/u
const ALNUM = /[\p{L}\p{N}]/u

/**
 * True when the cluster at [start, end) stands alone: not glued to a word, and not one piece of a dashed or
 * dotted token such as a UUID (`…e11a-3532-4498-b076…`), a hash or an ISO timestamp (`2022-06-21T…`).
 */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charAt(start - 1)
  const before2 = text.charAt(start - 2)
  const after = text.charAt(end)
  const after2 = text.charAt(end + 1)
  if (before !== '' && WORD_CHAR.test(before)) return false
  if ((before === '-' || before === '.') && before2 !== '' && ALNUM.test(before2)) return false
  if (after !== '' && WORD_CHAR.test(after)) return false
  if (after === '-' && after2 !== '' && ALNUM.test(after2)) return false
  if (after === '.' && /\d/.test(after2)) return false
  return true
}

function isCalendarDate(text: string): boolean {
  let m = /^(\d{4})([-.])(\d{1,2})\2(\d{1,2})$/.exec(text)
  if (m !== null) return Number(m[3]) >= 1 && Number(m[3]) <= 12 && Number(m[4]) <= 31
  m = /^(\d{1,2})([-.])(\d{1,2})\2(\d{2}|\d{4})$/.exec(text)
  if (m !== null) {
    const a = Number(m[1])
    const b = Number(m[3])
    return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12)
  }
  return false
}

/**
 * Shapes that have enough digits but are not phone numbers: calendar dates, decimals (`3.14159265`), year ranges
 * (`1990-2020`) and thousands-grouped amounts (`1.234.567`, `12 345 678`).
 */
function isNotAPhone(cluster: string): boolean {
  if (cluster.startsWith('+')) return false
  if (isCalendarDate(cluster)) return true
  // A dated version or serial such as 2025-07-31.0 (model versions in transcription metadata).
  if (isCalendarDate(cluster.replace(/\.\d+$/, ''))) return true
  if (/^\d+\.\d+$/.test(cluster)) return true
  if (/^(?:1[89]|20)\d{2} ?- ?(?:1[89]|20)\d{2}$/.test(cluster)) return true
  if (/^\d{1,2}(?:\.\d{3})+$/.test(cluster) || /^\d{1,2}(?: \d{3})+$/.test(cluster)) return true
  return false
}

function digitCount(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

interface Group {
  readonly start: number
  readonly end: number
  readonly digits: string
}

/** The digit groups of a cluster, with offsets in the whole text. */
function groupsOf(cluster: string, offset: number): Group[] {
  return [...cluster.matchAll(/\d+/g)].map((g) => ({
    start: offset + g.index,
    end: offset + g.index + g[0].length,
    digits: g[0],
  }))
}

/**
 * Phone numbers: E.164 (`+` and 7–15 digits) and national formats with separators, at least 7 and at most 15
 * digits (ITU-T E.164 §6.1 caps numbers at 15 digits). A longer cluster of several groups is usually several
 * numbers spoken or written back to back: the parts around any card number in it are phone numbers if they
 * have 7 digits or more, and a cluster without a card is reported whole. One unbroken run of more than 15
 * digits is no phone number.
 */
export function findPhones(text: string): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(PHONE_CLUSTER)) {
    const start = m.index
    const end = start + m[0].length
    if (!standsAlone(text, start, end) || isNotAPhone(m[0])) continue
    const digits = digitCount(m[0])
    if (digits < 7) continue
    if (digits <= 15) {
      spans.push({ start, end, kind: 'phone' })
      continue
    }
    const groups = groupsOf(m[0], start)
    if (groups.length < 2) continue
    const cards = cardRanges(groups)
    if (cards.length === 0) {
      spans.push({ start, end, kind: 'phone' })
      continue
    }
    for (const [a, b] of cards) {
      const first = groups[a]
      const last = groups[b]
      if (first !== undefined && last !== undefined) {
        spans.push({ start: first.start, end: last.end, kind: 'card' })
      }
    }
    // The gaps between card numbers, as [first group, last group] ranges.
    let from = 0
    for (const [a, b] of [...cards, [groups.length, groups.length] as const]) {
      if (a > from) {
        const run = groups.slice(from, a)
        const count = run.reduce((n, g) => n + g.digits.length, 0)
        const first = run[0]
        const last = run[run.length - 1]
        if (count >= 7 && first !== undefined && last !== undefined) {
          spans.push({
            start: from === 0 ? start : first.start,
            end: a === groups.length ? end : last.end,
            kind: 'phone',
          })
        }
      }
      from = b + 1
    }
  }
  return spans
}

/** Payment card numbers are 13 to 19 digits long (ISO/IEC 7812-1 §4). */
const CARD_MIN = 13
const CARD_MAX = 19

/**
 * Payment card numbers: 13–19 digits, contiguous or grouped as cards are printed (with spaces or dashes),
 * passing the Luhn check. A cluster with extra groups around the card (`4111 1111 1111 1111 12`) is searched
 * for its longest valid run of whole groups. A number after `+` is a phone number, not a card.
 */
export function findCards(text: string): PiiSpan[] {
  const spans: PiiSpan[] = []
  for (const m of text.matchAll(CARD_CLUSTER)) {
    const start = m.index
    const end = start + m[0].length
    if (!standsAlone(text, start, end) || text.charAt(start - 1) === '+') continue
    if (digitCount(m[0]) < CARD_MIN) continue
    const groups = groupsOf(m[0], start)
    for (const [a, b] of cardRanges(groups)) {
      const first = groups[a]
      const last = groups[b]
      if (first !== undefined && last !== undefined) {
        spans.push({ start: first.start, end: last.end, kind: 'card' })
      }
    }
  }
  return spans
}

/** The [first, last] group ranges that form card numbers, longest first from each position, not overlapping. */
function cardRanges(groups: readonly Group[]): [number, number][] {
  const ranges: [number, number][] = []
  let i = 0
  while (i < groups.length) {
    const found = longestCardFrom(groups, i)
    if (found === undefined) {
      i++
    } else {
      ranges.push([i, found])
      i = found + 1
    }
  }
  return ranges
}

/**
 * True when groups [from, to] are grouped the way card numbers are printed: fours (the last group may be
 * shorter, as in 13- and 19-digit numbers), 4-6-5 (American Express) or 4-6-4 (Diners Club). A Luhn-valid run
 * of oddly sized groups is far more likely two numbers side by side (one in ten runs passes Luhn by chance).
 */
function isCardShaped(groups: readonly Group[], from: number, to: number): boolean {
  if (from === to) return true
  const sizes = groups.slice(from, to + 1).map((g) => g.digits.length)
  const key = sizes.join('-')
  if (key === '4-6-5' || key === '4-6-4') return true
  return sizes.every((n, i) => (i === sizes.length - 1 ? n >= 1 && n <= 4 : n === 4))
}

/** Index of the last group of the longest card-shaped, Luhn-valid run starting at `from`, if any. */
function longestCardFrom(groups: readonly Group[], from: number): number | undefined {
  let joined = ''
  let best: number | undefined
  for (let j = from; j < groups.length; j++) {
    joined += groups[j]?.digits ?? ''
    if (joined.length > CARD_MAX) break
    if (joined.length >= CARD_MIN && isCardShaped(groups, from, j) && isLuhnValid(joined)) best = j
  }
  return best
}
