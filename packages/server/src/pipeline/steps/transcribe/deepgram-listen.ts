/**
 * @module The Deepgram speech-to-text adapter: `POST {base}/v1/listen?model=…` with the raw audio as the body
 * and `Authorization: Token <key>`. Segments come from `utterances` (asked for with `utterances=true`), words
 * and overall confidence from the first alternative of the first channel.
 */
import { parseJsonAnswer, postOutbound } from '../../vendor/vendor-http.js'
import { vendorEndpoint } from '../../vendor/vendor-options.js'
import { num, obj, type TranscriptionCall, type TranscriptionOutcome } from './vendor-request.js'
import type { VendorSegment, VendorWord } from './wtf-document.js'

function speakerOf(value: unknown): number | string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : typeof value === 'string'
      ? value
      : undefined
}

function wordsOf(list: unknown): VendorWord[] {
  if (!Array.isArray(list)) return []
  const out: VendorWord[] = []
  for (const item of list) {
    const w = obj(item)
    const start = num(w?.start)
    const end = num(w?.end)
    const text = typeof w?.punctuated_word === 'string' ? w.punctuated_word : w?.word
    if (w === undefined || start === undefined || end === undefined || typeof text !== 'string')
      continue
    const speaker = speakerOf(w.speaker)
    out.push({
      start,
      end,
      text,
      confidence: num(w.confidence) ?? 0,
      ...(speaker === undefined ? {} : { speaker }),
    })
  }
  return out
}

export async function deepgramTranscribe(call: TranscriptionCall): Promise<TranscriptionOutcome> {
  const url = vendorEndpoint(call.vendor.baseUrl, '/v1/listen')
  url.searchParams.set('model', call.model)
  url.searchParams.set('smart_format', 'true')
  url.searchParams.set('utterances', 'true')
  if (call.diarize) url.searchParams.set('diarize', 'true')
  if (call.language === undefined) url.searchParams.set('detect_language', 'true')
  else url.searchParams.set('language', call.language)
  const peer = `the Deepgram API at ${url.origin}`
  const answer = await postOutbound({
    url,
    headers: {
      'content-type': call.audio.mediatype,
      ...(call.vendor.apiKey === undefined ? {} : { authorization: `Token ${call.vendor.apiKey}` }),
    },
    body: call.audio.bytes,
    timeoutMs: call.vendor.timeoutMs,
    signal: call.signal,
    peer,
  })
  if (answer.kind === 'fail') return answer
  const parsed = parseJsonAnswer(answer.body, peer)
  if (!parsed.ok) return { kind: 'fail', reason: parsed.reason, permanent: false }
  const body = obj(parsed.value)
  const results = obj(body?.results)
  const channel = Array.isArray(results?.channels) ? obj(results.channels[0]) : undefined
  const alternative = Array.isArray(channel?.alternatives)
    ? obj(channel.alternatives[0])
    : undefined
  if (alternative === undefined || typeof alternative.transcript !== 'string') {
    return {
      kind: 'fail',
      reason: `${peer} answered JSON without results.channels[0].alternatives[0].transcript`,
      permanent: false,
    }
  }
  const metadata = obj(body?.metadata)
  const words = wordsOf(alternative.words)
  const segments: VendorSegment[] = []
  if (Array.isArray(results?.utterances)) {
    for (const item of results.utterances) {
      const u = obj(item)
      const start = num(u?.start)
      const end = num(u?.end)
      if (
        u === undefined ||
        start === undefined ||
        end === undefined ||
        typeof u.transcript !== 'string'
      ) {
        continue
      }
      const speaker = speakerOf(u.speaker)
      const confidence = num(u.confidence)
      segments.push({
        start,
        end,
        text: u.transcript,
        ...(confidence === undefined ? {} : { confidence }),
        ...(speaker === undefined ? {} : { speaker }),
      })
    }
  }
  const confidence = num(alternative.confidence)
  const first = words[0]
  const last = words[words.length - 1]
  if (segments.length === 0 && alternative.transcript.trim() !== '' && first && last) {
    segments.push({
      start: first.start,
      end: last.end,
      text: alternative.transcript,
      ...(confidence === undefined ? {} : { confidence }),
    })
  }
  const detected =
    typeof channel?.detected_language === 'string' ? channel.detected_language : undefined
  return {
    kind: 'ok',
    transcript: {
      text: alternative.transcript,
      language: detected ?? call.language,
      duration: num(metadata?.duration),
      confidence,
      segments,
      words,
      ...(typeof metadata?.created === 'string' ? { createdAt: metadata.created } : {}),
    },
    options: {
      smart_format: true,
      utterances: true,
      diarize: call.diarize,
      ...(call.language === undefined ? { detect_language: true } : { language: call.language }),
    },
  }
}
