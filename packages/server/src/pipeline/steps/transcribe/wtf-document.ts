/**
 * @module Builds the body of a `wtf_transcription` analysis (draft-howe-vcon-wtf-extension, notes §e.4) from
 * what a speech-to-text vendor returned, keeping the draft's rules: confidences in [0, 1] (WTF §8.1), segment
 * `end` after `start`, unique segment ids, a BCP 47 language, a lowercase provider.
 */
import type { JsonValue } from '@vconkit/vcon'

/** A segment as a vendor adapter reads it (seconds from the start of the audio). */
export interface VendorSegment {
  readonly start: number
  readonly end: number
  readonly text: string
  readonly confidence?: number
  readonly speaker?: number | string
}

/** A word as a vendor adapter reads it. */
export interface VendorWord {
  readonly start: number
  readonly end: number
  readonly text: string
  readonly confidence: number
  readonly speaker?: number | string
}

/** The vendor-neutral result of one transcription. */
export interface VendorTranscript {
  readonly text: string
  /** BCP 47, or undefined when the vendor did not say. */
  readonly language: string | undefined
  /** Seconds of audio, when the vendor said. */
  readonly duration: number | undefined
  /** Overall confidence, when the vendor reported one. */
  readonly confidence: number | undefined
  readonly segments: readonly VendorSegment[]
  readonly words?: readonly VendorWord[]
  /** When the vendor made the transcript (ISO 8601), if it says. */
  readonly createdAt?: string
}

/** What the step knows about the request. */
export interface WtfContext {
  readonly provider: string
  readonly model: string
  /** When the step started and finished the request (ms since the epoch). */
  readonly startedAt: number
  readonly finishedAt: number
  /** The dialog's duration in seconds, used when the vendor gives none. */
  readonly dialogDuration: number | undefined
  /** The audio format, e.g. "wav" (from the media type). */
  readonly format: string | undefined
  /** The request options worth recording (model parameters, language hint). */
  readonly options: Readonly<Record<string, JsonValue>>
}

/** Rounds to milliseconds: vendors send float noise such as 3.2800000000000002. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** Clamps a confidence into [0, 1] (WTF §8.1); undefined when not a finite number. */
export function unitInterval(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined
  return Math.min(1, Math.max(0, value))
}

/** A loose BCP 47 check (the validator's rule); anything else becomes "und" (RFC 5646 §4.1, undetermined). */
const BCP47 = /^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z0-9]{1,8})*$/

export function bcp47OrUnd(tag: string | undefined): string {
  return tag !== undefined && BCP47.test(tag) ? tag : 'und'
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  return values.reduce((a, b) => a + b, 0) / values.length
}

/** The WTF body (transcript, segments, metadata, and words when the vendor gave them). */
export function buildWtfBody(t: VendorTranscript, ctx: WtfContext): Record<string, JsonValue> {
  const warnings: string[] = []
  const segments = t.segments
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.start >= 0)
    .map((s, id) => {
      const start = ms(s.start)
      // WTF §6.2.1.2 wants end > start; a zero-length segment from a vendor gets the smallest span.
      const end = Math.max(ms(s.end), start + 0.001)
      const confidence = unitInterval(s.confidence)
      return {
        id,
        start,
        end: ms(end),
        text: s.text.trim(),
        confidence: confidence ?? 0,
        ...(s.speaker === undefined ? {} : { speaker: s.speaker }),
        reported: confidence !== undefined,
      }
    })
  const lastEnd = segments.reduce((m, s) => Math.max(m, s.end), 0)
  const duration = ms(Math.max(0, t.duration ?? ctx.dialogDuration ?? lastEnd))
  const overall =
    unitInterval(t.confidence) ?? mean(segments.filter((s) => s.reported).map((s) => s.confidence))
  if (overall === undefined || segments.some((s) => !s.reported)) {
    warnings.push(
      'the vendor reported no confidence for some or all of the text; 0 is written there',
    )
  }
  const body: Record<string, JsonValue> = {
    transcript: {
      text: t.text.trim(),
      language: bcp47OrUnd(t.language),
      duration,
      confidence: overall ?? 0,
    },
    segments: segments.map(({ reported: _reported, ...s }) => s),
    metadata: {
      created_at: t.createdAt ?? new Date(ctx.finishedAt).toISOString(),
      processed_at: new Date(ctx.finishedAt).toISOString(),
      provider: ctx.provider.toLowerCase(),
      model: ctx.model,
      processing_time: ms(Math.max(0, ctx.finishedAt - ctx.startedAt) / 1000),
      audio: { duration, ...(ctx.format === undefined ? {} : { format: ctx.format }) },
      options: ctx.options,
    },
  }
  if (t.words !== undefined && t.words.length > 0) {
    body.words = t.words
      .filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end) && w.start >= 0)
      .map((w, id) => ({
        id,
        start: ms(w.start),
        end: ms(Math.max(w.end, w.start)),
        text: w.text,
        confidence: unitInterval(w.confidence) ?? 0,
        ...(w.speaker === undefined ? {} : { speaker: w.speaker }),
      }))
  }
  if (warnings.length > 0) body.quality = { processing_warnings: warnings }
  return body
}
