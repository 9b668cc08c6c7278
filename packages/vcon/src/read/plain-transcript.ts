/**
 * @module The plain transcript of a vCon: who said what, in time order, from text dialogs (core draft §4.3),
 * `wtf_transcription` analyses (WTF extension) and `transcript` analyses of common vendors. When several
 * sources cover the same dialog, the best one wins: the dialog's own text, then WTF, then a vendor transcript.
 */
import { isObject, isUnsignedInt } from '../validate/primitives.js'
import { bodyText, getJsonBody, mediaTypeOf } from './body.js'
import { multipartPlainText } from './multipart-text.js'
import { type TranscriptPiece, transcriptPieces, wtfPieces } from './transcript-shapes.js'

/** Where a transcript line came from. */
export type TranscriptSource = 'text-dialog' | 'transcript' | 'wtf_transcription'

/** One line of a plain transcript. */
export interface TranscriptLine {
  /** The dialog the line belongs to. */
  readonly dialog?: number
  /** The party who wrote or said it, when known (a party index). */
  readonly party?: number
  /** A speaker label from the transcription (e.g. "Speaker 0"), when no party is known. */
  readonly speaker?: string
  /** When it was said: the dialog start plus the line's offset. */
  readonly start?: string
  readonly text: string
  readonly source: TranscriptSource
}

/** A transcript as lines and as one text ("Name: text" per line when the party has a name). */
export interface PlainTranscript {
  readonly text: string
  readonly lines: readonly TranscriptLine[]
}

/** Text media types read as they are (agent_session writes markdown text dialogs). */
const PLAIN_TYPES = new Set(['text/plain', 'text/markdown', 'text/x-markdown'])

/** Better sources have higher ranks. */
const RANK: Readonly<Record<TranscriptSource, number>> = {
  'text-dialog': 3,
  wtf_transcription: 2,
  transcript: 1,
}

interface Candidate {
  readonly source: TranscriptSource
  /** The dialog whose timing the lines use, and which the source covers. */
  readonly dialog: number | undefined
  readonly lines: TranscriptLine[]
}

function firstParty(dialog: Record<string, unknown>): number | undefined {
  if (isUnsignedInt(dialog.originator)) return dialog.originator
  const parties = dialog.parties
  if (isUnsignedInt(parties)) return parties
  if (!Array.isArray(parties)) return undefined
  for (const channel of parties) {
    if (isUnsignedInt(channel)) return channel
    if (Array.isArray(channel) && isUnsignedInt(channel[0])) return channel[0]
  }
  return undefined
}

function textOfTextDialog(dialog: Record<string, unknown>): string | undefined {
  const text = bodyText(dialog)
  if (text === undefined) return undefined
  const type = mediaTypeOf(dialog)
  // Legacy text dialogs often have no media type; their body is the message text.
  if (type === undefined || PLAIN_TYPES.has(type)) return text.replace(/\r\n?/g, '\n')
  if (type.startsWith('multipart/')) {
    const raw = (
      typeof dialog.mediatype === 'string' ? dialog.mediatype : dialog.mimetype
    ) as string
    return multipartPlainText(text, raw)?.replace(/\r\n?/g, '\n')
  }
  return undefined
}

function offsetDate(start: unknown, offset: number | undefined): string | undefined {
  if (typeof start !== 'string') return undefined
  if (offset === undefined) return start
  const base = Date.parse(start)
  return Number.isNaN(base) ? start : new Date(base + Math.round(offset * 1000)).toISOString()
}

function dialogIndex(value: unknown): number | undefined {
  if (isUnsignedInt(value)) return value
  if (Array.isArray(value) && isUnsignedInt(value[0])) return value[0]
  return undefined
}

function linesOf(
  pieces: readonly TranscriptPiece[],
  source: TranscriptSource,
  dialog: number | undefined,
  dialogs: readonly unknown[],
  party: number | undefined,
): TranscriptLine[] {
  const target = dialog === undefined ? undefined : dialogs[dialog]
  const start = isObject(target) ? target.start : undefined
  return pieces.map((p) => {
    const at = offsetDate(start, p.offset)
    return {
      ...(dialog === undefined ? {} : { dialog }),
      ...(p.speaker === undefined && party !== undefined ? { party } : {}),
      ...(p.speaker === undefined ? {} : { speaker: p.speaker }),
      ...(at === undefined ? {} : { start: at }),
      text: p.text,
      source,
    }
  })
}

