/**
 * @module The PII detector interface the redactor calls, with the span helpers every detector shares. Detection
 * is pluggable (an NER model, a cloud service) so that the redactor itself needs no model (design §2).
 */

/** The kinds the offline detector reports; other detectors may report their own strings. */
export type PiiKind =
  | 'phone'
  | 'email'
  | 'card'
  | 'national_id'
  | 'iban'
  | 'bank_account'
  | 'name'
  | (string & {})

/** One detected span: `text.slice(start, end)` is the personal data. Offsets are UTF-16 code units. */
export interface PiiSpan {
  readonly start: number
  readonly end: number
  readonly kind: PiiKind
}

/** Finds personal data in a string. Must be pure: the same text gives the same spans. */
export interface PiiDetector {
  detect(text: string): PiiSpan[]
}

/**
 * Which kind wins when spans of different kinds overlap: the more specific, checksum-backed identifiers first,
 * so that a card number that also looks like a phone number is counted as a card.
 */
const KIND_PRIORITY: readonly string[] = [
  'card',
  'iban',
  'national_id',
  'bank_account',
  'email',
  'phone',
  'name',
]

function priority(kind: string): number {
  const i = KIND_PRIORITY.indexOf(kind)
  return i === -1 ? KIND_PRIORITY.length : i
}

/**
 * Sorts spans and merges every overlapping pair into one span, whose kind is the highest-priority
 * kind among those merged. Empty and inverted spans are dropped.
 */
export function mergeSpans(spans: readonly PiiSpan[]): PiiSpan[] {
  const sorted = spans
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const out: PiiSpan[] = []
  for (const span of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && span.start < last.end) {
      const kind = priority(span.kind) < priority(last.kind) ? span.kind : last.kind
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, span.end), kind }
    } else {
      out.push({ start: span.start, end: span.end, kind: span.kind })
    }
  }
  return out
}

/** A detector that reports the merged spans of several detectors (e.g. the regex detector plus an NER model). */
export function combineDetectors(...detectors: readonly PiiDetector[]): PiiDetector {
  return {
    detect(text: string): PiiSpan[] {
      return mergeSpans(detectors.flatMap((d) => d.detect(text)))
    },
  }
}
