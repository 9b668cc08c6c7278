/**
 * @module A detector for names the caller already knows (the vCon's own party names). Recognising arbitrary
 * person names needs an NER model; this project leaves that pluggable (see PiiDetector) and instead removes the
 * names the vCon itself declares, which are the ones most likely to be spoken or written in it.
 */
import type { PiiDetector, PiiSpan } from './pii-detector.js'

/** Role words that party names often contain but that identify nobody; never matched on their own. */
const STOP_TOKENS = new Set([
  'anonymous',
  'unknown',
  'agent',
  'customer',
  'caller',
  'callee',
  'user',
  'support',
  'the',
  'and',
  'mrs',
  'miss',
])

/** Letters in a token (a token like "O'Neil" has 5). */
function letterCount(token: string): number {
  return token.match(/\p{L}/gu)?.length ?? 0
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The strings to look for: every full name, plus each of its tokens of three letters or more (split on
 * whitespace, commas and hyphens), except role words. Lowercased and de-duplicated.
 */
export function nameSearchTerms(names: readonly string[]): string[] {
  const terms = new Set<string>()
  for (const raw of names) {
    const name = raw.trim().replace(/\s+/g, ' ')
    if (name === '') continue
    if (letterCount(name) >= 2 && !STOP_TOKENS.has(name.toLowerCase()))
      terms.add(name.toLowerCase())
    for (const token of name.split(/[\s,;/]+|-/u)) {
      const trimmed = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
      if (letterCount(trimmed) >= 3 && !STOP_TOKENS.has(trimmed.toLowerCase())) {
        terms.add(trimmed.toLowerCase())
      }
    }
  }
  return [...terms]
}

/**
 * A detector reporting, as kind `name`, every case-insensitive occurrence of a known name or name token that
 * stands as a whole word (not inside a longer word: "Ann" does not match "Annual").
 */
export function createKnownNamesDetector(names: readonly string[]): PiiDetector {
  const terms = nameSearchTerms(names).sort((a, b) => b.length - a.length)
  if (terms.length === 0) return { detect: () => [] }
  // Longest first, so that "Alice Smith" wins over "Alice"; whitespace inside a name matches any whitespace.
  const alternation = terms.map((t) => escapeRegExp(t).replace(/ /g, '\\s+')).join('|')
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternation})(?![\\p{L}\\p{N}_])`, 'giu')
  return {
    detect(text: string): PiiSpan[] {
      const spans: PiiSpan[] = []
      for (const m of text.matchAll(pattern)) {
        spans.push({ start: m.index, end: m.index + m[0].length, kind: 'name' })
      }
      return spans
    },
  }
}
