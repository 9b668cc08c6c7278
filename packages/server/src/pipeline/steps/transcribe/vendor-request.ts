/**
 * @module What a speech-to-text adapter is given and returns, shared by the OpenAI-compatible and Deepgram
 * adapters.
 */
import type { JsonValue } from '@vconkit/vcon'
import type { VendorOptions } from '../../vendor/vendor-options.js'
import type { VendorTranscript } from './wtf-document.js'

/** One audio file to transcribe. */
export interface AudioInput {
  readonly bytes: Uint8Array
  /** The media type without parameters, e.g. "audio/wav". */
  readonly mediatype: string
  readonly filename: string
}

/** One transcription request. */
export interface TranscriptionCall {
  readonly audio: AudioInput
  readonly vendor: VendorOptions
  readonly model: string
  readonly language: string | undefined
  readonly diarize: boolean
  readonly signal: AbortSignal
}

/** The outcome: the transcript and the request options to record in the WTF metadata, or a failure. */
export type TranscriptionOutcome =
  | {
      readonly kind: 'ok'
      readonly transcript: VendorTranscript
      readonly options: Readonly<Record<string, JsonValue>>
    }
  | { readonly kind: 'fail'; readonly reason: string; readonly permanent: boolean }

/** A speech-to-text adapter. */
export type Transcriber = (call: TranscriptionCall) => Promise<TranscriptionOutcome>

/** A finite number or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** A plain object or undefined. */
export function obj(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}
