/**
 * @module The `transcribe` step: for each recording dialog that has no transcript yet, sends its audio to an
 * OpenAI-compatible `/v1/audio/transcriptions` API or to Deepgram's `/v1/listen`, and adds the result as a
 * `wtf_transcription` analysis (notes §e.4: vendor, product = model, schema "wtf-1.0", encoding json, the
 * dialog index) with "wtf_transcription" in `extensions`. Idempotent: a dialog that a wtf_transcription or
 * transcript analysis already points at is skipped, so a rerun sends nothing to the vendor.
 */
import { type Analysis, type Dialog, type Fetcher, isWtfAnalysis, type Vcon } from '@vconkit/vcon'
import {
  checkKeys,
  nestedOptions,
  type Options,
  optBoolean,
  optEnum,
  optNumber,
  optObject,
  optString,
  optStringList,
} from '../../options/read-options.js'
import type { StepContext, StepFactory } from '../../step.js'
import {
  rateLimitKey,
  readVendorOptions,
  VENDOR_OPTION_KEYS,
  type VendorOptions,
} from '../../vendor/vendor-options.js'
import type { BuiltinStepDeps } from '../builtin-deps.js'
import { deepgramTranscribe } from './deepgram-listen.js'
import { dialogAudio, formatOf } from './dialog-audio.js'
import { openaiTranscribe } from './openai-transcription.js'
import type { Transcriber } from './vendor-request.js'
import { buildWtfBody } from './wtf-document.js'

/** Options of the transcribe step. */
export interface TranscribeStepOptions {
  /** Which API the server speaks: `openai` (default; also self-hosted Whisper servers) or `deepgram`. */
  readonly api: 'openai' | 'deepgram'
  /** The model (default "whisper-1" for openai, "nova-2" for deepgram); written as the analysis `product`. */
  readonly model: string
  /** A BCP 47 language hint; absent: the vendor detects the language. */
  readonly language: string | undefined
  /** Deepgram only: label speakers (default true). */
  readonly diarize: boolean
  /** Shared vendor options: baseUrl, apiKeyEnv, timeoutMs, rateLimit, allowInsecure, vendorName. */
  readonly vendor: VendorOptions
  /** How external audio (dialog `url`) is fetched. */
  readonly media: {
    readonly maxBytes: number
    readonly timeoutMs: number
    readonly allowPrivateAddresses: boolean
    readonly allowHosts: readonly string[]
  }
}

const KEYS = ['api', 'model', 'language', 'diarize', 'media', ...VENDOR_OPTION_KEYS] as const
const MEDIA_KEYS = ['maxBytes', 'timeoutMs', 'allowPrivateAddresses', 'allowHosts'].map(
  (k) => `media.${k}`,
)

const DEFAULTS = {
  openai: { baseUrl: 'https://api.openai.com', vendorName: 'openai', model: 'whisper-1' },
  deepgram: { baseUrl: 'https://api.deepgram.com', vendorName: 'deepgram', model: 'nova-2' },
} as const

const TRANSCRIBERS: Readonly<Record<'openai' | 'deepgram', Transcriber>> = {
  openai: openaiTranscribe,
  deepgram: deepgramTranscribe,
}

/** Reads and checks the options (the API key is read from the environment here, at start). */
export function readTranscribeOptions(
  options: Options,
  env: BuiltinStepDeps['env'],
): TranscribeStepOptions {
  checkKeys('transcribe', options, KEYS)
  const api = optEnum(options, 'api', ['openai', 'deepgram'], 'openai')
  const defaults = DEFAULTS[api]
  const media = nestedOptions('media', optObject(options, 'media') ?? {})
  checkKeys('transcribe', media, MEDIA_KEYS)
  return {
    api,
    model: optString(options, 'model') ?? defaults.model,
    language: optString(options, 'language'),
    diarize: optBoolean(options, 'diarize', true),
    vendor: readVendorOptions(options, env, { ...defaults, timeoutMs: 120_000 }),
    media: {
      // 25 MB is the OpenAI upload limit; self-hosted servers may take more.
      maxBytes: optNumber(media, 'media.maxBytes', {
        min: 1,
        integer: true,
        fallback: 25 * 1024 * 1024,
      }),
      timeoutMs: optNumber(media, 'media.timeoutMs', { min: 1, integer: true, fallback: 60_000 }),
      allowPrivateAddresses: optBoolean(media, 'media.allowPrivateAddresses', false),
      allowHosts: optStringList(media, 'media.allowHosts') ?? [],
    },
  }
}

