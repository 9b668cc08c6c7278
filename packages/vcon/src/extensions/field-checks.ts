/**
 * @module Field checks shared by the extension modules: each reads one member of an object of unknown shape,
 * reports what is wrong with a JSON pointer, and returns the value when it is usable.
 */

import type { RuleLevel } from '../validate/issue.js'
import { pointerJoin } from '../validate/issue.js'
import type { IssueCode } from '../validate/issue-codes.js'
import { isDate, isObject, isZonelessDate } from '../validate/primitives.js'
import { show } from './entry-access.js'
import type { ExtensionContext } from './extension.js'

/** The reporting half of an ExtensionContext. */
export type Report = ExtensionContext['report']

/** Where a member lives: the object, its pointer, and a label naming it in messages. */
export interface Place {
  readonly obj: Readonly<Record<string, unknown>>
  readonly base: string
  readonly label: string
}

/** Common options: whether the member is required, and at which level a breach is reported. */
export interface CheckOptions {
  readonly required?: boolean
  readonly level?: RuleLevel
}

function missing(report: Report, at: Place, key: string, level: RuleLevel): void {
  report(level, pointerJoin(at.base, key), 'missing-field', `${at.label} needs "${key}"; add it.`)
}

function wrongType(
  report: Report,
  at: Place,
  key: string,
  expected: string,
  level: RuleLevel,
): void {
  report(
    level,
    pointerJoin(at.base, key),
    'wrong-type',
    `${at.label}: "${key}" must be ${expected}; got ${show(at.obj[key])}.`,
  )
}

/** Options of a string member. */
export interface StringOptions extends CheckOptions {
  /** Accept "" (e.g. the text of a silent segment). */
  readonly allowEmpty?: boolean
}

/** A string member; an empty string is reported unless allowed (the drafts give such members a meaning). */
export function checkString(
  report: Report,
  at: Place,
  key: string,
  options: StringOptions = {},
): string | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (typeof value !== 'string') {
    wrongType(report, at, key, 'a string', level)
    return undefined
  }
  if (value === '' && !options.allowEmpty) {
    report(
      level,
      pointerJoin(at.base, key),
      'empty-string',
      `${at.label}: "${key}" is empty; give it a value.`,
    )
    return undefined
  }
  return value
}

/** A boolean member. */
export function checkBoolean(
  report: Report,
  at: Place,
  key: string,
  options: CheckOptions = {},
): boolean | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (typeof value !== 'boolean') {
    wrongType(report, at, key, 'true or false', level)
    return undefined
  }
  return value
}

/** Bounds of a number member; `above` is an exclusive lower bound. */
export interface NumberOptions extends CheckOptions {
  readonly min?: number
  readonly max?: number
  readonly above?: number
  readonly integer?: boolean
  /** Code for a value below `min` (default: `negative-number` when min is 0, else `extension-invalid`). */
  readonly belowMinCode?: IssueCode
}

/** A finite number member within optional bounds; out-of-range values are `extension-invalid`. */
export function checkNumber(
  report: Report,
  at: Place,
  key: string,
  options: NumberOptions = {},
): number | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    wrongType(report, at, key, options.integer ? 'an integer' : 'a number', level)
    return undefined
  }
  if (options.integer && !Number.isInteger(value)) {
    wrongType(report, at, key, 'an integer', level)
    return undefined
  }
  const pointer = pointerJoin(at.base, key)
  if (options.min !== undefined && value < options.min) {
    const code =
      options.belowMinCode ?? (options.min === 0 ? 'negative-number' : 'extension-invalid')
    report(
      level,
      pointer,
      code,
      `${at.label}: "${key}" is ${value}; it must be at least ${options.min}.`,
    )
    return undefined
  }
  if (options.max !== undefined && value > options.max) {
    report(
      level,
      pointer,
      'extension-invalid',
      `${at.label}: "${key}" is ${value}; it must be at most ${options.max}.`,
    )
    return undefined
  }
  if (options.above !== undefined && value <= options.above) {
    report(
      level,
      pointer,
      'extension-invalid',
      `${at.label}: "${key}" is ${value}; it must be greater than ${options.above}.`,
    )
    return undefined
  }
  return value
}

/** A confidence or similar score normalised to [0, 1] (WTF draft §8.1: all confidences MUST be). */
export function checkUnitInterval(
  report: Report,
  at: Place,
  key: string,
  options: CheckOptions = {},
): number | undefined {
  return checkNumber(report, at, key, {
    ...options,
    min: 0,
    max: 1,
    belowMinCode: 'extension-invalid',
  })
}

