/**
 * @module The body of a World Transcription Format analysis (draft-howe-vcon-wtf-extension-02 §6.2; notes
 * §e.4): three required sections (transcript, segments, metadata) and optional layers, with every confidence
 * normalised to [0, 1] (§8.1).
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { show } from './entry-access.js'
import {
  checkArray,
  checkBoolean,
  checkDate,
  checkEnum,
  checkNumber,
  checkObject,
  checkString,
  checkStringArray,
  checkUnitInterval,
  type Place,
  placeOf,
  type Report,
} from './field-checks.js'

/** A loose BCP 47 tag (RFC 5646 §2.1 syntax, not the registry): "en", "en-US", "zh-Hant-TW". */
const BCP47 = /^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z0-9]{1,8})*$/

/** Seconds a timestamp may overrun the duration it should lie within (rounding by providers). */
const TIMING_SLACK = 1

/** Context for timing checks: the dialog's duration when the analysis points at exactly one dialog. */
export interface WtfTiming {
  readonly dialogDuration?: number
}

/** Reports every breach of the WTF body rules; pointers go into the body (`…/body/segments/2/end`). */
export function validateWtfBody(
  report: Report,
  body: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
  timing: WtfTiming = {},
): void {
  const at = placeOf(body, base, label)
  const duration = checkTranscript(report, at, timing)
  const wordCount = Array.isArray(body.words) ? body.words.length : undefined
  const segmentIds = checkSegments(report, at, duration, wordCount)
  checkMetadata(report, at)
  checkWords(report, at)
  checkSpeakers(report, at, segmentIds)
  checkAlternatives(report, at)
  checkEnrichments(report, at)
  checkQuality(report, at)
  checkStreaming(report, at)
  checkObject(report, at, 'extensions')
}

function nested(at: Place, key: string, obj: Record<string, unknown>): Place {
  return placeOf(obj, pointerJoin(at.base, key), `${at.label}: ${key}`)
}

function checkTranscript(report: Report, at: Place, timing: WtfTiming): number | undefined {
  const transcript = checkObject(report, at, 'transcript', { required: true })
  if (transcript === undefined) return undefined
  const t = nested(at, 'transcript', transcript)
  checkString(report, t, 'text', { required: true, allowEmpty: true })
  const language = checkString(report, t, 'language', { required: true })
  if (language !== undefined && !BCP47.test(language)) {
    report(
      'must',
      pointerJoin(t.base, 'language'),
      'extension-invalid',
      `${t.label}: "language" ${show(language)} is not a BCP 47 tag such as "en-US" (WTF §6.2.1.1).`,
    )
  }
  const duration = checkNumber(report, t, 'duration', { required: true, min: 0 })
  checkUnitInterval(report, t, 'confidence', { required: true })
  if (
    duration !== undefined &&
    timing.dialogDuration !== undefined &&
    duration > timing.dialogDuration + TIMING_SLACK
  ) {
    report(
      'should',
      pointerJoin(t.base, 'duration'),
      'extension-invalid',
      `${t.label}: "duration" is ${duration} s but the dialog lasts ${timing.dialogDuration} s; timestamps should agree with the dialog (WTF §9.4).`,
    )
  }
  return duration
}

/** An id of a segment, word or speaker: an integer or a string. */
function idKey(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return `n:${value}`
  if (typeof value === 'string') return `s:${value}`
  return undefined
}

function checkId(report: Report, p: Place, required: boolean): string | undefined {
  const value = p.obj.id
  if (value === undefined) {
    if (required)
      report('must', pointerJoin(p.base, 'id'), 'missing-field', `${p.label} needs "id".`)
    return undefined
  }
  const key = idKey(value)
  if (key === undefined) {
    report(
      'must',
      pointerJoin(p.base, 'id'),
      'wrong-type',
      `${p.label}: "id" must be an integer or a string; got ${show(value)}.`,
    )
  }
  return key
}

function checkSpeakerRef(report: Report, p: Place): void {
  const speaker = p.obj.speaker
  if (speaker !== undefined && idKey(speaker) === undefined) {
    report(
      'must',
      pointerJoin(p.base, 'speaker'),
      'wrong-type',
      `${p.label}: "speaker" must be an integer or a string; got ${show(speaker)}.`,
    )
  }
}