/** What happened to one dialog. */
type DialogOutcome =
  | { readonly kind: 'added'; readonly analysis: Analysis }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'fail'; readonly reason: string; readonly permanent: boolean }

/** Dialog indices that a transcript already covers (a WTF or `transcript` analysis pointing at them). */
export function transcribedDialogs(vcon: Vcon): Set<number> {
  const done = new Set<number>()
  for (const analysis of vcon.analysis ?? []) {
    if (!isWtfAnalysis(analysis) && analysis.type !== 'transcript') continue
    const ref = analysis.dialog
    for (const i of typeof ref === 'number' ? [ref] : Array.isArray(ref) ? ref : []) done.add(i)
  }
  return done
}

/** The recording dialogs still to transcribe, in order. */
function pending(vcon: Vcon): { index: number; dialog: Dialog }[] {
  const done = transcribedDialogs(vcon)
  const out: { index: number; dialog: Dialog }[] = []
  ;(vcon.dialog ?? []).forEach((dialog, index) => {
    if (dialog.type === 'recording' && !done.has(index)) out.push({ index, dialog })
  })
  return out
}

/** Makes the transcribe step type. */
export function transcribeStepFactory(deps: BuiltinStepDeps): StepFactory {
  return {
    type: 'transcribe',
    create(name, raw) {
      const options = readTranscribeOptions(raw, deps.env)
      const fetcher: Fetcher = deps.createFetcher({
        maxBytes: options.media.maxBytes,
        timeoutMs: options.media.timeoutMs,
        allowPrivateAddresses: options.media.allowPrivateAddresses,
        allowHosts: options.media.allowHosts,
      })
      const transcribe = TRANSCRIBERS[options.api]
      const limitKey = rateLimitKey(options.vendor.baseUrl)

      async function one(index: number, dialog: Dialog, ctx: StepContext): Promise<DialogOutcome> {
        const audio = await dialogAudio(dialog, index, fetcher, options.media.maxBytes, ctx.signal)
        if (audio.kind === 'skip') {
          ctx.log.warn('dialog not transcribed', { dialog: index, why: audio.why })
          return { kind: 'skipped' }
        }
        if (audio.kind === 'fail') return audio
        if (options.vendor.rateLimit !== undefined) {
          try {
            await deps.limiter.acquire(limitKey, options.vendor.rateLimit, ctx.signal)
          } catch {
            return {
              kind: 'fail',
              reason: 'cancelled while waiting for the vendor rate limit',
              permanent: false,
            }
          }
        }
        const startedAt = ctx.now()
        const outcome = await transcribe({
          audio: audio.audio,
          vendor: options.vendor,
          model: options.model,
          language: options.language,
          diarize: options.diarize,
          signal: ctx.signal,
        })
        if (outcome.kind === 'fail') {
          return {
            kind: 'fail',
            reason: `dialog ${index}: ${outcome.reason}`,
            permanent: outcome.permanent,
          }
        }
        const body = buildWtfBody(outcome.transcript, {
          provider: options.vendor.vendorName,
          model: options.model,
          startedAt,
          finishedAt: ctx.now(),
          dialogDuration: typeof dialog.duration === 'number' ? dialog.duration : undefined,
          format: formatOf(audio.audio.mediatype),
          options: { model: options.model, ...outcome.options },
        })
        const analysis: Analysis = {
          type: 'wtf_transcription',
          dialog: index,
          vendor: options.vendor.vendorName,
          product: options.model,
          schema: 'wtf-1.0',
          encoding: 'json',
          body,
        }
        return { kind: 'added', analysis }
      }

      return {
        name,
        type: 'transcribe',
        purposes: ['transcription'],
        async run(vcon, ctx) {
          const todo = pending(vcon)
          if (todo.length === 0) return { kind: 'continue', vcon, changed: false }
          const added: Analysis[] = []
          // One dialog at a time: vendor quotas are the bottleneck, and the rate limiter orders requests.
          for (const { index, dialog } of todo) {
            const result = await one(index, dialog, ctx)
            // A failure drops the dialogs done so far in this run; the retry transcribes them again.
            if (result.kind === 'fail') return result
            if (result.kind === 'added') added.push(result.analysis)
          }
          if (added.length === 0) return { kind: 'continue', vcon, changed: false }
          const extensions = vcon.extensions ?? []
          const next: Vcon = {
            ...vcon,
            extensions: extensions.includes('wtf_transcription')
              ? extensions
              : [...extensions, 'wtf_transcription'],
            analysis: [...(vcon.analysis ?? []), ...added],
          }
          return { kind: 'continue', vcon: next, changed: true }
        },
      }
    },
  }
}
