/**
 * @module Legacy shapes that no draft defined but real files carry (notes §d.2 "non-spec legacy shapes", §g.2,
 * §g.17, §g.18): attachment `type` instead of `purpose`, `schema_version` instead of `schema`, and the empty
 * placeholders vcon-lib writes by default at the top level.
 */
import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { getOwn, hasOwn, type JsonObject, withKey, withoutKeys } from './object-edit.js'
import { renameField } from './rename-field.js'
import type { RepairLog } from './upgrade-step.js'

/** The one attachment type that keeps `type` beside `purpose` (lawful_basis draft §3; notes §g.2). */
const LAWFUL_BASIS = 'lawful_basis'

/**
 * Attachment `type` → `purpose` when no purpose is present (vcon-server's rule). For lawful_basis both fields end
 * up "lawful_basis", which satisfies the lawful_basis draft (type) and the core draft (purpose), notes §g.2.
 */
export function repairAttachmentPurpose(
  attachment: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  const type = getOwn(attachment, 'type')
  const purpose = getOwn(attachment, 'purpose')
  const hasType = hasOwn(attachment, 'type')
  const hasPurpose = hasOwn(attachment, 'purpose')
  if (type === LAWFUL_BASIS && !hasPurpose) {
    log.warn(
      'repaired-value',
      pointerJoin(pointer, 'purpose'),
      'added purpose "lawful_basis" beside type "lawful_basis" (lawful_basis uses type, the core draft purpose)',
    )
    return withKey(attachment, 'purpose', LAWFUL_BASIS)
  }
  if (purpose === LAWFUL_BASIS && !hasType) {
    log.warn(
      'repaired-value',
      pointerJoin(pointer, 'type'),
      'added type "lawful_basis" beside purpose "lawful_basis" (the lawful_basis draft requires type)',
    )
    return withKey(attachment, 'type', LAWFUL_BASIS)
  }
  if (typeof type === 'string' && !hasPurpose) {
    return renameField(attachment, pointer, 'type', 'purpose', 'legacy attachment field', log)
  }
  return attachment
}

/** `schema_version` → `schema` on analysis and attachments (a legacy misname, notes §a.7). */
export function repairSchemaName(
  entry: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  return renameField(entry, pointer, 'schema_version', 'schema', 'legacy name', log)
}

/** Top-level fields whose `null` means "absent" (notes §a.0: objects or arrays with null values MAY be left out). */
const NULL_MEANS_ABSENT = [
  'subject',
  'redacted',
  'amended',
  'group',
  'extensions',
  'critical',
  'updated_at',
]

/**
 * Drops `null` where the 0.4.0 model has no use for it, `redacted: {}` and `amended: {}` (they refer to nothing,
 * notes §g.18) and `group: []` (notes §g.17). Required fields (`uuid`, `created_at`, `parties`) and arrays of
 * content keep their nulls: those are broken data the validator must name, not legacy defaults.
 */
export function dropEmptyPlaceholders(
  vcon: Readonly<JsonObject>,
  log: RepairLog,
): Readonly<JsonObject> {
  const drop: string[] = []
  for (const key of NULL_MEANS_ABSENT) {
    if (!hasOwn(vcon, key)) continue
    const value = getOwn(vcon, key)
    const empty =
      value === null ||
      (key === 'group' && Array.isArray(value) && value.length === 0) ||
      ((key === 'redacted' || key === 'amended') &&
        isObject(value) &&
        Object.keys(value).length === 0)
    if (!empty) continue
    drop.push(key)
    log.warn(
      'dropped-empty',
      pointerJoin('', key),
      `removed ${key} (${JSON.stringify(value)}): it carries nothing`,
    )
  }
  return drop.length === 0 ? vcon : withoutKeys(vcon, ...drop)
}

/**
 * A non-empty `group` is kept (never drop data) but has no meaning from core-02 on (notes §a.10). Reported only
 * when the vCon is relabelled, because the validator reports it on every read of a 0.4.0 vCon.
 */
export function noteReservedGroup(
  vcon: Readonly<JsonObject>,
  relabelled: boolean,
  log: RepairLog,
): void {
  const group = getOwn(vcon, 'group')
  if (!relabelled || group === undefined) return
  log.warn(
    'reserved-field',
    '/group',
    'kept group: 0.4.0 reserves it (core-02 on) for a future extension, so readers may ignore it',
  )
}
