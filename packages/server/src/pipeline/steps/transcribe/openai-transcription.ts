/**
 * @module The OpenAI-compatible speech-to-text adapter: `POST {base}/v1/audio/transcriptions`, multipart form
 * with `file`, `model`, `response_format=verbose_json` (segments with timings) and an optional `language`.
 * Self-hosted servers (faster-whisper, LocalAI, vLLM) speak the same API. A plain `json` answer (text only,
 * as some models give) is accepted too.
 */
import { parseJsonAnswer, postOutbound } from '../../vendor/vendor-http.js'
import { vendorEndpoint } from '../../vendor/vendor-options.js'
import { num, obj, type TranscriptionCall, type TranscriptionOutcome } from './vendor-request.js'
import type { VendorSegment } from './wtf-document.js'

/**
 * Whisper answers `language` with an English name ("english"); WTF wants BCP 47. The languages most calls
 * are in; others fall back to the configured language or "und".
 */
const WHISPER_LANGUAGES: Readonly<Record<string, string>> = {
  arabic: 'ar',
  chinese: 'zh',
  czech: 'cs',
  danish: 'da',
  dutch: 'nl',
  english: 'en',
  finnish: 'fi',
  french: 'fr',
  german: 'de',
  greek: 'el',
  hebrew: 'he',
  hindi: 'hi',
  hungarian: 'hu',
  indonesian: 'id',
  italian: 'it',
  japanese: 'ja',
  korean: 'ko',
  malay: 'ms',
  norwegian: 'no',
  persian: 'fa',
  polish: 'pl',
  portuguese: 'pt',
  romanian: 'ro',
  russian: 'ru',
  spanish: 'es',
  swedish: 'sv',
  tagalog: 'tl',
  thai: 'th',
  turkish: 'tr',
  ukrainian: 'uk',
  vietnamese: 'vi',
}

function languageOf(value: unknown, fallback: string | undefined): string | undefined {
  if (typeof value !== 'string' || value === '') return fallback
  const lower = value.toLowerCase()
  if (Object.hasOwn(WHISPER_LANGUAGES, lower)) return WHISPER_LANGUAGES[lower]
  return /^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(value) ? value : fallback
}

/** Whisper's avg_logprob is a mean log-probability per token; exp() of it is a confidence in (0, 1]. */
function confidenceOf(segment: Readonly<Record<string, unknown>>): number | undefined {
  const direct = num(segment.confidence)
  if (direct !== undefined) return direct
  const logprob = num(segment.avg_logprob)
  return logprob === undefined ? undefined : Math.exp(Math.min(0, logprob))
}

export async function openaiTranscribe(call: TranscriptionCall): Promise<TranscriptionOutcome> {
  const url = vendorEndpoint(call.vendor.baseUrl, '/v1/audio/transcriptions')
  const peer = `the transcription API at ${url.origin}`
  const form = new FormData()
  const file = new Blob([call.audio.bytes], { type: call.audio.mediatype })
  form.append('file', file, call.audio.filename)
  form.append('model', call.model)
  form.append('response_format', 'verbose_json')
  form.append('timestamp_granularities[]', 'segment')
  if (call.language !== undefined) form.append('language', call.language)
  const answer = await postOutbound({
    url,
    headers:
      call.vendor.apiKey === undefined ? {} : { authorization: `Bearer ${call.vendor.apiKey}` },
    body: form,
    timeoutMs: call.vendor.timeoutMs,
    signal: call.signal,
    peer,
  })
  if (answer.kind === 'fail') return answer
  const parsed = parseJsonAnswer(answer.body, peer)
  if (!parsed.ok) return { kind: 'fail', reason: parsed.reason, permanent: false }
  const body = obj(parsed.value)
  if (body === undefined || typeof body.text !== 'string') {
    return {
      kind: 'fail',
      reason: `${peer} answered JSON without a "text" string`,
      permanent: false,
    }
  }
  const segments: VendorSegment[] = []
  if (Array.isArray(body.segments)) {
    for (const item of body.segments) {
      const s = obj(item)
      const start = num(s?.start)
      const end = num(s?.end)
      if (
        s === undefined ||
        start === undefined ||
        end === undefined ||
        typeof s.text !== 'string'
      ) {
        continue
      }
      const confidence = confidenceOf(s)
      segments.push({
        start,
        end,
        text: s.text,
        ...(confidence === undefined ? {} : { confidence }),
      })
    }
  }
  const duration = num(body.duration)
  if (segments.length === 0 && body.text.trim() !== '' && duration !== undefined && duration > 0) {
    segments.push({ start: 0, end: duration, text: body.text })
  }
  return {
    kind: 'ok',
    transcript: {
      text: body.text,
      language: languageOf(body.language, call.language),
      duration,
      confidence: undefined,
      segments,
    },
    options: {
      response_format: 'verbose_json',
      ...(call.language === undefined ? {} : { language: call.language }),
    },
  }
}
