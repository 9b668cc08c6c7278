/**
 * @module A user's search text as a list of plain words. Both adapters build their full-text query from these
 * words only (quoted FTS5 strings; plainto_tsquery), so no operator, quote, column filter or wildcard a user
 * types (`"`, `*`, `NEAR(`, `-x`, `col:`, `AND`/`OR`) ever reaches the query parser: every query is the AND of
 * its words.
 */

/** At most this many words are searched; the rest of a long query is ignored. */
export const MAX_SEARCH_TERMS = 16
/** Longer words are cut: no real word is this long, and it bounds the work per term. */
const MAX_TERM_LENGTH = 64
/** Only the start of a huge query is read. */
const MAX_QUERY_LENGTH = 4096

/**
 * The words of a query: runs of letters, marks and digits (what FTS5's unicode61 tokenizer and PostgreSQL's
 * parser both treat as word characters), lowercased, without duplicates, in order.
 */
export function searchTerms(query: string): string[] {
  const head = query.length > MAX_QUERY_LENGTH ? query.slice(0, MAX_QUERY_LENGTH) : query
  const words = head.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  const out: string[] = []
  for (const word of words) {
    const term = word.toLowerCase().slice(0, MAX_TERM_LENGTH)
    if (!out.includes(term)) out.push(term)
    if (out.length === MAX_SEARCH_TERMS) break
  }
  return out
}

/** An FTS5 MATCH expression: each word as a quoted string, implicitly ANDed (FTS5 §3.1 "strings"). */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ')
}

/** Search results per call are clamped to 1..100. */
export function searchLimit(limit: number): number {
  if (!Number.isFinite(limit)) return 20
  return Math.min(100, Math.max(1, Math.trunc(limit)))
}
