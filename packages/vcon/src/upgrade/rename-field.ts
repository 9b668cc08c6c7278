/**
 * @module Renames one legacy key of one object, with one warning. When the new name is already present it wins
 * and the old key is removed, the rule the notes give for `mimetype` (§d.2), applied to every rename.
 */
import { pointerJoin } from '../validate/issue.js'
import { hasOwn, type JsonObject, renameKey, withoutKeys } from './object-edit.js'
import type { RepairLog } from './upgrade-step.js'

/**
 * Renames `from` to `to` in `entry` (found at `pointer`); `origin` names where the old name comes from, e.g.
 * "0.0.2 name". Returns `entry` itself when `from` is absent.
 */
export function renameField(
  entry: Readonly<JsonObject>,
  pointer: string,
  from: string,
  to: string,
  origin: string,
  log: RepairLog,
): Readonly<JsonObject> {
  if (!hasOwn(entry, from)) return entry
  const at = pointerJoin(pointer, from)
  if (hasOwn(entry, to)) {
    log.warn('renamed-field', at, `removed ${from} (${origin}): the ${to} present wins`)
    return withoutKeys(entry, from)
  }
  log.moved(pointerJoin(pointer, to), at)
  log.warn('renamed-field', at, `renamed ${from} to ${to} (${origin})`)
  return renameKey(entry, from, to)
}
