/**
 * @module Step 0.0.2 → 0.3.0 (notes §d.2): the hyphenated transfer fields get their snake_case names, and a
 * prior vCon embedded in `redacted` or `appended` is flagged (0.3.0 refers to it by uuid, url and content_hash).
 */
import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { getOwn, hasOwn, type JsonObject, mapObjectsIn } from './object-edit.js'
import { renameField } from './rename-field.js'
import { RepairLog, type StepContext, type StepOutput } from './upgrade-step.js'

/** Dialog fields renamed in 0.3.0: old name → new name. */
const RENAMES: readonly (readonly [string, string])[] = [
  ['transfer-target', 'transfer_target'],
  ['target-dialog', 'target_dialog'],
]

/** The pointer of the first name that 0.3.0 renamed, or undefined (used to sniff the version). */
export function find002Marker(vcon: Readonly<JsonObject>): string | undefined {
  const dialogs = getOwn(vcon, 'dialog')
  if (!Array.isArray(dialogs)) return undefined
  for (let i = 0; i < dialogs.length; i++) {
    const dialog: unknown = dialogs[i]
    if (!isObject(dialog)) continue
    for (const [from] of RENAMES)
      if (hasOwn(dialog, from)) return pointerJoin('', 'dialog', i, from)
  }
  return undefined
}

/** The 0.0.2 → 0.3.0 step. */
export function upgradeFrom002(vcon: Readonly<JsonObject>, context: StepContext): StepOutput {
  const log = new RepairLog(context.origins)
  const out = mapObjectsIn(vcon, 'dialog', (dialog, i) => {
    let next = dialog
    for (const [from, to] of RENAMES) {
      next = renameField(next, pointerJoin('', 'dialog', i), from, to, '0.0.2 name', log)
    }
    return next
  })
  // The inline prior version cannot be moved out here (that needs storage); keep it and say so (notes §d.2).
  for (const key of ['redacted', 'appended']) {
    const obj = getOwn(out, key)
    if (isObject(obj) && hasOwn(obj, 'body')) {
      log.warn(
        'kept-inline-reference',
        pointerJoin('', key, 'body'),
        `kept the prior vCon inline in ${key}.body: 0.3.0 and later refer to it only by uuid, url and content_hash; store it elsewhere and keep its uuid`,
      )
    }
  }
  return log.finish(out)
}
