/**
 * @module The last step, run on every vCon: shapes that changed inside "0.4.0" between core-01 and core-03
 * (notes §d.3: DTMF events, `null` session_id placeholders, `-1` transfer legs) and the non-spec legacy shapes
 * (notes §d.2: attachment purpose, schema, body encoding, zone-less dates, empty placeholders).
 */

import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
import { repairContent } from './body-repair.js'
import { repairIdentity } from './identity-repair.js'
import {
  dropEmptyPlaceholders,
  noteReservedGroup,
  repairAttachmentPurpose,
  repairSchemaName,
} from './legacy-shapes.js'
import {
  getOwn,
  hasOwn,
  type JsonObject,
  mapArray,
  mapObjectsIn,
  withKey,
  withoutKeys,
} from './object-edit.js'
import { renameField } from './rename-field.js'
import { RepairLog, type StepContext, type StepOutput } from './upgrade-step.js'
import { repairDateField } from './zoneless-date.js'

/** core-01 DTMF events and their core-02 names (notes §a.5, §d.3). */
const DTMF_EVENTS: Readonly<Record<string, string>> = { dtmfdown: 'keydown', dtmfup: 'keyup' }

/** Transfer fields that hold dialog indices, where core-01 wrote -1 for an unknown leg (notes §c, §d.3). */
const LEG_FIELDS = ['original', 'consultation', 'target_dialog'] as const

/** One party_history entry: core-01 DTMF names, a numeric button, a zone-less time. */
function repairHistoryEntry(
  entry: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  let out = entry
  const event = getOwn(out, 'event')
  const renamed =
    typeof event === 'string' && Object.hasOwn(DTMF_EVENTS, event) ? DTMF_EVENTS[event] : undefined
  if (renamed !== undefined) {
    log.warn(
      'repaired-value',
      pointerJoin(pointer, 'event'),
      `replaced event "${event}" with "${renamed}" (core-01 name)`,
    )
    out = withKey(out, 'event', renamed)
  }
  out = renameField(out, pointer, 'dtmf', 'button', 'core-01 name', log)
  const button = getOwn(out, 'button')
  if (typeof button === 'number') {
    log.warn('repaired-value', pointerJoin(pointer, 'button'), `wrote button ${button} as a string`)
    out = withKey(out, 'button', String(button))
  }
  return repairDateField(out, 'time', pointer, log)
}

/** core-01 wrote `null` for a party without a session id; core-02 on writes `{}` (notes §a.4). */
function replaceNullSessionIds(value: unknown, pointer: string, log: RepairLog): unknown {
  if (!Array.isArray(value)) return value
  return mapArray(value as readonly unknown[], (item, i) => {
    const at = pointerJoin(pointer, i)
    if (item === null) {
      log.warn(
        'repaired-value',
        at,
        'replaced the null session_id placeholder with {} (core-01 shape)',
      )
      return {}
    }
    return replaceNullSessionIds(item, at, log)
  })
}

/** Everything about one dialog except transfer legs, which need the whole array. */
function repairDialog(
  dialog: Readonly<JsonObject>,
  pointer: string,
  log: RepairLog,
): Readonly<JsonObject> {
  let out = repairDateField(dialog, 'start', pointer, log)
  const history = getOwn(out, 'party_history')
  if (Array.isArray(history)) {
    const next = mapArray(history as readonly unknown[], (entry, j) =>
      isObject(entry)
        ? repairHistoryEntry(entry, pointerJoin(pointer, 'party_history', j), log)
        : entry,
    )
    if (next !== history) out = withKey(out, 'party_history', next)
  }
  if (hasOwn(out, 'session_id')) {
    const sessionId = getOwn(out, 'session_id')
    const at = pointerJoin(pointer, 'session_id')
    if (sessionId === null) {
      log.warn('dropped-empty', at, 'removed session_id (null): it carries nothing')
      out = withoutKeys(out, 'session_id')
    } else {
      const next = replaceNullSessionIds(sessionId, at, log)
      if (next !== sessionId) out = withKey(out, 'session_id', next)
    }
  }
  return repairContent(out, pointer, log)
}

/**
 * core-01 pointed at an unknown transfer leg with -1; core-02 on appends an empty `{}` dialog and points at it
 * (notes §c "Transfer", §d.2). One placeholder per -1, appended so no existing index moves.
 */
function repointUnknownLegs(vcon: Readonly<JsonObject>, log: RepairLog): Readonly<JsonObject> {
  const dialogs = getOwn(vcon, 'dialog')
  if (!Array.isArray(dialogs)) return vcon
  const placeholders: JsonObject[] = []
  const placeholder = (at: string): number => {
    const index = dialogs.length + placeholders.length
    placeholders.push({})
    log.warn(
      'added-placeholder',
      at,
      `replaced -1 (core-01 unknown leg) with ${index}, a new empty dialog`,
    )
    return index
  }
  const next = mapArray(dialogs as readonly unknown[], (dialog, i) => {
    if (!isObject(dialog)) return dialog
    let out: Readonly<JsonObject> = dialog
    for (const field of LEG_FIELDS) {
      const value = getOwn(out, field)
      if (value !== -1 && !(Array.isArray(value) && value.includes(-1))) continue
      const at = pointerJoin('', 'dialog', i, field)
      if (value === -1) out = withKey(out, field, placeholder(at))
      else if (Array.isArray(value) && value.includes(-1)) {
        const legs = value.map((leg: unknown, k) =>
          leg === -1 ? placeholder(pointerJoin(at, k)) : leg,
        )
        out = withKey(out, field, legs)
      }
    }
    return out
  })
  return placeholders.length === 0 ? vcon : withKey(vcon, 'dialog', [...next, ...placeholders])
}

/** The within-0.4.0 step. */
export function upgradeWithin040(vcon: Readonly<JsonObject>, context: StepContext): StepOutput {
  const log = new RepairLog(context.origins)
  let out = repairIdentity(dropEmptyPlaceholders(vcon, log), log)
  noteReservedGroup(out, context.relabelled, log)
  out = repairDateField(out, 'created_at', '', log)
  out = repairDateField(out, 'updated_at', '', log)
  out = mapObjectsIn(out, 'dialog', (dialog, i) =>
    repairDialog(dialog, pointerJoin('', 'dialog', i), log),
  )
  out = repointUnknownLegs(out, log)
  out = mapObjectsIn(out, 'attachments', (attachment, i) => {
    const pointer = pointerJoin('', 'attachments', i)
    let next = repairAttachmentPurpose(attachment, pointer, log)
    next = repairSchemaName(next, pointer, log)
    next = repairDateField(next, 'start', pointer, log)
    return repairContent(next, pointer, log)
  })
  out = mapObjectsIn(out, 'analysis', (analysis, i) => {
    const pointer = pointerJoin('', 'analysis', i)
    return repairContent(repairSchemaName(analysis, pointer, log), pointer, log)
  })
  return log.finish(out)
}