/** start/end in seconds, end after start (`strictlyAfter`) or not before it. */
function checkSpan(report: Report, p: Place, strictlyAfter: boolean): number | undefined {
  const start = checkNumber(report, p, 'start', { required: true, min: 0 })
  const end = checkNumber(report, p, 'end', { required: true, min: 0 })
  if (start === undefined || end === undefined) return end
  if (strictlyAfter ? end <= start : end < start) {
    report(
      'must',
      pointerJoin(p.base, 'end'),
      'extension-invalid',
      `${p.label}: "end" (${end}) must be ${strictlyAfter ? 'greater than' : 'at least'} "start" (${start}).`,
    )
  }
  return end
}

function checkSegments(
  report: Report,
  at: Place,
  duration: number | undefined,
  wordCount: number | undefined,
): ReadonlySet<string> {
  const ids = new Map<string, number>()
  const segments = checkArray(report, at, 'segments', { required: true })
  segments?.forEach((segment, k) => {
    const pointer = pointerJoin(at.base, 'segments', k)
    if (!isObject(segment)) {
      report('must', pointer, 'wrong-type', `${at.label}: segments[${k}] must be an object.`)
      return
    }
    const p = placeOf(segment, pointer, `${at.label}: segments[${k}]`)
    const id = checkId(report, p, true)
    if (id !== undefined) {
      const first = ids.get(id)
      if (first !== undefined) {
        report(
          'must',
          pointerJoin(pointer, 'id'),
          'extension-invalid',
          `${p.label}: "id" ${show(segment.id)} is already used by segments[${first}]; segment ids MUST be unique (WTF §6.2.1.2).`,
        )
      } else ids.set(id, k)
    }
    const end = checkSpan(report, p, true)
    checkString(report, p, 'text', { required: true, allowEmpty: true })
    checkUnitInterval(report, p, 'confidence', { required: true })
    checkSpeakerRef(report, p)
    const words = checkArray(report, p, 'words')
    words?.forEach((w, i) => {
      const wp = pointerJoin(pointer, 'words', i)
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0) {
        report(
          'must',
          wp,
          'wrong-type',
          `${p.label}: words[${i}] must be a word index; got ${show(w)}.`,
        )
      } else if (wordCount !== undefined && w >= wordCount) {
        report(
          'should',
          wp,
          'extension-invalid',
          `${p.label}: words[${i}] is ${w} but the body has ${wordCount} words.`,
        )
      }
    })
    if (end !== undefined && duration !== undefined && end > duration + TIMING_SLACK) {
      report(
        'should',
        pointerJoin(pointer, 'end'),
        'extension-invalid',
        `${p.label}: "end" (${end} s) lies after the transcript duration (${duration} s).`,
      )
    }
  })
  return new Set(ids.keys())
}

function checkMetadata(report: Report, at: Place): void {
  const metadata = checkObject(report, at, 'metadata', { required: true })
  if (metadata === undefined) return
  const m = nested(at, 'metadata', metadata)
  // The draft asks for ISO 8601, which allows a date-time without a zone.
  checkDate(report, m, 'created_at', { required: true, zonelessLevel: 'accept' })
  checkDate(report, m, 'processed_at', { required: true, zonelessLevel: 'accept' })
  const provider = checkString(report, m, 'provider', { required: true })
  if (provider !== undefined && provider !== provider.toLowerCase()) {
    report(
      'should',
      pointerJoin(m.base, 'provider'),
      'extension-invalid',
      `${m.label}: "provider" ${show(provider)} should be lowercase (WTF §6.2.1.3).`,
    )
  }
  checkString(report, m, 'model', { required: true })
  checkNumber(report, m, 'processing_time', { min: 0 })
  // The draft's own second example omits audio, hence a warning only.
  const audio = checkObject(report, m, 'audio', { required: true, level: 'should' })
  if (audio !== undefined) {
    const a = nested(m, 'audio', audio)
    checkNumber(report, a, 'duration', { required: true, min: 0 })
    checkNumber(report, a, 'sample_rate', { min: 0, integer: true })
    checkNumber(report, a, 'channels', { min: 0, integer: true })
    checkNumber(report, a, 'bitrate', { min: 0, integer: true })
    checkString(report, a, 'format')
  }
  checkObject(report, m, 'options')
}

function checkWords(report: Report, at: Place): void {
  const words = checkArray(report, at, 'words')
  words?.forEach((word, k) => {
    const pointer = pointerJoin(at.base, 'words', k)
    if (!isObject(word)) {
      report('must', pointer, 'wrong-type', `${at.label}: words[${k}] must be an object.`)
      return
    }
    const p = placeOf(word, pointer, `${at.label}: words[${k}]`)
    checkId(report, p, true)
    checkSpan(report, p, false)
    checkString(report, p, 'text', { required: true, allowEmpty: true })
    checkUnitInterval(report, p, 'confidence', { required: true })
    checkSpeakerRef(report, p)
    checkBoolean(report, p, 'is_punctuation')
  })
}

