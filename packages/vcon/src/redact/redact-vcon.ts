/**
 * @module Redaction: a new vCon, with a new uuid, whose `redacted` object points at the less-redacted original
 * (core draft §4.1.8, notes §c). Whole elements become `{}` placeholders so that every index stays valid; spans
 * of text are replaced; what was removed is counted by kind, and the values themselves are never recorded.
 */
import { VconError } from '../errors/vcon-error.js'
import { defaultRegistry } from '../extensions/default-registry.js'
import type { ExtensionRegistry } from '../extensions/registry.js'
import { copyJson } from '../internal/deep.js'
import type { ContentHash, Redacted, Vcon } from '../model/vcon.js'
import { pointerJoin } from '../validate/issue.js'
import { isHttpsUrl, isUuidSyntax, parseContentHashToken } from '../validate/primitives.js'
import {
  dropAnalyses,
  dropAttachments,
  dropDerivedAnalyses,
  dropDialogs,
  dropMedia,
  dropPartyFields,
} from './drop-elements.js'
import { createKnownNamesDetector } from './known-names.js'
import { combineDetectors } from './pii-detector.js'
import { redactContent } from './redact-content.js'
import { parseRedactionPolicy, type RedactionPolicy, summarisePolicy } from './redaction-policy.js'
import { createRegexPiiDetector } from './regex-pii-detector.js'
import { TextRedactor } from './text-redactor.js'

/** Options of `redactVcon`. */
export interface RedactOptions {
  /** The uuid of the new vCon (a function is called once). Must differ from the original's. */
  readonly newUuid: string | (() => string)
  /** Where the original is stored (access-controlled, core draft §4.1.8.3) and the hash of its bytes there. */
  readonly original?: { readonly url: string; readonly contentHash: ContentHash }
  /** The extensions this redactor understands (default `defaultRegistry`). */
  readonly registry?: ExtensionRegistry
  /** Redact even if the vCon lists an extension the registry does not know. Critical ones still refuse. */
  readonly force?: boolean
  /** The clock for `updated_at` (and `created_at` when the original has none). */
  readonly now?: () => Date
  /** Append a `redaction_report` analysis with the counts (default true). */
  readonly recordReport?: boolean
}

/** What a redaction removed: counts, indices and JSON pointers only, never the removed values. */
export interface RedactionReport {
  /** `redacted.type` of the new vCon. */
  readonly type: string
  /** Spans replaced (or found in bodies removed whole), by kind. */
  readonly removed: Readonly<Record<string, number>>
  readonly dialogsDropped: readonly number[]
  readonly analysesDropped: readonly number[]
  readonly attachmentsDropped: readonly number[]
  /** Fields removed from parties, with how many parties lost each. */
  readonly partyFieldsRemoved: Readonly<Record<string, number>>
  /** Dialogs whose media (body or url) was removed, content_hash kept. */
  readonly mediaDropped: readonly number[]
  /** Bodies removed whole because they could not be rewritten safely (e.g. multipart with encoded parts). */
  readonly bodiesDropped: readonly string[]
  /** Objects whose content_hash was removed because their body changed. */
  readonly contentHashesRemoved: readonly string[]
  /** Content the redactor could not read (external urls, binary bodies, unknown encodings). */
  readonly uninspected: readonly string[]
}

/** The new vCon and the report of what was removed. */
export interface RedactResult {
  readonly vcon: Vcon
  readonly report: RedactionReport
}

type Obj = Record<string, unknown>

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

function objects(value: unknown, field: string): Obj[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) bad(`\`${field}\` must be an array.`)
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      bad(`\`${field}/${i}\` must be an object; parse and validate the vCon first.`)
    }
    return item as Obj
  })
}

/**
 * The draft advises a redactor to refuse a vCon with any extension it does not understand (core draft §2.5):
 * unknown fields may carry personal data. A critical one is refused even when forced, because a reader MUST NOT
 * process a vCon whose critical extension it does not support.
 */
function checkExtensions(vcon: Vcon, registry: ExtensionRegistry, force: boolean): void {
  const listed = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  const critical = listed(vcon.critical).filter((n) => !registry.has(n))
  if (critical.length > 0) {
    throw new VconError(
      'VCON_CRITICAL_UNSUPPORTED',
      `The vCon lists ${critical.map((n) => `"${n}"`).join(', ')} in critical and this redactor does not support it; it must not process the vCon (core draft §2.5). Register the extension to redact it.`,
    )
  }
  const unknown = [...new Set(listed(vcon.extensions))].filter((n) => !registry.has(n))
  if (unknown.length > 0 && !force) {
    throw new VconError(
      'VCON_REDACTION_REFUSED',
      `The vCon uses the extension${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}, which this redactor does not understand; its fields may hold personal data that would be left in place (core draft §2.5). Register the extension, or pass force: true to redact anyway.`,
    )
  }
}

