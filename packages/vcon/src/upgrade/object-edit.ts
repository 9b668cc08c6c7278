/**
 * @module Copy-on-write edits of plain JSON objects and arrays. Keys that come from input are never assigned with
 * `obj[key] = v`: a key named `__proto__` would then change a prototype instead of adding a field. Objects are
 * rebuilt with `Object.fromEntries`, which defines own data properties (ECMA-262 CreateDataProperty).
 */
import { isObject } from '../validate/primitives.js'

/** A JSON object as the upgrader sees it: any keys, unknown values. */
export type JsonObject = Record<string, unknown>

/** The value of an own property, or undefined; never a value inherited from a prototype. */
export function getOwn(obj: Readonly<JsonObject>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** True when `obj` has `key` as an own property. */
export function hasOwn(obj: Readonly<JsonObject>, key: string): boolean {
  return Object.hasOwn(obj, key)
}

/** A copy with `key` set to `value`: in place when the key exists, else appended (or prepended when asked). */
export function withKey(
  obj: Readonly<JsonObject>,
  key: string,
  value: unknown,
  position: 'end' | 'start' = 'end',
): JsonObject {
  if (Object.hasOwn(obj, key) && obj[key] === value) return obj as JsonObject
  const entries = Object.entries(obj)
  if (Object.hasOwn(obj, key)) {
    return Object.fromEntries(entries.map(([k, v]) => [k, k === key ? value : v]))
  }
  const added: [string, unknown] = [key, value]
  return Object.fromEntries(position === 'start' ? [added, ...entries] : [...entries, added])
}

/** A copy without the given keys. */
export function withoutKeys(obj: Readonly<JsonObject>, ...keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)))
}

/**
 * A copy with `from` renamed to `to`, at the position `from` had (so a renamed file still reads in its original
 * order). The caller checks that `to` is absent.
 */
export function renameKey(obj: Readonly<JsonObject>, from: string, to: string): JsonObject {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]))
}

/**
 * Maps an array, returning the same array when no element changed, so untouched subtrees stay shared and an
 * unchanged vCon is recognisable by identity.
 */
export function mapArray<T>(arr: readonly T[], fn: (item: T, index: number) => T): readonly T[] {
  let out: T[] | undefined
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i] as T
    const next = fn(item, i)
    if (next !== item && out === undefined) out = arr.slice(0, i)
    if (out !== undefined) out.push(next)
  }
  return out ?? arr
}

/**
 * Applies `fn` to every object element of the top-level array `key` (dialog, attachments, analysis), returning
 * `obj` itself when nothing changed. Non-object elements and a non-array value are left for the validator.
 */
export function mapObjectsIn(
  obj: Readonly<JsonObject>,
  key: string,
  fn: (item: Readonly<JsonObject>, index: number) => Readonly<JsonObject>,
): Readonly<JsonObject> {
  const arr = getOwn(obj, key)
  if (!Array.isArray(arr)) return obj
  const next = mapArray(arr as readonly unknown[], (item, i) =>
    isObject(item) ? fn(item, i) : item,
  )
  return next === arr ? obj : withKey(obj, key, next)
}