function collect(vcon: Readonly<Record<string, unknown>>): Candidate[] {
  const dialogs = Array.isArray(vcon.dialog) ? (vcon.dialog as unknown[]) : []
  const out: Candidate[] = []
  dialogs.forEach((dialog, index) => {
    if (!isObject(dialog) || dialog.type !== 'text') return
    const text = textOfTextDialog(dialog)?.trim()
    if (text === undefined || text === '') return
    const party = firstParty(dialog)
    const line: TranscriptLine = {
      dialog: index,
      ...(party === undefined ? {} : { party }),
      ...(typeof dialog.start === 'string' ? { start: dialog.start } : {}),
      text,
      source: 'text-dialog',
    }
    out.push({ source: 'text-dialog', dialog: index, lines: [line] })
  })
  const add = (item: unknown, kind: 'analysis' | 'attachment') => {
    if (!isObject(item)) return
    const tag = kind === 'analysis' ? item.type : (item.purpose ?? item.type)
    const source: TranscriptSource | undefined =
      tag === 'wtf_transcription'
        ? 'wtf_transcription'
        : tag === 'transcript' && kind === 'analysis'
          ? 'transcript'
          : undefined
    if (source === undefined) return
    const body = getJsonBody(item)
    const pieces = source === 'wtf_transcription' ? wtfPieces(body) : transcriptPieces(body)
    if (pieces === undefined || pieces.length === 0) return
    const dialog = dialogIndex(item.dialog)
    // WTF carries `party` for a single-speaker transcription (WTF extension §4.1).
    const party = isUnsignedInt(item.party) ? item.party : undefined
    out.push({ source, dialog, lines: linesOf(pieces, source, dialog, dialogs, party) })
  }
  if (Array.isArray(vcon.analysis)) for (const a of vcon.analysis) add(a, 'analysis')
  if (Array.isArray(vcon.attachments)) for (const a of vcon.attachments) add(a, 'attachment')
  return out
}

/** Keeps, per dialog, the first candidate of the best rank; candidates tied to no dialog are all kept. */
function choose(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<number, Candidate>()
  for (const c of candidates) {
    if (c.dialog === undefined) continue
    const current = best.get(c.dialog)
    if (current === undefined || RANK[c.source] > RANK[current.source]) best.set(c.dialog, c)
  }
  return candidates.filter((c) => c.dialog === undefined || best.get(c.dialog) === c)
}

function label(line: TranscriptLine, parties: readonly unknown[]): string | undefined {
  if (line.party !== undefined) {
    const party = parties[line.party]
    const name = isObject(party) && typeof party.name === 'string' ? party.name.trim() : ''
    if (name !== '') return name
  }
  return line.speaker
}

/**
 * The plain transcript of a vCon, ordered by start time (lines without a time last, in source order).
 * Tolerates legacy files (`mimetype`, missing encoding, stringified JSON bodies).
 */
export function plainTranscript(vcon: Readonly<Record<string, unknown>>): PlainTranscript {
  const lines = choose(collect(vcon)).flatMap((c) => c.lines)
  const keyed = lines.map((line, order) => {
    const time = line.start === undefined ? Number.NaN : Date.parse(line.start)
    return { line, order, time }
  })
  keyed.sort((a, b) => {
    const aTimed = !Number.isNaN(a.time)
    const bTimed = !Number.isNaN(b.time)
    if (aTimed !== bTimed) return aTimed ? -1 : 1
    if (aTimed && a.time !== b.time) return a.time - b.time
    return a.order - b.order
  })
  const sorted = keyed.map((k) => k.line)
  const parties = Array.isArray(vcon.parties) ? (vcon.parties as unknown[]) : []
  const text = sorted
    .map((line) => {
      const name = label(line, parties)
      return name === undefined ? line.text : `${name}: ${line.text}`
    })
    .join('\n')
  return { text, lines: sorted }
}
