/**
 * @module Walks the versions of a vCon back to its origin through `redacted.uuid` and `amended.uuid` (core
 * draft §4.1.8, §4.1.9; notes §c: chains of redactions and amendments are allowed).
 */
import type { Vcon } from '../model/vcon.js'

/** How a version derives from the one before it. */
export type LineageRelation =
  /** It is a redaction of the next entry. */
  | 'redacted'
  /** It is an amendment of the next entry. */
  | 'amended'
  /** It refers to no earlier version: the first version of the chain. */
  | 'origin'
  /** Its relation cannot be known, because the vCon could not be resolved (`missing`). */
  | 'unknown'

/** One version of the chain, newest first. */
export interface LineageEntry {
  readonly uuid: string
  readonly relation: LineageRelation
  /** The vCon, when it was resolved (always for the first entry). */
  readonly vcon?: Vcon
  /** The resolver did not find this uuid; the walk stops here. */
  readonly missing?: true
  /** Where the reference says the earlier version is stored (from `redacted.url` / `amended.url`). */
  readonly url?: string
  /**
   * Why the walk stopped early at this entry: `cycle` (the next uuid was already visited), `depth` (the
   * depth limit was reached) or `no-uuid` (the reference names no uuid to follow).
   */
  readonly stop?: 'cycle' | 'depth' | 'no-uuid'
}

/** Options of `walkLineage`. */
export interface LineageOptions {
  /** The most entries returned (default 64). */
  readonly maxDepth?: number
}

/** Finds a vCon by uuid (a store, a cache, a map in tests). */
export type LineageResolver = (uuid: string) => Promise<Vcon | undefined> | Vcon | undefined

/** `redacted: {}` (legacy placeholder) is no reference (notes §a.9). */
function reference(
  vcon: Vcon,
): { relation: 'redacted' | 'amended'; uuid?: string; url?: string } | undefined {
  for (const relation of ['redacted', 'amended'] as const) {
    const ref = vcon[relation] as Record<string, unknown> | undefined
    if (typeof ref !== 'object' || ref === null || Object.keys(ref).length === 0) continue
    return {
      relation,
      ...(typeof ref.uuid === 'string' ? { uuid: ref.uuid } : {}),
      ...(typeof ref.url === 'string' ? { url: ref.url } : {}),
    }
  }
  return undefined
}

/**
 * Lists `start` and every earlier version it leads to, newest first. The walk is cycle-safe (a repeated uuid
 * stops it, marked `stop: 'cycle'`) and bounded (`maxDepth`). A uuid the resolver does not find ends the walk
 * with a `missing` entry.
 */
export async function walkLineage(
  start: Vcon,
  resolve: LineageResolver,
  options: LineageOptions = {},
): Promise<LineageEntry[]> {
  const maxDepth = options.maxDepth ?? 64
  const entries: LineageEntry[] = []
  const seen = new Set<string>()
  let current: Vcon = start
  let url: string | undefined
  for (;;) {
    seen.add(current.uuid.toLowerCase())
    const ref = reference(current)
    const base = { uuid: current.uuid, vcon: current, ...(url === undefined ? {} : { url }) }
    if (ref === undefined) {
      entries.push({ ...base, relation: 'origin' })
      return entries
    }
    if (ref.uuid === undefined) {
      entries.push({ ...base, relation: ref.relation, stop: 'no-uuid' })
      return entries
    }
    if (seen.has(ref.uuid.toLowerCase())) {
      entries.push({ ...base, relation: ref.relation, stop: 'cycle' })
      return entries
    }
    if (entries.length + 1 >= maxDepth) {
      entries.push({ ...base, relation: ref.relation, stop: 'depth' })
      return entries
    }
    entries.push({ ...base, relation: ref.relation })
    const next = await resolve(ref.uuid)
    if (next === undefined) {
      entries.push({
        uuid: ref.uuid,
        relation: 'unknown',
        missing: true,
        ...(ref.url === undefined ? {} : { url: ref.url }),
      })
      return entries
    }
    current = next
    url = ref.url
  }
}
