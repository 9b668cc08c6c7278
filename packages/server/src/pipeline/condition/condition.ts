/**
 * @module A small, safe condition language over a vCon for the route and filter steps: plain JSON objects
 * compiled once at start into a predicate (no eval, no Function, no code from configuration).
 *
 *   { pointer: '/parties/0/tel', exists: true }          a value is there (or, with false, none is)
 *   { pointer: '/subject', equals: 'Sales call' }        deep JSON equality
 *   { pointer: '/dialog/*' + '/type', in: ['text'] }     one of several values (`*`: any element)
 *   { pointer: '/parties/*' + '/mailto', matches: '@example\\.com$', flags: 'i' }
 *   { pointer: '/dialog/0/duration', gte: 30 }           gt | gte | lt | lte on numbers
 *   { tag: 'category' } / { tag: 'category', equals: 'sales' } / { tag: 'category:sales' }
 *   { all: [...] } / { any: [...] } / { not: {...} }
 *
 * Through a wildcard a pointer reaches several values; the condition holds when any of them satisfies it
 * (and `exists: false` holds when none exists).
 */
import { getTags, type Vcon } from '@vconkit/vcon'
import { optionError } from '../options/read-options.js'
import { parsePointer, resolvePointer } from './json-pointer.js'

/** A compiled condition. */
export type Predicate = (vcon: Vcon) => boolean

const OPERATORS = ['exists', 'equals', 'in', 'matches', 'gt', 'gte', 'lt', 'lte'] as const
type Operator = (typeof OPERATORS)[number]

/** Deepest nesting of all/any/not accepted (a configuration, not a program). */
const MAX_DEPTH = 32

/** Longest string a `matches` regex is run on: bounds the cost of a slow pattern on hostile input. */
const MAX_MATCH_INPUT = 64 * 1024

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEquals(v, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k], b[k]))
  }
  return false
}

/** Builds a test on one value from the operator of a pointer or tag condition. */
function valueTest(
  spec: Readonly<Record<string, unknown>>,
  op: Operator,
  key: string,
): (value: unknown) => boolean {
  const operand = spec[op]
  switch (op) {
    case 'exists':
      throw new Error('unreachable: exists is handled by the caller')
    case 'equals':
      return (v) => jsonEquals(v, operand)
    case 'in': {
      if (!Array.isArray(operand)) throw optionError(`${key}.in`, 'must be a list of values')
      const list: readonly unknown[] = operand
      return (v) => list.some((item) => jsonEquals(v, item))
    }
    case 'matches': {
      if (typeof operand !== 'string')
        throw optionError(`${key}.matches`, 'must be a regular expression string')
      const flags = spec.flags ?? ''
      if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) {
        throw optionError(
          `${key}.flags`,
          'may only hold the regular expression flags i, m, s and u',
        )
      }
      let re: RegExp
      try {
        re = new RegExp(operand, flags)
      } catch (error) {
        throw optionError(
          `${key}.matches`,
          `is not a valid regular expression: ${(error as Error).message}`,
        )
      }
      return (v) =>
        typeof v === 'string' &&
        re.test(v.length > MAX_MATCH_INPUT ? v.slice(0, MAX_MATCH_INPUT) : v)
    }
    default: {
      if (typeof operand !== 'number' || !Number.isFinite(operand)) {
        throw optionError(`${key}.${op}`, 'must be a number')
      }
      const n = operand
      const cmp =
        op === 'gt'
          ? (v: number) => v > n
          : op === 'gte'
            ? (v: number) => v >= n
            : op === 'lt'
              ? (v: number) => v < n
              : (v: number) => v <= n
      return (v) => typeof v === 'number' && cmp(v)
    }
  }
}

function onlyOperator(
  spec: Readonly<Record<string, unknown>>,
  key: string,
  subject: 'pointer' | 'tag',
): Operator | undefined {
  const allowed = new Set<string>([subject, 'flags', ...OPERATORS])
  for (const k of Object.keys(spec)) {
    if (!allowed.has(k)) {
      throw optionError(
        `${key}.${k}`,
        `is not part of a ${subject} condition; use one of ${OPERATORS.join(', ')}`,
      )
    }
  }
  const ops = OPERATORS.filter((op) => spec[op] !== undefined)
  if (ops.length > 1) {
    throw optionError(
      key,
      `has several operators (${ops.join(', ')}); combine conditions with all or any`,
    )
  }
  if (spec.flags !== undefined && ops[0] !== 'matches')
    throw optionError(`${key}.flags`, 'goes with matches only')
  return ops[0]
}

