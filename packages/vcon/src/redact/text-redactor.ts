/**
 * @module Replaces detected PII inside strings and JSON values, counting what it removed by kind (never
 * recording the values). Transcripts split text into words and segments, so arrays of word or segment objects
 * are read as one running text: a phone number spoken as three words is still found.
 */
import type { JsonValue } from '../model/vcon.js'
import type { PiiDetector, PiiKind, PiiSpan } from './pii-detector.js'

/** Default replacement: the kind in brackets, e.g. `[phone]`. */
export function defaultReplacement(kind: PiiKind): string {
  return `[${kind}]`
}

/** Keys whose string values, across the objects of one array, form a running text (WTF, Deepgram, others). */
const TOKEN_KEYS: readonly string[] = ['text', 'word', 'punctuated_word', 'transcript']

/** Redacts strings with one detector and keeps the counts for one redaction run. */
export class TextRedactor {
  readonly #detector: PiiDetector
  readonly #kinds: ReadonlySet<string> | undefined
  readonly #replacement: (kind: PiiKind) => string
  readonly #counts = new Map<string, number>()

  constructor(
    detector: PiiDetector,
    replacement: (kind: PiiKind) => string = defaultReplacement,
    kinds?: readonly string[],
  ) {
    this.#detector = detector
    this.#replacement = replacement
    this.#kinds = kinds === undefined ? undefined : new Set(kinds)
  }

  /** How many spans of each kind were replaced so far. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)))
  }

  /** The spans of the wanted kinds in `text`, without overlaps, in order. */
  spans(text: string): PiiSpan[] {
    const found = this.#detector.detect(text)
    const wanted = this.#kinds === undefined ? found : found.filter((s) => this.#kinds?.has(s.kind))
    const sorted = wanted
      .filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start)
      .sort((a, b) => a.start - b.start)
    // A custom detector may return overlapping spans; keep the first of each overlapping run.
    const out: PiiSpan[] = []
    for (const s of sorted) {
      const last = out[out.length - 1]
      if (last !== undefined && s.start < last.end) {
        if (s.end > last.end) out[out.length - 1] = { ...last, end: s.end }
      } else out.push(s)
    }
    return out
  }

  #count(kind: string): void {
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1)
  }

  /** Records spans found in content that is dropped whole rather than rewritten. */
  countOnly(text: string): number {
    const spans = this.spans(text)
    for (const s of spans) this.#count(s.kind)
    return spans.length
  }

  /** The string with every span replaced; the same string when nothing was found. */
  redactString(text: string): string {
    const spans = this.spans(text)
    if (spans.length === 0) return text
    let out = ''
    let pos = 0
    for (const s of spans) {
      out += text.slice(pos, s.start) + this.#replacement(s.kind)
      pos = s.end
      this.#count(s.kind)
    }
    return out + text.slice(pos)
  }

  /**
   * Redacts a series of strings read as one text joined by spaces (undefined entries are skipped). A span that
   * crosses entries replaces its part of each entry, so every word of a split phone number is removed.
   */
  redactSeries(parts: readonly (string | undefined)[]): (string | undefined)[] {
    const ranges: { index: number; start: number; end: number }[] = []
    let joined = ''
    parts.forEach((part, index) => {
      if (part === undefined) return
      if (joined !== '') joined += ' '
      ranges.push({ index, start: joined.length, end: joined.length + part.length })
      joined += part
    })
    const spans = this.spans(joined)
    if (spans.length === 0) return [...parts]
    // Per entry, the local [start, end) pieces to replace and their kinds.
    const pieces = new Map<number, { start: number; end: number; kind: PiiKind }[]>()
    for (const s of spans) {
      this.#count(s.kind)
      for (const r of ranges) {
        const start = Math.max(s.start, r.start)
        const end = Math.min(s.end, r.end)
        if (start >= end) continue
        const list = pieces.get(r.index) ?? []
        list.push({ start: start - r.start, end: end - r.start, kind: s.kind })
        pieces.set(r.index, list)
      }
    }
    return parts.map((part, index) => {
      const list = pieces.get(index)
      if (part === undefined || list === undefined) return part
      let out = ''
      let pos = 0
      for (const p of list) {
        out += part.slice(pos, p.start) + this.#replacement(p.kind)
        pos = p.end
      }
      return out + part.slice(pos)
    })
  }

  /**
   * A copy of a JSON value with PII removed from every string value (object keys are left alone). Arrays of
   * objects carrying token keys (`text`, `word`, …) are redacted as running text per key.
   */
  redactJson(value: JsonValue): JsonValue {
    if (typeof value === 'string') return this.redactString(value)
    if (Array.isArray(value)) return this.#redactArray(value as readonly JsonValue[])
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, JsonValue> = {}
      for (const [key, child] of Object.entries(value)) out[key] = this.redactJson(child)
      return out
    }
    return value
  }

  #redactArray(items: readonly JsonValue[]): JsonValue[] {
    const objects = items.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
    if (!objects || items.length === 0) return items.map((v) => this.redactJson(v))
    const records = items as readonly Readonly<Record<string, JsonValue>>[]
    const keys = TOKEN_KEYS.filter((k) => records.some((r) => typeof r[k] === 'string'))
    const series = new Map<string, (string | undefined)[]>()
    for (const key of keys) {
      series.set(
        key,
        this.redactSeries(
          records.map((r) => (typeof r[key] === 'string' ? (r[key] as string) : undefined)),
        ),
      )
    }
    return records.map((record, i) => {
      const out: Record<string, JsonValue> = {}
      for (const [key, child] of Object.entries(record)) {
        const redacted = series.get(key)?.[i]
        out[key] =
          typeof child === 'string' && redacted !== undefined ? redacted : this.redactJson(child)
      }
      return out
    })
  }
}
