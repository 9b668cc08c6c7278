/**
 * @module Makes the dialog objects of each type (core draft §4.3): text, recording, incomplete, transfer,
 * recording-set. Each function checks its options against the vCon being built and returns a new object with
 * the draft's key order; it never mutates the options it is given.
 */
import type {
  ContentHash,
  DialogParties,
  DialogSessionId,
  Disposition,
  IndexOrIndices,
  JsonValue,
} from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'
import {
  addExtra,
  bad,
  checkDialogParties,
  checkDisposition,
  checkDuration,
  checkIndex,
  checkIndices,
  checkMediatype,
  checkText,
  contentFields,
  type DateInput,
  type PartyHistoryInput,
  partyHistoryFields,
  sessionIdFields,
  toDateString,
} from './builder-checks.js'

/** What the dialog makers need to know about the vCon being built. */
export interface DialogContext {
  readonly partyCount: number
  /** The dialogs added so far (for index and type checks). */
  readonly dialogs: readonly Readonly<Record<string, unknown>>[]
}

/** Options every captured dialog takes. */
export interface DialogCommonOptions {
  readonly parties: DialogParties
  readonly start: DateInput
  /** Seconds, ≥ 0. */
  readonly duration?: number
  /** Only when the first party listed is not the originator. */
  readonly originator?: number
  readonly sessionId?: DialogSessionId
  readonly partyHistory?: readonly PartyHistoryInput[]
  readonly application?: string
  readonly messageId?: string
  /** Extension fields to add to the dialog (they may not repeat a field the builder sets). */
  readonly extra?: Readonly<Record<string, unknown>>
}

/** A text dialog: a chat message, SMS or email (core draft §4.3). */
export interface TextDialogOptions extends DialogCommonOptions {
  /** The text as is, or bytes (written as base64url). */
  readonly body: string | Uint8Array
  /** Defaults to "text/plain". */
  readonly mediatype?: string
  /** "none" (default for a string) or "base64url" (the string is already base64url). */
  readonly encoding?: 'none' | 'base64url'
  readonly filename?: string
}

/** A recording dialog, inline (`body`) or external (`url` + `contentHash`). */
export interface RecordingDialogOptions extends DialogCommonOptions {
  readonly mediatype: string
  readonly filename?: string
  /** The media bytes, or base64url text of them. */
  readonly body?: Uint8Array | string
  /** An https URL of the media; requires `contentHash`. */
  readonly url?: string
  readonly contentHash?: ContentHash
  /** Index of the recording-set dialog this recording belongs to (core-03). */
  readonly recordingSet?: number
}

/** A call that did not connect (core draft §4.3.11). */
export interface IncompleteDialogOptions extends DialogCommonOptions {
  readonly disposition: Disposition
}

/** The roles of a transfer (core draft §4.3, RFC 5589); legs are dialog indices. */
export interface TransferDialogOptions {
  readonly start: DateInput
  readonly transferee: number
  readonly transferor: number
  readonly transferTarget: IndexOrIndices
  readonly original: IndexOrIndices
  readonly targetDialog: IndexOrIndices
  readonly consultation?: IndexOrIndices
  readonly extra?: Readonly<Record<string, unknown>>
}

/** A set of recordings of one session (core-03). */
export interface RecordingSetOptions {
  readonly parties: DialogParties
  readonly start: DateInput
  /** Indices of existing `recording` dialogs. */
  readonly recordings: readonly number[]
  readonly duration?: number
  readonly sessionId?: DialogSessionId
  readonly partyHistory?: readonly PartyHistoryInput[]
  readonly application?: string
  readonly extra?: Readonly<Record<string, unknown>>
}

function head(
  type: string,
  options: Pick<DialogCommonOptions, 'parties' | 'start' | 'duration' | 'originator'>,
  ctx: DialogContext,
  field: string,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    type,
    start: toDateString(options.start, `${field}.start`),
  }
  if (options.duration !== undefined)
    out.duration = checkDuration(options.duration, `${field}.duration`)
  out.parties = checkDialogParties(options.parties, ctx.partyCount, `${field}.parties`) as JsonValue
  if (options.originator !== undefined) {
    out.originator = checkIndex(
      options.originator,
      ctx.partyCount,
      `${field}.originator`,
      'parties',
    )
  }
  return out
}

function tail(
  out: Record<string, JsonValue>,
  options: Omit<DialogCommonOptions, 'parties' | 'start' | 'duration' | 'originator'>,
  ctx: DialogContext,
  field: string,
): Record<string, JsonValue> {
  if (options.sessionId !== undefined) {
    out.session_id = sessionIdFields(options.sessionId, `${field}.sessionId`)
  }
  if (options.partyHistory !== undefined) {
    out.party_history = partyHistoryFields(
      options.partyHistory,
      ctx.partyCount,
      `${field}.partyHistory`,
    )
  }
  return out
}

function trailer(
  out: Record<string, JsonValue>,
  options: { application?: string; messageId?: string; extra?: Readonly<Record<string, unknown>> },
  field: string,
): Record<string, JsonValue> {
  if (options.application !== undefined)
    out.application = checkText(options.application, `${field}.application`)
  if (options.messageId !== undefined)
    out.message_id = checkText(options.messageId, `${field}.messageId`)
  addExtra(out, options.extra, `${field}.extra`)
  return out
}

