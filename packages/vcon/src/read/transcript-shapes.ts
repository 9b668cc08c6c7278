/**
 * @module Reads the text out of transcript bodies of the shapes found in vCons: WTF (draft-howe-vcon-wtf-
 * extension §5), Deepgram pre-recorded responses (the draft's `ab_call_ext_rec_analysis.vcon`, whole or just
 * the first alternative as the Conserver stores it), Whisper / OpenAI `{text, segments}`, arrays of
 * `{speaker, message}` turns, and plain strings.
 */
import type { JsonValue } from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'

/** One piece of transcript text. */
export interface TranscriptPiece {
  readonly text: string
  /** Seconds from the start of the dialog, when the source gives timing. */
  readonly offset?: number
  /** A speaker label from the source (not a party index). */
  readonly speaker?: string
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

function speakerLabel(value: unknown, labels?: Record<string, unknown>): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const entry = labels?.[String(value)]
  const label = isObject(entry) ? str(entry.label) : undefined
  if (label !== undefined) return label
  return typeof value === 'number' ? `Speaker ${value}` : str(value)
}

function piece(
  text: string,
  offset: number | undefined,
  speaker: string | undefined,
): TranscriptPiece {
  return {
    text,
    ...(offset === undefined ? {} : { offset }),
    ...(speaker === undefined ? {} : { speaker }),
  }
}

/** Segments of a `{segments: [{start, text, speaker?}]}` body (WTF, Whisper verbose_json). */
function segmentPieces(segments: unknown, labels?: Record<string, unknown>): TranscriptPiece[] {
  if (!Array.isArray(segments)) return []
  const out: TranscriptPiece[] = []
  for (const segment of segments) {
    if (!isObject(segment)) continue
    const text = str(segment.text)
    if (text !== undefined)
      out.push(piece(text, num(segment.start), speakerLabel(segment.speaker, labels)))
  }
  return out
}

/** A WTF body (`wtf_transcription`): its segments, else its transcript text. */
export function wtfPieces(body: JsonValue | undefined): TranscriptPiece[] | undefined {
  if (!isObject(body))
    return typeof body === 'string' && str(body) ? [{ text: body.trim() }] : undefined
  const labels = isObject(body.speakers) ? body.speakers : undefined
  const segments = segmentPieces(body.segments, labels)
  if (segments.length > 0) return segments
  const text = isObject(body.transcript) ? str(body.transcript.text) : str(body.transcript)
  return text === undefined ? undefined : [{ text }]
}

/** The first alternative of a Deepgram response, or the body itself when it already is one. */
function deepgramAlternative(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const results = body.results
  if (isObject(results) && Array.isArray(results.channels)) {
    const channel: unknown = results.channels[0]
    const alternative: unknown =
      isObject(channel) && Array.isArray(channel.alternatives) ? channel.alternatives[0] : undefined
    return isObject(alternative) ? alternative : undefined
  }
  if (typeof body.transcript === 'string' && ('paragraphs' in body || 'words' in body)) return body
  return undefined
}

function deepgramPieces(alternative: Record<string, unknown>): TranscriptPiece[] | undefined {
  const paragraphs = isObject(alternative.paragraphs)
    ? alternative.paragraphs.paragraphs
    : undefined
  if (Array.isArray(paragraphs)) {
    const out: TranscriptPiece[] = []
    for (const paragraph of paragraphs) {
      if (!isObject(paragraph) || !Array.isArray(paragraph.sentences)) continue
      const text = paragraph.sentences
        .map((s: unknown) => (isObject(s) ? str(s.text) : undefined))
        .filter((t): t is string => t !== undefined)
        .join(' ')
      if (text !== '') out.push(piece(text, num(paragraph.start), speakerLabel(paragraph.speaker)))
    }
    if (out.length > 0) return out
  }
  const text = str(alternative.transcript)
  return text === undefined ? undefined : [{ text }]
}

/** An array of turns: `[{speaker, message}]` or `[{speaker, text}]`. */
function turnPieces(body: readonly JsonValue[]): TranscriptPiece[] | undefined {
  const out: TranscriptPiece[] = []
  for (const turn of body) {
    if (typeof turn === 'string') {
      if (str(turn)) out.push({ text: turn.trim() })
      continue
    }
    if (!isObject(turn)) continue
    const text = str(turn.message) ?? str(turn.text)
    if (text !== undefined) out.push(piece(text, num(turn.start), speakerLabel(turn.speaker)))
  }
  return out.length > 0 ? out : undefined
}

/**
 * The text of a `transcript` analysis body, from whichever vendor shape it has; undefined when the shape is
 * not recognised.
 */
export function transcriptPieces(body: JsonValue | undefined): TranscriptPiece[] | undefined {
  if (typeof body === 'string') return str(body) ? [{ text: body.trim() }] : undefined
  if (Array.isArray(body)) return turnPieces(body)
  if (!isObject(body)) return undefined
  const alternative = deepgramAlternative(body)
  if (alternative !== undefined) return deepgramPieces(alternative)
  const segments = segmentPieces(body.segments, isObject(body.speakers) ? body.speakers : undefined)
  if (segments.length > 0) return segments
  // A WTF body stored under type "transcript" (seed 002), Whisper `{text}`, or a bare `{transcript}`.
  if (isObject(body.transcript)) return wtfPieces(body)
  const text = str(body.text) ?? str(body.transcript)
  return text === undefined ? undefined : [{ text }]
}