function pointerCondition(spec: Readonly<Record<string, unknown>>, key: string): Predicate {
  const pointer = spec.pointer
  const segments = typeof pointer === 'string' ? parsePointer(pointer) : undefined
  if (segments === undefined) {
    throw optionError(
      `${key}.pointer`,
      'must be a JSON pointer such as "/parties/0/tel" (RFC 6901)',
    )
  }
  const op = onlyOperator(spec, key, 'pointer') ?? 'exists'
  if (op === 'exists') {
    const wanted = spec.exists ?? true
    if (typeof wanted !== 'boolean') throw optionError(`${key}.exists`, 'must be true or false')
    return (vcon) =>
      resolvePointer(vcon, segments).some((v) => v !== undefined && v !== null) === wanted
  }
  const test = valueTest(spec, op, key)
  return (vcon) => resolvePointer(vcon, segments).some(test)
}

function tagCondition(spec: Readonly<Record<string, unknown>>, key: string): Predicate {
  const tag = spec.tag
  if (typeof tag !== 'string' || tag === '') throw optionError(`${key}.tag`, 'must be a tag name')
  const op = onlyOperator(spec, key, 'tag')
  const colon = tag.indexOf(':')
  // "name:value" is shorthand for { tag: name, equals: value }, the way the Conserver writes tags.
  if (colon > 0) {
    if (op !== undefined)
      throw optionError(key, 'uses "name:value" and an operator; use one or the other')
    const name = tag.slice(0, colon)
    const value = tag.slice(colon + 1)
    return (vcon) => {
      const tags = getTags(vcon)
      return Object.hasOwn(tags, name) && tags[name] === value
    }
  }
  if (op === undefined || op === 'exists') {
    const wanted = spec.exists ?? true
    if (typeof wanted !== 'boolean') throw optionError(`${key}.exists`, 'must be true or false')
    return (vcon) => Object.hasOwn(getTags(vcon), tag) === wanted
  }
  const test = valueTest(spec, op, key)
  return (vcon) => {
    const tags = getTags(vcon)
    return Object.hasOwn(tags, tag) && test(tags[tag])
  }
}

function compile(spec: unknown, key: string, depth: number): Predicate {
  if (depth > MAX_DEPTH) throw optionError(key, `nests conditions deeper than ${MAX_DEPTH} levels`)
  if (!isPlainObject(spec)) {
    throw optionError(
      key,
      'must be a condition object: { pointer, ... }, { tag, ... }, { all }, { any } or { not }',
    )
  }
  const kinds = ['all', 'any', 'not', 'pointer', 'tag'].filter((k) => spec[k] !== undefined)
  if (kinds.length !== 1) {
    throw optionError(
      key,
      kinds.length === 0
        ? 'must have one of pointer, tag, all, any or not'
        : `mixes ${kinds.join(' and ')}; nest them in all or any`,
    )
  }
  const kind = kinds[0]
  if (kind === 'pointer') return pointerCondition(spec, key)
  if (kind === 'tag') return tagCondition(spec, key)
  if (Object.keys(spec).length !== 1) {
    throw optionError(key, `has other keys beside ${kind}; put them in nested conditions`)
  }
  if (kind === 'not') {
    const inner = compile(spec.not, `${key}.not`, depth + 1)
    return (vcon) => !inner(vcon)
  }
  const list = spec[kind as 'all' | 'any']
  if (!Array.isArray(list) || list.length === 0) {
    throw optionError(`${key}.${kind}`, 'must be a non-empty list of conditions')
  }
  const parts = list.map((item: unknown, i) => compile(item, `${key}.${kind}[${i}]`, depth + 1))
  return kind === 'all'
    ? (vcon) => parts.every((p) => p(vcon))
    : (vcon) => parts.some((p) => p(vcon))
}

/**
 * Compiles a condition from configuration. `key` is the option it came from (e.g. `when`); errors are
 * ServerError CONFIG_INVALID naming the exact place (`options.when.all[1].pointer ...`).
 */
export function compileCondition(spec: unknown, key: string): Predicate {
  return compile(spec, key, 0)
}