function resolveUuid(newUuid: RedactOptions['newUuid'], originalUuid: string): string {
  const uuid = typeof newUuid === 'function' ? newUuid() : newUuid
  if (typeof uuid !== 'string' || !isUuidSyntax(uuid)) {
    bad(
      '`newUuid` must be a uuid (8-4-4-4-12 hex), e.g. from uuid8(); a redacted vCon is a new vCon.',
    )
  }
  if (uuid.toLowerCase() === originalUuid.toLowerCase()) {
    bad('`newUuid` equals the original uuid; a redacted vCon needs a new uuid (core draft §4.1.8).')
  }
  return uuid
}

function checkOriginalRef(original: RedactOptions['original']): void {
  if (original === undefined) return
  if (typeof original.url !== 'string' || !isHttpsUrl(original.url)) {
    bad('`original.url` must be an https URL (core draft §2.4.2).')
  }
  const tokens =
    typeof original.contentHash === 'string' ? [original.contentHash] : original.contentHash
  if (
    !Array.isArray(tokens) ||
    tokens.length === 0 ||
    !tokens.every((t) => parseContentHashToken(t))
  ) {
    bad('`original.contentHash` must be a content_hash token such as "sha512-…" (core draft §2.4).')
  }
}

/**
 * Makes a redacted copy of `vcon` following `policy`. The input is never changed. Throws VCON_REDACTION_REFUSED
 * for an extension the registry does not know (unless `force`), VCON_CRITICAL_UNSUPPORTED for an unsupported
 * critical extension, and VCON_BAD_ARGUMENT for a wrong policy or options.
 *
 * @example
 * const { vcon: safe, report } = redactVcon(vcon, { partyFields: ['tel'], text: {} }, { newUuid: uuid8(...) })
 */
