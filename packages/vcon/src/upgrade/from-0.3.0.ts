/**
 * @module Step 0.3.0 → 0.4.0 (notes §d.2): `appended` becomes `amended`, `must_support` (and the seed's
 * `must_understand`) become `critical`, and a string `session_id` becomes `{local, remote}` (RFC 7989).
 */
import { pointerJoin } from '../validate/issue.js'
import { isObject } from '../validate/primitives.js'
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

/** RFC 7989 §5: the nil session UUID, written as 32 hex digits, for an end whose id is unknown. */
export const NIL_SESSION_UUID = '00000000000000000000000000000000'

/** The names of the must-understand list, in the order their entries are merged (notes §g.1). */
const CRITICAL_NAMES = ['critical', 'must_support', 'must_understand'] as const

/** True for a string anywhere in a session_id value (0.3.0 wrote the field as a String). */
function hasStringSessionId(value: unknown): boolean {
  if (typeof value === 'string') return true
  return Array.isArray(value) && value.some(hasStringSessionId)
}

/** The pointer of the first name or shape that 0.4.0 replaced, or undefined (used to sniff the version). */
export function find030Marker(vcon: Readonly<JsonObject>): string | undefined {
  for (const key of ['appended', 'must_support', 'must_understand']) {
    if (hasOwn(vcon, key)) return pointerJoin('', key)
  }
  const dialogs = getOwn(vcon, 'dialog')
  if (!Array.isArray(dialogs)) return undefined
  for (let i = 0; i < dialogs.length; i++) {
    const dialog: unknown = dialogs[i]
    if (isObject(dialog) && hasStringSessionId(getOwn(dialog, 'session_id'))) {
      return pointerJoin('', 'dialog', i, 'session_id')
    }
  }
  return undefined
}

/** `null` and `{}` reference nothing (notes §a.9, §g.18). */
function isEmptyReference(value: unknown): boolean {
  return value === null || (isObject(value) && Object.keys(value).length === 0)
}

/** `appended` → `amended` (notes §d.2); an empty or null `appended` is dropped instead (vcon-lib defaults). */
function renameAppended(vcon: Readonly<JsonObject>, log: RepairLog): Readonly<JsonObject> {
  if (!hasOwn(vcon, 'appended')) return vcon
  const appended = getOwn(vcon, 'appended')
  if (isEmptyReference(appended)) {
    log.warn(
      'dropped-empty',
      '/appended',
      `removed appended (${JSON.stringify(appended)}): it refers to nothing`,
    )
    return withoutKeys(vcon, 'appended')
  }
  let out = vcon
  if (hasOwn(out, 'amended') && isEmptyReference(getOwn(out, 'amended'))) {
    const amended = getOwn(out, 'amended')
    log.warn(
      'dropped-empty',
      '/amended',
      `removed amended (${JSON.stringify(amended)}): it refers to nothing`,
    )
    out = withoutKeys(out, 'amended')
  }
  return renameField(out, '', 'appended', 'amended', '0.3.0 name', log)
}

/** `must_support` / `must_understand` → `critical`, the union without duplicates (notes §g.1). */
function mergeCritical(vcon: Readonly<JsonObject>, log: RepairLog): Readonly<JsonObject> {
  const present = CRITICAL_NAMES.filter((key) => hasOwn(vcon, key))
  if (!present.some((key) => key !== 'critical')) return vcon
  const names: unknown[] = []
  for (const key of present) {
    const value = getOwn(vcon, key)
    const items: readonly unknown[] = Array.isArray(value) ? value : value === null ? [] : [value]
    for (const item of items) if (!names.includes(item)) names.push(item)
  }
  const hadCritical = present[0] === 'critical'
  if (names.length === 0 && !hadCritical) {
    // `must_support: null` or `[]` names nothing: drop it rather than write an empty critical list.
    for (const key of present) {
      const value = JSON.stringify(getOwn(vcon, key))
      log.warn('dropped-empty', pointerJoin('', key), `removed ${key} (${value}): it names nothing`)
    }
    return withoutKeys(vcon, ...present)
  }
  for (const key of present) {
    if (key === 'critical') continue
    const origin =
      key === 'must_support' ? '0.3.0 name' : 'name used by some tools, never by a draft'
    const at = pointerJoin('', key)
    if (hadCritical || key !== present[0]) {
      log.warn('renamed-field', at, `merged ${key} into critical (${origin})`)
    } else {
      log.moved('/critical', at)
      log.warn('renamed-field', at, `renamed ${key} to critical (${origin})`)
    }
  }
  // critical takes the place of critical, else of must_support, else of must_understand.
  const first = present[0]
  const entries = Object.entries(vcon).flatMap(([k, v]): [string, unknown][] => {
    if (k === first) return [['critical', names]]
    return (CRITICAL_NAMES as readonly string[]).includes(k) ? [] : [[k, v]]
  })
  return Object.fromEntries(entries)
}

/**
 * RFC 7989 §7 Session-ID header value: `<local>[;remote=<remote>][;other params]`. A bare value is the local
 * end; the remote end then gets the nil UUID (notes §d.2).
 */
export function parseSessionIdString(value: string): JsonObject {
  const [first = '', ...params] = value.split(';')
  const local = first.trim()
  const remoteParam = params.map((p) => p.trim()).find((p) => /^remote\s*=/i.test(p))
  const remote =
    remoteParam === undefined ? undefined : remoteParam.slice(remoteParam.indexOf('=') + 1).trim()
  if (local === '' && remote === undefined) return {}
  return { local, remote: remote ?? NIL_SESSION_UUID }
}

/** Converts every string in a session_id value (top level or nested in channel arrays). */
function convertSessionId(value: unknown, pointer: string, log: RepairLog): unknown {
  if (typeof value === 'string') {
    const converted = parseSessionIdString(value)
    const remote = getOwn(converted, 'remote')
    let message = 'split the string session_id into {local, remote} (0.3.0 shape)'
    if (Object.keys(converted).length === 0)
      message = 'replaced the empty string session_id with {}'
    else if (remote === NIL_SESSION_UUID && !/;\s*remote\s*=/i.test(value)) {
      message += '; it had no remote= parameter, so remote is the nil UUID'
    }
    log.warn('converted-session-id', pointer, message)
    return converted
  }
  if (Array.isArray(value)) {
    return mapArray(value as readonly unknown[], (item, i) =>
      convertSessionId(item, pointerJoin(pointer, i), log),
    )
  }
  return value
}

/** The 0.3.0 → 0.4.0 step. */
export function upgradeFrom030(vcon: Readonly<JsonObject>, context: StepContext): StepOutput {
  const log = new RepairLog(context.origins)
  let out = mergeCritical(renameAppended(vcon, log), log)
  out = mapObjectsIn(out, 'dialog', (dialog, i) => {
    if (!hasOwn(dialog, 'session_id')) return dialog
    const value = getOwn(dialog, 'session_id')
    const next = convertSessionId(value, pointerJoin('', 'dialog', i, 'session_id'), log)
    return next === value ? dialog : withKey(dialog, 'session_id', next)
  })
  return log.finish(out)
}
