/**
 * @module Top-level identity repairs for files written by tools that never followed a draft: a vCon with no `uuid`
 * at all gets one derived from its content, and `created`/`updated` become `created_at`/`updated_at`.
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../serialize/canonical-json.js'
import { isDate, isZonelessDate } from '../validate/primitives.js'
import { hasOwn, type JsonObject, withKey } from './object-edit.js'
import { renameField } from './rename-field.js'
import type { RepairLog } from './upgrade-step.js'

/**
 * A version 8 uuid (RFC 9562 §5.8) from the SHA-256 of the vCon's canonical JSON (RFC 8785): the same file always
 * gets the same uuid, so upgrading twice, or on two machines, names the vCon the same way.
 */
export function contentDerivedUuid(vcon: Readonly<JsonObject>): string {
  const digest = createHash('sha256').update(canonicalJson(vcon)).digest()
  digest[6] = ((digest[6] as number) & 0x0f) | 0x80
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80
  const hex = digest.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Adds a content-derived uuid when the key is absent (a present but empty or malformed uuid is left for the
 * validator to name), and renames `created`/`updated` when they hold dates and the 0.4.0 names are absent.
 */
export function repairIdentity(vcon: Readonly<JsonObject>, log: RepairLog): Readonly<JsonObject> {
  let out = vcon
  for (const [from, to] of [
    ['created', 'created_at'],
    ['updated', 'updated_at'],
  ] as const) {
    const value = out[from]
    if (!hasOwn(out, to) && typeof value === 'string' && (isDate(value) || isZonelessDate(value))) {
      out = renameField(out, '', from, to, 'non-standard name', log)
    }
  }
  if (!hasOwn(out, 'uuid')) {
    const uuid = contentDerivedUuid(out)
    log.warn(
      'repaired-value',
      '/uuid',
      `the vCon had no uuid; assigned ${uuid}, derived from its content so that the same file always gets the same one`,
    )
    out = withKey(out, 'uuid', uuid, 'start')
  }
  return out
}