function checkSpeakers(report: Report, at: Place, segmentIds: ReadonlySet<string>): void {
  const speakers = checkObject(report, at, 'speakers')
  if (speakers === undefined) return
  for (const name of Object.keys(speakers)) {
    const pointer = pointerJoin(at.base, 'speakers', name)
    const speaker = speakers[name]
    if (!isObject(speaker)) {
      report('must', pointer, 'wrong-type', `${at.label}: speakers["${name}"] must be an object.`)
      continue
    }
    const p = placeOf(speaker, pointer, `${at.label}: speakers["${name}"]`)
    checkId(report, p, false)
    checkString(report, p, 'label')
    checkNumber(report, p, 'total_time', { min: 0 })
    checkUnitInterval(report, p, 'confidence')
    const segments = checkArray(report, p, 'segments')
    segments?.forEach((id, i) => {
      const key = idKey(id)
      if (key === undefined || !segmentIds.has(key)) {
        report(
          'should',
          pointerJoin(pointer, 'segments', i),
          'extension-invalid',
          `${p.label}: segments[${i}] (${show(id)}) is not the id of a segment.`,
        )
      }
    })
  }
}

function checkAlternatives(report: Report, at: Place): void {
  const alternatives = checkArray(report, at, 'alternatives')
  alternatives?.forEach((alternative, k) => {
    const pointer = pointerJoin(at.base, 'alternatives', k)
    if (!isObject(alternative)) {
      report('must', pointer, 'wrong-type', `${at.label}: alternatives[${k}] must be an object.`)
      return
    }
    const p = placeOf(alternative, pointer, `${at.label}: alternatives[${k}]`)
    checkNumber(report, p, 'rank', { required: true, min: 1, integer: true })
    checkUnitInterval(report, p, 'confidence', { required: true })
    const transcript = checkObject(report, p, 'transcript')
    if (transcript !== undefined) {
      const t = nested(p, 'transcript', transcript)
      checkString(report, t, 'text', { allowEmpty: true })
      checkUnitInterval(report, t, 'confidence')
    }
    checkArray(report, p, 'segments')
  })
}

function checkEnrichments(report: Report, at: Place): void {
  const enrichments = checkObject(report, at, 'enrichments')
  if (enrichments === undefined) return
  const e = nested(at, 'enrichments', enrichments)
  const sentiment = checkObject(report, e, 'sentiment')
  if (sentiment !== undefined) {
    const s = nested(e, 'sentiment', sentiment)
    checkEnum(report, s, 'overall', ['positive', 'negative', 'neutral'], { level: 'should' })
    checkNumber(report, s, 'score', { min: -1, max: 1 })
  }
  const entities = checkArray(report, e, 'entities')
  entities?.forEach((entity, k) => {
    const pointer = pointerJoin(e.base, 'entities', k)
    if (!isObject(entity)) {
      report('must', pointer, 'wrong-type', `${e.label}: entities[${k}] must be an object.`)
      return
    }
    const p = placeOf(entity, pointer, `${e.label}: entities[${k}]`)
    checkString(report, p, 'text')
    checkString(report, p, 'type')
    checkNumber(report, p, 'start', { min: 0 })
    checkNumber(report, p, 'end', { min: 0 })
  })
  checkStringArray(report, e, 'topics')
  checkString(report, e, 'summary', { allowEmpty: true })
}

function checkQuality(report: Report, at: Place): void {
  const quality = checkObject(report, at, 'quality')
  if (quality === undefined) return
  const q = nested(at, 'quality', quality)
  checkEnum(report, q, 'audio_quality', ['high', 'medium', 'low'], { level: 'should' })
  checkUnitInterval(report, q, 'background_noise')
  checkBoolean(report, q, 'multiple_speakers')
  checkBoolean(report, q, 'overlapping_speech')
  checkNumber(report, q, 'silence_ratio', { min: 0 })
  checkUnitInterval(report, q, 'average_confidence')
  checkNumber(report, q, 'low_confidence_words', { min: 0, integer: true })
  checkStringArray(report, q, 'processing_warnings')
}

function checkStreaming(report: Report, at: Place): void {
  const streaming = checkObject(report, at, 'streaming')
  if (streaming === undefined) return
  const s = nested(at, 'streaming', streaming)
  checkString(report, s, 'session_id')
  checkBoolean(report, s, 'is_final')
  checkUnitInterval(report, s, 'stability')
  checkNumber(report, s, 'latency_ms', { min: 0, integer: true })
}
