/**
 * @module Zone-less timestamps, which legacy writers (Python's `datetime.isoformat()` on naive datetimes) produce,
 * read as UTC: the draft's Date requires a zone designator (core draft §2.4, RFC 3339 §5.6).
 */
import { pointerJoin } from '../validate/issue.js'
import { isDate, isZonelessDate } from '../validate/primitives.js'
import { getOwn, type JsonObject, withKey } from './object-edit.js'
import type { RepairLog } from './upgrade-step.js'

/** The value with `Z` appended (and `:00` seconds when they are missing), or undefined if it needs no repair. */
export function assumeUtc(value: unknown): string | undefined {
  if (typeof value !== 'string' || isDate(value) || !isZonelessDate(value)) return undefined
  const withSeconds = /[Tt ]\d{2}:\d{2}$/.test(value) ? `${value}:00` : value
  const repaired = `${withSeconds}Z`
  return isDate(repaired) ? repaired : undefined
}

/** Repairs the Date field `key` of `obj` (at `pointer`) when it has no zone designator. */
export function repairDateField(
  obj: Readonly<JsonObject>,
  key: string,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  const value = getOwn(obj, key)
  const repaired = assumeUtc(value)
  if (repaired === undefined) return obj
  log.warn(
    'assumed-utc',
    pointerJoin(pointer, key),
    `read the date "${value as string}" as UTC: it had no zone designator, so Z was appended`,
  )
  return withKey(obj, key, repaired)
}