export function redactVcon(
  vcon: Vcon,
  policy: RedactionPolicy,
  options: RedactOptions,
): RedactResult {
  if (typeof vcon !== 'object' || vcon === null || typeof vcon.uuid !== 'string') {
    bad(
      'redactVcon needs an unsigned vCon with a uuid; verify or decrypt signed and encrypted forms first.',
    )
  }
  parseRedactionPolicy(policy)
  checkExtensions(vcon, options.registry ?? defaultRegistry, options.force === true)
  const uuid = resolveUuid(options.newUuid, vcon.uuid)
  checkOriginalRef(options.original)
  const now = (options.now ?? (() => new Date()))().toISOString()

  const copy = copyJson(vcon, 1000) as Obj
  const parties = objects(copy.parties, 'parties')
  const dialogs = objects(copy.dialog, 'dialog')
  const analyses = objects(copy.analysis, 'analysis')
  const attachments = objects(copy.attachments, 'attachments')
  // Names are taken before any party field is removed: they are what the text may still mention.
  const knownNames = parties.flatMap((p) => (typeof p.name === 'string' ? [p.name] : []))

  const dialogsDropped = dropDialogs(dialogs, policy.dialogs ?? [])
  const attachmentsDropped =
    policy.dropAttachments === undefined ? [] : dropAttachments(attachments, policy.dropAttachments)
  const analysesDropped =
    policy.dropAnalyses === undefined ? [] : dropAnalyses(analyses, policy.dropAnalyses)
  if (policy.dropDerivedAnalyses !== false) {
    analysesDropped.push(
      ...dropDerivedAnalyses(analyses, new Set(dialogsDropped), new Set(attachmentsDropped)),
    )
    analysesDropped.sort((a, b) => a - b)
  }
  const mediaDropped = policy.dropMedia === true ? dropMedia(dialogs) : []
  const partyFieldsRemoved = dropPartyFields(parties, policy.partyFields ?? [])

  const bodiesDropped: string[] = []
  const contentHashesRemoved: string[] = []
  const uninspected: string[] = []
  let removed: Record<string, number> = {}
  const text = policy.text
  if (text !== undefined) {
    const base = text.detector ?? createRegexPiiDetector({ kinds: text.kinds })
    const detector =
      text.partyNames === false || knownNames.length === 0
        ? base
        : combineDetectors(base, createKnownNamesDetector(knownNames))
    const redactor = new TextRedactor(detector, text.replacement, text.kinds)
    const targets = new Set(text.targets ?? ['dialog', 'analysis', 'attachments'])
    const arrays: [string, Obj[]][] = [
      ['dialog', dialogs],
      ['analysis', analyses],
      ['attachments', attachments],
    ]
    for (const [field, items] of arrays) {
      if (!targets.has(field as 'dialog')) continue
      items.forEach((item, i) => {
        const pointer = pointerJoin('', field, i)
        const hadHash = item.content_hash !== undefined
        const outcome = redactContent(item, redactor)
        if (outcome === 'body-dropped') bodiesDropped.push(pointer)
        if (outcome === 'uninspected') uninspected.push(pointer)
        if (outcome === 'redacted' && hadHash) contentHashesRemoved.push(pointer)
        for (const key of ['filename', 'message_id']) {
          const value = item[key]
          if (typeof value === 'string') item[key] = redactor.redactString(value)
        }
      })
    }
    if (typeof copy.subject === 'string') copy.subject = redactor.redactString(copy.subject)
    removed = redactor.counts()
  } else {
    // Without text redaction nothing is read, so every content-bearing element is uninspected.
    for (const [field, items] of [
      ['dialog', dialogs],
      ['analysis', analyses],
      ['attachments', attachments],
    ] as const) {
      items.forEach((item, i) => {
        if (item.body !== undefined || item.url !== undefined)
          uninspected.push(pointerJoin('', field, i))
      })
    }
  }
  if (policy.dropMedia !== true) {
    // Recordings are never read: say so, unless their media was removed.
    dialogs.forEach((d, i) => {
      const pointer = pointerJoin('', 'dialog', i)
      if (d.type === 'recording' && (d.body !== undefined || d.url !== undefined)) {
        if (!uninspected.includes(pointer)) uninspected.push(pointer)
      }
    })
  }

  const type = policy.type ?? 'PII Redaction'
  const report: RedactionReport = {
    type,
    removed,
    dialogsDropped,
    analysesDropped,
    attachmentsDropped,
    partyFieldsRemoved,
    mediaDropped,
    bodiesDropped,
    contentHashesRemoved,
    uninspected: uninspected.sort(),
  }
  const redacted: Redacted = {
    uuid: vcon.uuid,
    type,
    ...(options.original === undefined
      ? {}
      : { url: options.original.url, content_hash: options.original.contentHash }),
  }
  if (options.recordReport !== false) analyses.push(reportAnalysis(report, policy, now))

  const out: Obj = { ...copy, uuid }
  // amended and redacted are mutually exclusive (core draft §4.1.9); the lineage continues through the original.
  delete out.amended
  if (copy.parties !== undefined) out.parties = parties
  if (copy.dialog !== undefined) out.dialog = dialogs
  if (copy.analysis !== undefined || analyses.length > 0) out.analysis = analyses
  if (copy.attachments !== undefined) out.attachments = attachments
  // created_at is the conversation's creation time and stays; a vCon without one gets the redaction time,
  // since a strict reader requires it (core draft §4.1.3). updated_at marks this change.
  out.created_at = typeof copy.created_at === 'string' ? copy.created_at : now
  out.updated_at = now
  out.redacted = redacted
  return { vcon: out as unknown as Vcon, report }
}

/**
 * The report kept inside the redacted vCon. It is an analysis (derived from the prior version) rather than an
 * attachment: a strict reader requires `party` and `dialog` on every attachment, and a report about the whole
 * vCon has no truthful value for either.
 */
function reportAnalysis(report: RedactionReport, policy: RedactionPolicy, now: string): Obj {
  return {
    type: 'redaction_report',
    vendor: 'vconkit',
    product: '@vconkit/vcon',
    schema: 'vconkit-redaction-report-1',
    mediatype: 'application/json',
    encoding: 'json',
    body: {
      redaction_type: report.type,
      redacted_at: now,
      kinds: { ...report.removed },
      dialogs_dropped: [...report.dialogsDropped],
      analyses_dropped: [...report.analysesDropped],
      attachments_dropped: [...report.attachmentsDropped],
      party_fields_removed: { ...report.partyFieldsRemoved },
      media_dropped: [...report.mediaDropped],
      bodies_dropped: [...report.bodiesDropped],
      content_hashes_removed: [...report.contentHashesRemoved],
      uninspected: [...report.uninspected],
      policy: summarisePolicy(policy),
    },
  }
}
