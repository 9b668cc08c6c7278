/**
 * @module Copies the parts of an existing vCon into the builder's own mutable state (for `fromVcon` and
 * `amend`), so that appending keeps every existing index (core draft §2.3, notes §c).
 */
import type { JsonValue, Vcon } from '../model/vcon.js'
import { isObject } from '../validate/primitives.js'
import { bad, checkText, toDateString } from './builder-checks.js'
import { cloneJson } from './clone-json.js'

type Obj = Record<string, JsonValue>

/** The builder's view of an existing vCon: every part copied. */
export interface LoadedVcon {
  readonly createdAt: string | undefined
  readonly updatedAt: string | undefined
  readonly subject: string | undefined
  readonly redacted: Obj | undefined
  readonly amended: Obj | undefined
  readonly extensions: string[]
  readonly critical: string[]
  readonly parties: Obj[]
  readonly dialog: Obj[]
  readonly analysis: Obj[]
  readonly attachments: Obj[]
  /** Top-level fields the builder does not manage (extension fields), kept as they are. */
  readonly other: Obj
}

/** Top-level keys the builder manages itself; anything else is kept as an extension field. */
const MANAGED = new Set([
  'vcon',
  'uuid',
  'extensions',
  'critical',
  'created_at',
  'updated_at',
  'subject',
  'redacted',
  'amended',
  'parties',
  'dialog',
  'analysis',
  'attachments',
])

function copyArray(value: unknown, field: string): Obj[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) bad(`\`${field}\` must be an array.`)
  return value.map((item, i) => {
    if (!isObject(item)) bad(`\`${field}[${i}]\` must be an object.`)
    return cloneJson(item, `${field}[${i}]`) as Obj
  })
}

function copyNames(value: unknown, field: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    bad(`\`${field}\` must be an array of strings.`)
  }
  return [...value]
}

/** An object reference, or undefined for an absent or empty `{}` one (notes §g.18: `{}` means absent). */
function copyRef(value: unknown, field: string): Obj | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) bad(`\`${field}\` must be an object.`)
  return Object.keys(value).length === 0 ? undefined : (cloneJson(value, field) as Obj)
}

/** Copies every part of `vcon`; throws VCON_BAD_ARGUMENT when a part has the wrong shape. */
export function loadVcon(vcon: Vcon): LoadedVcon {
  const other: Obj = {}
  for (const key of Object.keys(vcon)) {
    if (MANAGED.has(key) || vcon[key] === undefined) continue
    // `group: []` is the reserved field left empty (notes §g.17): treated as absent, not written.
    if (key === 'group' && Array.isArray(vcon[key]) && (vcon[key] as unknown[]).length === 0)
      continue
    Object.defineProperty(other, key, {
      value: cloneJson(vcon[key], key),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return {
    createdAt:
      vcon.created_at === undefined ? undefined : toDateString(vcon.created_at, 'created_at'),
    updatedAt:
      vcon.updated_at === undefined ? undefined : toDateString(vcon.updated_at, 'updated_at'),
    subject: vcon.subject === undefined ? undefined : checkText(vcon.subject, 'subject'),
    redacted: copyRef(vcon.redacted, 'redacted'),
    amended: copyRef(vcon.amended, 'amended'),
    extensions: copyNames(vcon.extensions, 'extensions'),
    critical: copyNames(vcon.critical, 'critical'),
    parties: copyArray(vcon.parties, 'parties'),
    dialog: copyArray(vcon.dialog, 'dialog'),
    analysis: copyArray(vcon.analysis, 'analysis'),
    attachments: copyArray(vcon.attachments, 'attachments'),
    other,
  }
}
