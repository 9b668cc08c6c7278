/**
 * @module What a redaction removes. A policy is a plain JSON object (the CLI reads it from a file), except for
 * the optional detector and replacement function, which only code can pass.
 */
import { VconError } from '../errors/vcon-error.js'
import type { PiiDetector, PiiKind } from './pii-detector.js'

/** Party fields a policy commonly removes (core draft §4.2); any other key, e.g. an extension's, may be named. */
export type PartyField =
  | 'tel'
  | 'mailto'
  | 'name'
  | 'sip'
  | 'did'
  | 'stir'
  | 'civicaddress'
  | 'gmlpos'
  | 'validation'
  | 'uuid'
  | 'org'
  | 'dept'
  | (string & {})

/** Redaction of spans of text inside dialogs, analyses, attachments, subject and filenames. */
export interface TextRedactionPolicy {
  /** The detector; default: the offline regex detector (`createRegexPiiDetector`). */
  readonly detector?: PiiDetector
  /** Only these kinds are replaced (default: every kind the detector reports). */
  readonly kinds?: readonly PiiKind[]
  /** The text put in place of a span (default `[kind]`, e.g. `[phone]`). Must not contain PII itself. */
  readonly replacement?: (kind: PiiKind) => string
  /** Also remove the vCon's own party names and their tokens of 3+ letters wherever they occur (default true). */
  readonly partyNames?: boolean
  /** Where spans are redacted (default all three). */
  readonly targets?: readonly ('dialog' | 'analysis' | 'attachments')[]
}

/** Selects analyses by index or by `type`. */
export type AnalysisSelector = readonly number[] | { readonly types: readonly string[] }

/** Selects attachments by index or by `purpose` (or the legacy `type`). */
export type AttachmentSelector = readonly number[] | { readonly purposes: readonly string[] }

/** What one redaction removes (core draft §4.1.8). Every part is optional; `{}` only re-labels the vCon. */
export interface RedactionPolicy {
  /** Dialog indices removed whole; each becomes an empty `{}` so that every index stays valid. */
  readonly dialogs?: readonly number[]
  /** Analyses derived only from removed dialogs are removed too (default true): they would repeat them. */
  readonly dropDerivedAnalyses?: boolean
  /** Party fields removed from every party. */
  readonly partyFields?: readonly PartyField[]
  /** Attachments removed whole (left as `{}`). */
  readonly dropAttachments?: AttachmentSelector
  /** Analyses removed whole (left as `{}`). */
  readonly dropAnalyses?: AnalysisSelector
  /** Spans of text to replace; absent: no text redaction. */
  readonly text?: TextRedactionPolicy
  /** Remove `body`/`url` of recordings (audio and video) but keep `content_hash`, as the draft's example does. */
  readonly dropMedia?: boolean
  /** `redacted.type` of the new vCon (default `PII Redaction`). */
  readonly type?: string
}

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function indexList(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= 0)) {
    bad(`Redaction policy: \`${field}\` must be an array of indices (integers >= 0).`)
  }
  return value as number[]
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    bad(`Redaction policy: \`${field}\` must be an array of non-empty strings.`)
  }
  return value as string[]
}

const POLICY_KEYS = new Set([
  'dialogs',
  'dropDerivedAnalyses',
  'partyFields',
  'dropAttachments',
  'dropAnalyses',
  'text',
  'dropMedia',
  'type',
])
const TEXT_KEYS = new Set(['kinds', 'partyNames', 'targets', 'detector', 'replacement'])
const TARGETS = new Set(['dialog', 'analysis', 'attachments'])

/**
 * Checks a policy read from JSON (or written in code) and returns it typed. Unknown keys are refused, so that a
 * misspelt key (`partyfields`) cannot silently leave data in place.
 */
export function parseRedactionPolicy(value: unknown): RedactionPolicy {
  if (!isRecord(value)) bad('A redaction policy must be a JSON object.')
  for (const key of Object.keys(value)) {
    if (!POLICY_KEYS.has(key)) {
      bad(`Redaction policy: unknown key \`${key}\`; the keys are ${[...POLICY_KEYS].join(', ')}.`)
    }
  }
  if (value.dialogs !== undefined) indexList(value.dialogs, 'dialogs')
  if (value.partyFields !== undefined) stringList(value.partyFields, 'partyFields')
  for (const key of ['dropDerivedAnalyses', 'dropMedia'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') {
      bad(`Redaction policy: \`${key}\` must be true or false.`)
    }
  }
  if (value.type !== undefined && (typeof value.type !== 'string' || value.type === '')) {
    bad('Redaction policy: `type` must be a non-empty string such as "PII Redaction".')
  }
  const att = value.dropAttachments
  if (att !== undefined) {
    if (isRecord(att)) stringList(att.purposes, 'dropAttachments.purposes')
    else indexList(att, 'dropAttachments')
  }
  const ana = value.dropAnalyses
  if (ana !== undefined) {
    if (isRecord(ana)) stringList(ana.types, 'dropAnalyses.types')
    else indexList(ana, 'dropAnalyses')
  }
  const text = value.text
  if (text !== undefined) {
    if (!isRecord(text)) bad('Redaction policy: `text` must be an object ({} redacts every kind).')
    for (const key of Object.keys(text)) {
      if (!TEXT_KEYS.has(key)) bad(`Redaction policy: unknown key \`text.${key}\`.`)
    }
    if (text.kinds !== undefined) stringList(text.kinds, 'text.kinds')
    if (text.targets !== undefined) {
      for (const t of stringList(text.targets, 'text.targets')) {
        if (!TARGETS.has(t))
          bad(`Redaction policy: \`text.targets\` entries are dialog, analysis, attachments.`)
      }
    }
    if (text.partyNames !== undefined && typeof text.partyNames !== 'boolean') {
      bad('Redaction policy: `text.partyNames` must be true or false.')
    }
    if (
      text.detector !== undefined &&
      !(isRecord(text.detector) && typeof text.detector.detect === 'function')
    ) {
      bad('Redaction policy: `text.detector` must be an object with a detect(text) method.')
    }
    if (text.replacement !== undefined && typeof text.replacement !== 'function') {
      bad('Redaction policy: `text.replacement` must be a function of the kind.')
    }
  }
  return value as RedactionPolicy
}

/** The policy as plain JSON for the record kept in the redacted vCon: functions are named, not serialised. */
export function summarisePolicy(policy: RedactionPolicy): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (policy.dialogs !== undefined) out.dialogs = [...policy.dialogs]
  if (policy.dropDerivedAnalyses !== undefined)
    out.drop_derived_analyses = policy.dropDerivedAnalyses
  if (policy.partyFields !== undefined) out.party_fields = [...policy.partyFields]
  if (policy.dropAttachments !== undefined)
    out.drop_attachments = structuredClone(policy.dropAttachments)
  if (policy.dropAnalyses !== undefined) out.drop_analyses = structuredClone(policy.dropAnalyses)
  if (policy.dropMedia !== undefined) out.drop_media = policy.dropMedia
  if (policy.text !== undefined) {
    const t = policy.text
    out.text = {
      detector: t.detector === undefined ? 'regex' : 'custom',
      ...(t.kinds === undefined ? {} : { kinds: [...t.kinds] }),
      ...(t.targets === undefined ? {} : { targets: [...t.targets] }),
      party_names: t.partyNames !== false,
      replacement: t.replacement === undefined ? 'default' : 'custom',
    }
  }
  return out
}
