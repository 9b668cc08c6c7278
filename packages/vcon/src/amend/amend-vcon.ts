/**
 * @module Amendment: a new vCon version that adds or corrects information. It is a deep copy of the prior
 * version with new items appended (prior indices unchanged) and `amended` pointing at the prior (core draft
 * §4.1.9, notes §c). A signed vCon cannot change, so every addition is a new version.
 */
import { VconError } from '../errors/vcon-error.js'
import { copyJson } from '../internal/deep.js'
import type {
  Amended,
  Analysis,
  Attachment,
  ContentHash,
  Dialog,
  Party,
  Vcon,
} from '../model/vcon.js'
import { isHttpsUrl, isUuidSyntax, parseContentHashToken } from '../validate/primitives.js'
import { parsePointer, setAtPointer } from './json-pointer.js'

/** A correction (rectification): the value at `pointer` in the prior version is replaced by `value`. */
export interface AmendReplacement {
  readonly pointer: string
  readonly value: unknown
}

/** What an amendment adds and corrects. */
export interface AmendChange {
  readonly parties?: readonly Party[]
  readonly dialog?: readonly Dialog[]
  readonly analysis?: readonly Analysis[]
  readonly attachments?: readonly Attachment[]
  /** Corrections, applied in order to the copy before anything is appended. */
  readonly replace?: readonly AmendReplacement[]
  /** Why the corrections were made; recorded with their pointers (never the old values). */
  readonly reason?: string
}

/** The builder-like view a change function receives. Indices returned are those in the new version. */
export interface AmendDraft {
  /** The prior version, read-only. */
  readonly prior: Vcon
  addParty(party: Party): number
  addDialog(dialog: Dialog): number
  addAnalysis(analysis: Analysis): number
  addAttachment(attachment: Attachment): number
  replace(pointer: string, value: unknown): void
  reason(text: string): void
}

/** Options of `amendVcon`. */
export interface AmendOptions {
  /** The uuid of the new version (a function is called once). Must differ from the prior's. */
  readonly newUuid: string | (() => string)
  /** Where the prior version is stored and the hash of its bytes there (core draft §4.1.9). */
  readonly prior?: { readonly url: string; readonly contentHash: ContentHash }
  /** The clock for `updated_at` and the provenance record. */
  readonly now?: () => Date
}

type Obj = Record<string, unknown>

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/** Top-level fields a replacement may not touch: identity and lineage are set by amendVcon itself. */
const PROTECTED = new Set(['uuid', 'amended', 'redacted', 'vcon'])
/** Arrays that may only grow: replacing one whole could reorder or shrink it and break indices. */
const ARRAYS = ['parties', 'dialog', 'analysis', 'attachments'] as const

function collect(change: AmendDraftFn | AmendChange, prior: Vcon): AmendChange {
  if (typeof change !== 'function') return change
  const lists = { parties: [] as Party[], dialog: [] as Dialog[], analysis: [] as Analysis[] }
  const attachments: Attachment[] = []
  const replace: AmendReplacement[] = []
  let reason: string | undefined
  const base = (field: keyof typeof lists | 'attachments'): number => prior[field]?.length ?? 0
  const draft: AmendDraft = {
    prior,
    addParty: (p) => lists.parties.push(p) - 1 + base('parties'),
    addDialog: (d) => lists.dialog.push(d) - 1 + base('dialog'),
    addAnalysis: (a) => lists.analysis.push(a) - 1 + base('analysis'),
    addAttachment: (a) => attachments.push(a) - 1 + base('attachments'),
    replace: (pointer, value) => {
      replace.push({ pointer, value })
    },
    reason: (text) => {
      reason = text
    },
  }
  change(draft)
  return { ...lists, attachments, replace, ...(reason === undefined ? {} : { reason }) }
}

type AmendDraftFn = (draft: AmendDraft) => void

function resolveUuid(newUuid: AmendOptions['newUuid'], priorUuid: string): string {
  const uuid = typeof newUuid === 'function' ? newUuid() : newUuid
  if (typeof uuid !== 'string' || !isUuidSyntax(uuid)) {
    bad('`newUuid` must be a uuid (8-4-4-4-12 hex); an amended vCon is a new version.')
  }
  if (uuid.toLowerCase() === priorUuid.toLowerCase()) {
    bad('`newUuid` equals the prior uuid; an amendment needs a new uuid (core draft §4.1.9).')
  }
  return uuid
}

