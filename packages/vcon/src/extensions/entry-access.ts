/**
 * @module Tolerant readers shared by the extension modules: they look into a vCon of any shape (wrong types
 * anywhere) without throwing, because extension validators must never throw (extension.ts).
 */
import { isObject } from '../validate/primitives.js'

/** The array under `key`, or an empty list when it is absent or not an array. */
export function listOf(container: unknown, key: string): readonly unknown[] {
  if (!isObject(container)) return NONE
  const value = container[key]
  return Array.isArray(value) ? value : NONE
}

/** Shared empty list: detectors run on every validation, and most vCons lack most lists. */
const NONE: readonly unknown[] = Object.freeze([])

/** The length of the array under `key` of the vCon, or 0. */
export function countOf(
  vcon: unknown,
  key: 'parties' | 'dialog' | 'analysis' | 'attachments',
): number {
  return listOf(vcon, key).length
}

/** True when an attachment names `kind` in `type` or `purpose` (notes §g.2: readers accept both). */
export function isAttachmentOf(attachment: unknown, kind: string): boolean {
  return isObject(attachment) && (attachment.type === kind || attachment.purpose === kind)
}

/** What reading a `body` as JSON gave (notes §g.5: a string body with encoding json is parsed). */
export type JsonBodyRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'value'; readonly value: unknown; readonly fromString: boolean }
  | { readonly kind: 'unparseable' }

/**
 * Reads the body of a dialog, analysis or attachment as a JSON value: a native value is taken as is, a string is
 * parsed (drafts up to core-02 and seed 004 store JSON as a string; core-03 stores it natively).
 */
export function readJsonBody(entry: unknown): JsonBodyRead {
  if (!isObject(entry) || entry.body === undefined) return { kind: 'absent' }
  const body = entry.body
  if (typeof body !== 'string') return { kind: 'value', value: body, fromString: false }
  try {
    return { kind: 'value', value: JSON.parse(body) as unknown, fromString: true }
  } catch {
    return { kind: 'unparseable' }
  }
}

/** The body as a JSON object, or undefined when it is absent, unparseable or not an object. */
export function jsonObjectBody(entry: unknown): Record<string, unknown> | undefined {
  const read = readJsonBody(entry)
  return read.kind === 'value' && isObject(read.value) ? read.value : undefined
}

/**
 * True for a party that stands for an automated agent: `role: "agent"` (agent_session, and the contact-centre
 * role) or the core `type: "bot"` (notes §g.9 emits both).
 */
export function isAgentParty(party: unknown): boolean {
  return isObject(party) && (party.role === 'agent' || party.type === 'bot')
}

/** A short, safe rendering of a value for messages (never the whole of a large body). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') {
    const text = value.length > 40 ? `${value.slice(0, 40)}…` : value
    return JSON.stringify(text)
  }
  return String(value)
}
