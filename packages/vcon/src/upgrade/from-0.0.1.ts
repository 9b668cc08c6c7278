/**
 * @module Step 0.0.1 → 0.0.2 (notes §d.2): `mimetype` becomes `mediatype`, and the hash pair `alg` + `signature`
 * becomes a `content_hash` token.
 */
import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { legacyHashToken, normaliseAlgorithm } from './legacy-hash.js'
import {
  getOwn,
  hasOwn,
  type JsonObject,
  mapObjectsIn,
  withKey,
  withoutKeys,
} from './object-edit.js'
import { renameField } from './rename-field.js'
import { RepairLog, type StepContext, type StepOutput } from './upgrade-step.js'

/** Arrays whose objects carry content (body or url) and so could carry `mimetype` and the hash pair. */
const CONTENT_ARRAYS = ['dialog', 'attachments', 'analysis'] as const

/** Top-level references to other vCons, which carried the hash pair too (container-00 §4.1.8, §4.1.9). */
const REFERENCE_OBJECTS = ['redacted', 'appended', 'amended'] as const

/**
 * True for a pair this step can convert: a usable algorithm name and a string digest (or an empty one, which is
 * dropped). Anything else is left for the validator, and is not a version marker either.
 */
function hasConvertibleHash(obj: Readonly<JsonObject>): boolean {
  if (!hasOwn(obj, 'alg') || !hasOwn(obj, 'signature')) return false
  const alg = getOwn(obj, 'alg')
  const signature = getOwn(obj, 'signature')
  if (typeof alg !== 'string' || normaliseAlgorithm(alg) === undefined) return false
  return typeof signature === 'string' || signature === null
}

/** The pointer of the first 0.0.1-only name in `vcon`, or undefined (used to sniff the version). */
export function find001Marker(vcon: Readonly<JsonObject>): string | undefined {
  for (const key of CONTENT_ARRAYS) {
    const arr = getOwn(vcon, key)
    if (!Array.isArray(arr)) continue
    for (let i = 0; i < arr.length; i++) {
      const item: unknown = arr[i]
      if (!isObject(item)) continue
      if (hasOwn(item, 'mimetype')) return pointerJoin('', key, i, 'mimetype')
      if (hasConvertibleHash(item)) return pointerJoin('', key, i, 'alg')
    }
  }
  for (const key of REFERENCE_OBJECTS) {
    const obj = getOwn(vcon, key)
    if (isObject(obj) && hasConvertibleHash(obj)) return pointerJoin('', key, 'alg')
  }
  const group = getOwn(vcon, 'group')
  if (Array.isArray(group)) {
    for (let i = 0; i < group.length; i++) {
      const item: unknown = group[i]
      if (isObject(item) && hasConvertibleHash(item)) return pointerJoin('', 'group', i, 'alg')
    }
  }
  return undefined
}

/** Adds `token` to an existing content_hash (a string or an array of tokens) unless it is already there. */
function mergeToken(existing: unknown, token: string): { value: unknown; merged: boolean } {
  if (existing === undefined || existing === null) return { value: token, merged: false }
  if (existing === token) return { value: existing, merged: true }
  if (Array.isArray(existing)) {
    return { value: existing.includes(token) ? existing : [...existing, token], merged: true }
  }
  return { value: [existing, token], merged: true }
}

/** `alg` + `signature` → `content_hash: "<alg>-<base64url>"` (notes §b.3, §d.2), at the position of `alg`. */
function convertHash(
  entry: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  if (!hasConvertibleHash(entry)) return entry
  const alg = getOwn(entry, 'alg') as string
  const signature = getOwn(entry, 'signature')
  const at = pointerJoin(pointer, 'alg')
  if (signature === null || (signature as string).trim() === '') {
    log.warn(
      'dropped-empty',
      at,
      'removed alg and its empty signature (0.0.1 hash pair with no digest)',
    )
    return withoutKeys(entry, 'alg', 'signature')
  }
  const converted = legacyHashToken(alg, signature as string)
  if (converted === undefined) return entry
  const { value, merged } = mergeToken(getOwn(entry, 'content_hash'), converted.token)
  const algName = converted.token.slice(0, converted.token.indexOf('-'))
  let message = `combined alg "${alg}" and signature into a ${algName} content_hash token (0.0.1 hash pair)`
  if (merged) message += ', added to the content_hash already present'
  if (converted.note !== undefined) message += `; ${converted.note}`
  log.warn('converted-hash', at, message)
  const entries = Object.entries(entry).flatMap(([k, v]): [string, unknown][] => {
    if (k === 'alg') return [['content_hash', value]]
    return k === 'signature' || k === 'content_hash' ? [] : [[k, v]]
  })
  return Object.fromEntries(entries)
}

/** The 0.0.1 → 0.0.2 step. */
export function upgradeFrom001(vcon: Readonly<JsonObject>, context: StepContext): StepOutput {
  const log = new RepairLog(context.origins)
  let out = vcon
  for (const key of CONTENT_ARRAYS) {
    out = mapObjectsIn(out, key, (entry, i) => {
      const pointer = pointerJoin('', key, i)
      // notes §d.2: a present mediatype wins over mimetype.
      const renamed = renameField(entry, pointer, 'mimetype', 'mediatype', '0.0.1 name', log)
      return convertHash(renamed, pointer, log)
    })
  }
  for (const key of REFERENCE_OBJECTS) {
    const obj = getOwn(out, key)
    if (!isObject(obj)) continue
    const next = convertHash(obj, pointerJoin('', key), log)
    if (next !== obj) out = withKey(out, key, next)
  }
  out = mapObjectsIn(out, 'group', (entry, i) =>
    convertHash(entry, pointerJoin('', 'group', i), log),
  )
  return log.finish(out)
}