function checkReplacement(r: AmendReplacement): string[] {
  if (typeof r?.pointer !== 'string') bad('Each replacement needs a `pointer` string (RFC 6901).')
  const tokens = parsePointer(r.pointer)
  const head = tokens[0]
  if (head === undefined || PROTECTED.has(head)) {
    bad(
      `Replacement "${r.pointer}": uuid, vcon, amended and redacted are set by amendVcon; pick another field.`,
    )
  }
  if (tokens.length === 1 && (ARRAYS as readonly string[]).includes(head)) {
    bad(
      `Replacement "${r.pointer}" would replace a whole array; replace single elements and append new ones.`,
    )
  }
  if (r.value === undefined) bad(`Replacement "${r.pointer}" has no value.`)
  return tokens
}

/**
 * Makes the next version of `prior`: corrections applied, new parties, dialogs, analyses and attachments
 * appended, `amended` set, any `redacted` dropped (the two are mutually exclusive), `updated_at` set. When
 * corrections were made, an `amendment_provenance` analysis lists their pointers, the reason and the time.
 * The input is never changed.
 *
 * @example
 * const next = amendVcon(prior, (d) => { d.addDialog({ type: 'text', ... }) }, { newUuid: uuid8(...) })
 */
export function amendVcon(
  prior: Vcon,
  change: AmendChange | ((draft: AmendDraft) => void),
  options: AmendOptions,
): Vcon {
  if (typeof prior !== 'object' || prior === null || typeof prior.uuid !== 'string') {
    bad(
      'amendVcon needs an unsigned vCon with a uuid; verify or decrypt signed and encrypted forms first.',
    )
  }
  const uuid = resolveUuid(options.newUuid, prior.uuid)
  if (options.prior !== undefined) {
    const { url, contentHash } = options.prior
    const tokens = typeof contentHash === 'string' ? [contentHash] : contentHash
    if (typeof url !== 'string' || !isHttpsUrl(url)) bad('`prior.url` must be an https URL.')
    if (
      !Array.isArray(tokens) ||
      tokens.length === 0 ||
      !tokens.every((t) => parseContentHashToken(t))
    ) {
      bad('`prior.contentHash` must be a content_hash token such as "sha512-…" (core draft §2.4).')
    }
  }
  const spec = collect(change, prior)
  const now = (options.now ?? (() => new Date()))().toISOString()
  const copy = copyJson(prior, 1000) as Obj

  const replaced: string[] = []
  for (const r of spec.replace ?? []) {
    const tokens = checkReplacement(r)
    setAtPointer(copy, tokens, copyJson(r.value, 1000), r.pointer)
    replaced.push(r.pointer)
  }
  for (const field of ARRAYS) {
    const added = spec[field]
    if (added === undefined || added.length === 0) continue
    if (!Array.isArray(added)) bad(`\`${field}\` must be an array of objects to append.`)
    const current = copy[field]
    if (current !== undefined && !Array.isArray(current))
      bad(`The prior vCon's \`${field}\` is not an array.`)
    const items = added.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        bad(`\`${field}[${i}]\` must be an object.`)
      }
      return copyJson(item, 1000)
    })
    copy[field] = [...((current as unknown[] | undefined) ?? []), ...items]
  }
  if (replaced.length > 0) {
    const analysis = (copy.analysis as unknown[] | undefined) ?? []
    copy.analysis = [...analysis, provenance(replaced, spec.reason, now)]
  }

  const amended: Amended = {
    uuid: prior.uuid,
    ...(options.prior === undefined
      ? {}
      : { url: options.prior.url, content_hash: options.prior.contentHash }),
  }
  const out: Obj = { ...copy, uuid }
  delete out.redacted
  // created_at stays the conversation's; a prior without one gets this version's time (strict readers need it).
  out.created_at = typeof copy.created_at === 'string' ? copy.created_at : now
  out.updated_at = now
  out.amended = amended
  return out as unknown as Vcon
}

/**
 * The record of corrections. An analysis rather than an attachment, like the redaction report: a strict reader
 * requires `party` and `dialog` on attachments, which a record about the whole vCon cannot truthfully give.
 */
function provenance(pointers: readonly string[], reason: string | undefined, now: string): Obj {
  return {
    type: 'amendment_provenance',
    vendor: 'vconkit',
    product: '@vconkit/vcon',
    schema: 'vconkit-amendment-provenance-1',
    mediatype: 'application/json',
    encoding: 'json',
    body: {
      amended_at: now,
      replaced: [...pointers],
      ...(reason === undefined ? {} : { reason }),
    },
  }
}