/** Options of a Date member. */
export interface DateOptions extends CheckOptions {
  /** `null` is a value of its own (lawful_basis `expiration`: indefinite). */
  readonly allowNull?: boolean
  /** Level for a date-time without a zone designator (ISO 8601 allows it, RFC 3339 does not). */
  readonly zonelessLevel?: RuleLevel | 'accept'
}

/** An RFC 3339 date-time member (the draft's Date type). */
export function checkDate(
  report: Report,
  at: Place,
  key: string,
  options: DateOptions = {},
): string | null | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (value === null && options.allowNull) return null
  if (typeof value !== 'string') {
    wrongType(
      report,
      at,
      key,
      options.allowNull ? 'a date-time string or null' : 'a date-time string',
      level,
    )
    return undefined
  }
  if (isDate(value)) return value
  const pointer = pointerJoin(at.base, key)
  if (isZonelessDate(value)) {
    const zoneless = options.zonelessLevel ?? 'strict'
    if (zoneless === 'accept') return value
    report(
      zoneless,
      pointer,
      'bad-date',
      `${at.label}: "${key}" (${show(value)}) has no zone designator; add "Z" or an offset (RFC 3339 §5.6).`,
    )
    return value
  }
  report(
    level,
    pointer,
    'bad-date',
    `${at.label}: "${key}" (${show(value)}) is not an RFC 3339 date-time such as 2025-01-02T12:15:30Z.`,
  )
  return undefined
}

/** A string member that must be one of `allowed`. */
export function checkEnum<T extends string>(
  report: Report,
  at: Place,
  key: string,
  allowed: readonly T[],
  options: CheckOptions = {},
): T | undefined {
  const level = options.level ?? 'must'
  const value = checkString(report, at, key, options)
  if (value === undefined) return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  report(
    level,
    pointerJoin(at.base, key),
    'extension-invalid',
    `${at.label}: "${key}" is ${show(value)}; use one of ${allowed.map((a) => `"${a}"`).join(', ')}.`,
  )
  return undefined
}

/** An object member (a JSON object, not an array or null). */
export function checkObject(
  report: Report,
  at: Place,
  key: string,
  options: CheckOptions = {},
): Record<string, unknown> | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (!isObject(value)) {
    wrongType(report, at, key, 'an object', level)
    return undefined
  }
  return value
}

/** An array member. */
export function checkArray(
  report: Report,
  at: Place,
  key: string,
  options: CheckOptions = {},
): readonly unknown[] | undefined {
  const level = options.level ?? 'must'
  const value = at.obj[key]
  if (value === undefined) {
    if (options.required) missing(report, at, key, level)
    return undefined
  }
  if (!Array.isArray(value)) {
    wrongType(report, at, key, 'an array', level)
    return undefined
  }
  return value
}

/** An array of strings; returns the strings that are. */
export function checkStringArray(
  report: Report,
  at: Place,
  key: string,
  options: CheckOptions = {},
): readonly string[] | undefined {
  const level = options.level ?? 'must'
  const list = checkArray(report, at, key, options)
  if (list === undefined) return undefined
  const out: string[] = []
  list.forEach((item, i) => {
    if (typeof item === 'string') out.push(item)
    else
      report(
        level,
        pointerJoin(at.base, key, i),
        'wrong-type',
        `${at.label}: "${key}" must hold strings only; item ${i} is ${show(item)}.`,
      )
  })
  return out
}

/** An index into `parties` or `dialog` (an UnsignedInt below `count`). */
export function checkIndex(
  report: Report,
  at: Place,
  key: string,
  target: 'parties' | 'dialog',
  count: number,
  options: CheckOptions = {},
): number | undefined {
  const level = options.level ?? 'must'
  const value = checkNumber(report, at, key, { ...options, min: 0, integer: true })
  if (value === undefined) return undefined
  if (value >= count) {
    const code = target === 'parties' ? 'party-index-out-of-range' : 'dialog-index-out-of-range'
    report(
      level,
      pointerJoin(at.base, key),
      code,
      `${at.label}: "${key}" is ${value} but the vCon has ${count} ${target} entries; point at an existing one.`,
    )
    return undefined
  }
  return value
}

/** A place for a nested object, for chaining checks. */
export function placeOf(
  obj: Readonly<Record<string, unknown>>,
  base: string,
  label: string,
): Place {
  return { obj, base, label }
}