/** A `text` dialog. */
export function makeTextDialog(
  options: TextDialogOptions,
  ctx: DialogContext,
): Record<string, JsonValue> {
  const field = 'addTextDialog'
  const out = head('text', options, ctx, field)
  out.mediatype = checkMediatype(options.mediatype ?? 'text/plain', `${field}.mediatype`)
  if (options.filename !== undefined)
    out.filename = checkText(options.filename, `${field}.filename`)
  if (options.body === undefined) bad(`\`${field}.body\` is required: the text of the message.`)
  const content = contentFields({ body: options.body, encoding: options.encoding }, field, {
    json: false,
  })
  Object.assign(out, content)
  tail(out, options, ctx, field)
  return trailer(out, options, field)
}

/** A `recording` dialog (without its recording_set link, which the builder sets). */
export function makeRecordingDialog(
  options: RecordingDialogOptions,
  ctx: DialogContext,
): Record<string, JsonValue> {
  const field = 'addRecordingDialog'
  const out = head('recording', options, ctx, field)
  out.mediatype = checkMediatype(options.mediatype, `${field}.mediatype`)
  if (options.filename !== undefined)
    out.filename = checkText(options.filename, `${field}.filename`)
  const content = contentFields(
    { body: options.body, url: options.url, contentHash: options.contentHash },
    field,
    { json: false, stringIsBase64url: true },
  )
  Object.assign(out, content)
  tail(out, options, ctx, field)
  if (options.recordingSet !== undefined) {
    const set = checkIndex(
      options.recordingSet,
      ctx.dialogs.length,
      `${field}.recordingSet`,
      'dialogs',
    )
    if (ctx.dialogs[set]?.type !== 'recording-set') {
      bad(
        `\`${field}.recordingSet\` must point at a recording-set dialog; dialog ${set} is not one.`,
      )
    }
    out.recording_set = set
  }
  return trailer(out, options, field)
}

/** An `incomplete` dialog: no content, a disposition. */
export function makeIncompleteDialog(
  options: IncompleteDialogOptions,
  ctx: DialogContext,
): Record<string, JsonValue> {
  const field = 'addIncompleteDialog'
  const out = head('incomplete', options, ctx, field)
  out.disposition = checkDisposition(options.disposition, `${field}.disposition`)
  tail(out, options, ctx, field)
  return trailer(out, options, field)
}

function checkLegs(
  value: IndexOrIndices,
  ctx: DialogContext,
  field: string,
  allowed: readonly string[],
): number | number[] {
  const legs = checkIndices(value, ctx.dialogs.length, field, 'dialogs')
  for (const index of Array.isArray(legs) ? legs : [legs]) {
    const dialog = ctx.dialogs[index]
    // An unknown leg is an empty placeholder `{}` (core draft §4.3, notes §c).
    const placeholder = isObject(dialog) && Object.keys(dialog).length === 0
    if (!placeholder && !allowed.includes(String(dialog?.type))) {
      bad(
        `\`${field}\` points at dialog ${index}, a ${String(dialog?.type)}; it must be ${allowed.join(', ')} or {}.`,
      )
    }
  }
  return legs
}

/** A `transfer` dialog: roles by party index, legs by dialog index; no parties, content or mediatype. */
export function makeTransferDialog(
  options: TransferDialogOptions,
  ctx: DialogContext,
): Record<string, JsonValue> {
  const field = 'addTransferDialog'
  const n = ctx.partyCount
  const out: Record<string, JsonValue> = {
    type: 'transfer',
    start: toDateString(options.start, `${field}.start`),
    transferee: checkIndex(options.transferee, n, `${field}.transferee`, 'parties'),
    transferor: checkIndex(options.transferor, n, `${field}.transferor`, 'parties'),
    transfer_target: checkIndices(options.transferTarget, n, `${field}.transferTarget`, 'parties'),
    original: checkLegs(options.original, ctx, `${field}.original`, ['recording', 'text']),
  }
  if (options.consultation !== undefined) {
    out.consultation = checkLegs(options.consultation, ctx, `${field}.consultation`, [
      'recording',
      'text',
      'incomplete',
    ])
  }
  out.target_dialog = checkLegs(options.targetDialog, ctx, `${field}.targetDialog`, [
    'recording',
    'text',
    'incomplete',
  ])
  addExtra(out, options.extra, `${field}.extra`)
  return out
}

/** A `recording-set` dialog listing its member recordings (the builder links the members back). */
export function makeRecordingSet(
  options: RecordingSetOptions,
  ctx: DialogContext,
): Record<string, JsonValue> {
  const field = 'addRecordingSet'
  const out = head('recording-set', options, ctx, field)
  if (!Array.isArray(options.recordings) || options.recordings.length === 0) {
    bad(`\`${field}.recordings\` must list at least one recording dialog index.`)
  }
  const seen = new Set<number>()
  const recordings = options.recordings.map((value, i) => {
    const at = `${field}.recordings[${i}]`
    const index = checkIndex(value, ctx.dialogs.length, at, 'dialogs')
    const member = ctx.dialogs[index]
    if (member?.type !== 'recording')
      bad(`\`${at}\` points at dialog ${index}, which is not a recording.`)
    if (member.recording_set !== undefined) {
      bad(
        `\`${at}\`: dialog ${index} already belongs to recording-set ${String(member.recording_set)}.`,
      )
    }
    if (seen.has(index)) bad(`\`${at}\` lists dialog ${index} twice.`)
    seen.add(index)
    return index
  })
  tail(out, options, ctx, field)
  out.recordings = recordings
  return trailer(out, options, field)
}
