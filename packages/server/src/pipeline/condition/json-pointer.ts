/**
 * @module Reads values out of a vCon with a JSON pointer (RFC 6901), extended with one wildcard: a `*` segment
 * stands for every element of an array (or every member of an object), so the pointer made of `/parties`,
 * `/*` and `/tel` reads each party's tel. Only own properties are followed, so `/__proto__` or `/constructor`
 * never reach the prototype chain.
 */

/** Splits a pointer into unescaped segments (RFC 6901 §4: ~1 is "/", ~0 is "~"); undefined when malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) return undefined
  const segments = pointer.slice(1).split('/')
  for (const segment of segments) {
    // A "~" must be followed by 0 or 1 (RFC 6901 §3).
    if (/~(?![01])/.test(segment)) return undefined
  }
  return segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The wildcard segment. A member literally named "*" cannot be addressed (documented limit). */
export const WILDCARD = '*'

function child(value: unknown, segment: string): unknown[] {
  if (Array.isArray(value)) {
    if (segment === WILDCARD) return value.slice()
    // Array indices are decimal without leading zeros (RFC 6901 §4).
    if (!/^(0|[1-9][0-9]*)$/.test(segment)) return []
    const index = Number(segment)
    return index < value.length ? [value[index]] : []
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>
    if (segment === WILDCARD) return Object.keys(obj).map((k) => obj[k])
    return Object.hasOwn(obj, segment) ? [obj[segment]] : []
  }
  return []
}

/** Every value the segments reach (none when a step is missing; several through wildcards). */
export function resolvePointer(root: unknown, segments: readonly string[]): unknown[] {
  let current: unknown[] = [root]
  for (const segment of segments) {
    const next: unknown[] = []
    for (const value of current) next.push(...child(value, segment))
    if (next.length === 0) return next
    current = next
  }
  return current
}
