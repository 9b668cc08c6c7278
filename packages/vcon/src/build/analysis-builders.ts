/**
 * @module Makes analysis (core draft §4.5) and attachment (core draft §4.4) objects for the builder, checking
 * their indices against the vCon being built. Inputs are copied, never mutated.
 */
import type { ContentHash, Encoding, IndexOrIndices, JsonValue } from '../model/vcon.js'
import {
  addExtra,
  checkIndex,
  checkIndices,
  checkMediatype,
  checkText,
  contentFields,
  type DateInput,
  toDateString,
} from './builder-checks.js'

/** Counts of the arrays an analysis or attachment may point into. */
export interface AnnexContext {
  readonly partyCount: number
  readonly dialogCount: number
  readonly attachmentCount: number
}

/** An analysis: a body (any JSON value, a string, or bytes) or an external reference. */
export interface AnalysisOptions {
  /** e.g. transcript, summary, sentiment, wtf_transcription. */
  readonly type: string
  /** The dialog(s) the analysis was derived from. */
  readonly dialog?: IndexOrIndices
  /** The attachment(s) the analysis was derived from (core-03). */
  readonly attachment?: IndexOrIndices
  /** The vendor or product that produced it (required by the draft). */
  readonly vendor: string
  readonly product?: string
  /** A label for the body's data format. */
  readonly schema?: string
  /** Non-string JSON value → encoding "json" (native); string → "none"; bytes → "base64url". */
  readonly body?: unknown
  /** Only to override the default: "json" parses a string body, "base64url" marks it as base64url. */
  readonly encoding?: Encoding
  readonly mediatype?: string
  readonly filename?: string
  readonly url?: string
  readonly contentHash?: ContentHash
  readonly extra?: Readonly<Record<string, unknown>>
}

/** An attachment. `party` is the party that distributed it (core-03: MUST). */
export interface AttachmentOptions {
  readonly purpose: string
  readonly party: number
  /** The dialog it belongs to. The draft and its schema require it; leave it out only for vCon-wide data. */
  readonly dialog?: number
  /** When it was exchanged; defaults to the builder's clock. */
  readonly start?: DateInput
  readonly body?: unknown
  readonly encoding?: Encoding
  /** Defaults by body: application/json (JSON), text/plain (string), application/octet-stream (bytes). */
  readonly mediatype?: string
  readonly filename?: string
  readonly url?: string
  readonly contentHash?: ContentHash
  readonly extra?: Readonly<Record<string, unknown>>
}

/** An analysis object in the draft's key order. */
export function makeAnalysis(
  options: AnalysisOptions,
  ctx: AnnexContext,
): Record<string, JsonValue> {
  const field = 'addAnalysis'
  const out: Record<string, JsonValue> = { type: checkText(options.type, `${field}.type`) }
  if (options.dialog !== undefined) {
    out.dialog = checkIndices(options.dialog, ctx.dialogCount, `${field}.dialog`, 'dialogs')
  }
  if (options.attachment !== undefined) {
    out.attachment = checkIndices(
      options.attachment,
      ctx.attachmentCount,
      `${field}.attachment`,
      'attachments',
    )
  }
  if (options.mediatype !== undefined)
    out.mediatype = checkMediatype(options.mediatype, `${field}.mediatype`)
  if (options.filename !== undefined)
    out.filename = checkText(options.filename, `${field}.filename`)
  out.vendor = checkText(options.vendor, `${field}.vendor`)
  if (options.product !== undefined) out.product = checkText(options.product, `${field}.product`)
  if (options.schema !== undefined) out.schema = checkText(options.schema, `${field}.schema`)
  Object.assign(out, contentFields(options, field, { json: true }))
  addExtra(out, options.extra, `${field}.extra`)
  return out
}

function defaultMediatype(content: Record<string, JsonValue>): string | undefined {
  switch (content.encoding) {
    case 'json':
      return 'application/json'
    case 'none':
      return 'text/plain'
    case 'base64url':
      return 'application/octet-stream'
    default:
      return undefined
  }
}

/** An attachment object in the draft's key order; `start` comes from `now` when not given. */
export function makeAttachment(
  options: AttachmentOptions,
  ctx: AnnexContext,
  now: () => Date,
): Record<string, JsonValue> {
  const field = 'addAttachment'
  const out: Record<string, JsonValue> = { purpose: checkText(options.purpose, `${field}.purpose`) }
  out.start = toDateString(options.start ?? now(), `${field}.start`)
  out.party = checkIndex(options.party, ctx.partyCount, `${field}.party`, 'parties')
  if (options.dialog !== undefined) {
    out.dialog = checkIndex(options.dialog, ctx.dialogCount, `${field}.dialog`, 'dialogs')
  }
  const content = contentFields(options, field, { json: true })
  const mediatype = options.mediatype ?? defaultMediatype(content)
  if (mediatype !== undefined) out.mediatype = checkMediatype(mediatype, `${field}.mediatype`)
  if (options.filename !== undefined)
    out.filename = checkText(options.filename, `${field}.filename`)
  Object.assign(out, content)
  addExtra(out, options.extra, `${field}.extra`)
  return out
}
