/**
 * @module Checks a parsed configuration value against a schema tree (schema-node.ts): every problem at once, each
 * naming its key path and the fix, and the value with every default filled in. Absent and null keys (a YAML key
 * with nothing after the colon) both mean "not set".
 */
import { closest, parseDuration, parseSize, showValue, toSnakeCase } from './fix-hints.js'
import type {
  ArrayNode,
  EnumNode,
  IntegerNode,
  ObjectNode,
  SchemaNode,
  ShorthandNode,
  StringNode,
} from './schema-node.js'

/** A key path as segments: object keys and list indexes. */
export type KeyPath = readonly (string | number)[]

/** A problem before it is placed in a file (load-config.ts adds the line). */
export interface PathProblem {
  readonly path: KeyPath
  readonly message: string
}

/** `chains[0].steps[1].timeout_ms`; keys that are not plain words are quoted (`options["a.b"]`). */
export function formatPath(path: KeyPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment))
      out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/**
 * Checks `value` (undefined = absent) against `node`; pushes problems; returns the value with defaults, or
 * undefined when the key is absent with no default (or wrong).
 */
export function checkNode(
  node: SchemaNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): unknown {
  if (value === undefined || value === null) return defaultOf(node, path, problems)
  switch (node.kind) {
    case 'integer':
      return checkInteger(node, value, path, problems)
    case 'string':
      return checkString(node, value, path, problems)
    case 'enum':
      return checkEnum(node, value, path, problems)
    case 'array':
      return checkArray(node, value, path, problems)
    case 'object':
      return checkObject(node, value, path, problems)
    case 'open-object':
      if (!isPlainObject(value)) {
        problems.push({
          path,
          message: `expected a mapping of option names to values, got ${showValue(value)}`,
        })
        return undefined
      }
      return { ...value }
    case 'shorthand':
      return checkShorthand(node, value, path, problems)
  }
}

function defaultOf(node: SchemaNode, path: KeyPath, problems: PathProblem[]): unknown {
  switch (node.kind) {
    case 'integer':
    case 'string':
    case 'enum':
      return node.default
    case 'array':
      // Defaults go through the item schema so that their own defaults are filled in too.
      return node.default === undefined ? undefined : checkNode(node, node.default, path, problems)
    case 'object':
      return checkObject(node, {}, path, problems)
    case 'open-object':
      return {}
    case 'shorthand':
      return undefined
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeInteger(node: IntegerNode): string {
  const range = node.max === undefined ? `≥ ${node.min}` : `from ${node.min} to ${node.max}`
  switch (node.unit) {
    case 'ms':
      return `a number of milliseconds ${range}`
    case 'bytes':
      return `a number of bytes ${range}`
    case 'port':
      return `a port number ${range}`
    case 'per-second':
      return `a number per second ${range}`
    case 'count':
      return `a whole number ${range}`
  }
}

function inRange(node: IntegerNode, n: number): boolean {
  return Number.isSafeInteger(n) && n >= node.min && (node.max === undefined || n <= node.max)
}

/** What the user probably meant by a wrong integer value, as "; write N", or ''. */
function integerFix(node: IntegerNode, value: unknown): string {
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if (/^[0-9]+$/.test(trimmed) && inRange(node, Number(trimmed))) {
      return `; write ${Number(trimmed)} (a number, without quotes)`
    }
    const converted =
      node.unit === 'ms'
        ? parseDuration(trimmed)
        : node.unit === 'bytes'
          ? parseSize(trimmed)
          : undefined
    if (converted !== undefined && inRange(node, converted)) return `; write ${converted}`
    return ''
  }
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
    const rounded = Math.round(value)
    return inRange(node, rounded) ? `; write ${rounded} (a whole number)` : ''
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    const nearest = value < node.min ? node.min : node.max
    return nearest === undefined ? '' : `; write ${nearest} or a value in that range`
  }
  return ''
}

function checkInteger(
  node: IntegerNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): number | undefined {
  if (typeof value === 'number' && inRange(node, value)) return value
  problems.push({
    path,
    message: `expected ${describeInteger(node)}, got ${showValue(value)}${integerFix(node, value)}`,
  })
  return undefined
}

function checkString(
  node: StringNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): string | undefined {
  if (typeof value !== 'string') {
    const fix =
      typeof value === 'number' || typeof value === 'boolean'
        ? `; write "${String(value)}" (in quotes)`
        : ''
    problems.push({
      path,
      message: `expected ${expectString(node)}, got ${showValue(value)}${fix}`,
    })
    return undefined
  }
  if (value.length < (node.minLength ?? 1)) {
    const example = node.example === undefined ? '' : `, e.g. ${node.example}`
    problems.push({
      path,
      message: `expected ${expectString(node)}, got an empty string; write a value${example} or remove the key`,
    })
    return undefined
  }
  if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) {
    const repaired = node.repair?.(value)
    const fix =
      repaired !== undefined && new RegExp(node.pattern, 'u').test(repaired)
        ? `; write ${repaired}`
        : node.example === undefined
          ? ''
          : `; e.g. ${node.example}`
    problems.push({
      path,
      message: `expected ${expectString(node)}, got ${showValue(value)}${fix}`,
    })
    return undefined
  }
  return value
}

function expectString(node: StringNode): string {
  return node.patternHint ?? 'a string'
}

function checkEnum(
  node: EnumNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): string | undefined {
  if (typeof value === 'string' && node.values.includes(value)) return value
  const guess = typeof value === 'string' ? closest(value, node.values) : undefined
  const fix = guess === undefined ? '' : `; write ${guess}`
  problems.push({
    path,
    message: `expected one of ${node.values.join(', ')}, got ${showValue(value)}${fix}`,
  })
  return undefined
}

function checkArray(
  node: ArrayNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): unknown[] | undefined {
  if (!Array.isArray(value)) {
    let fix = ''
    if (
      typeof value === 'string' &&
      (node.items.kind === 'string' || node.items.kind === 'shorthand')
    ) {
      const parts = value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
      fix = `; write a list: [${parts.join(', ')}]`
    }
    problems.push({ path, message: `expected a list, got ${showValue(value)}${fix}` })
    return undefined
  }
  if (node.minItems !== undefined && value.length < node.minItems) {
    problems.push({
      path,
      message: `expected a list of at least ${node.minItems}, got ${value.length === 0 ? 'an empty list' : showValue(value)}`,
    })
  }
  const out: unknown[] = []
  value.forEach((item, index) => {
    if (item === null || item === undefined) {
      problems.push({
        path: [...path, index],
        message: 'empty list item; remove the lone "-" or give it a value',
      })
      return
    }
    out.push(checkNode(node.items, item, [...path, index], problems))
  })
  return out
}

function checkObject(
  node: ObjectNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    const keys = Object.keys(node.fields).slice(0, 4).join(', ')
    problems.push({
      path,
      message: `expected a mapping (with keys such as ${keys}), got ${showValue(value)}`,
    })
    return undefined
  }
  const known = Object.keys(node.fields)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (node.fields[key] !== undefined || node.ignored?.includes(key)) continue
    const guess = closest(key, known)
    const hint =
      guess !== undefined
        ? guess === toSnakeCase(key) && guess !== key
          ? `did you mean ${guess}? (keys are snake_case)`
          : `did you mean ${guess}?`
        : `the keys here are ${known.join(', ')}`
    problems.push({ path: [...path, key], message: `unknown key; ${hint}` })
    void item
  }
  for (const [key, field] of Object.entries(node.fields)) {
    const given = value[key]
    if ((given === undefined || given === null) && node.required?.includes(key)) {
      const example = exampleOf(field)
      problems.push({
        path: [...path, key],
        message: `missing; ${field.description.replace(/\.$/, '')}${example === undefined ? '' : ` (e.g. ${key}: ${example})`}`,
      })
      continue
    }
    const checked = checkNode(field, given, [...path, key], problems)
    if (checked !== undefined) out[key] = checked
  }
  return out
}

function exampleOf(node: SchemaNode): string | undefined {
  if (node.kind === 'string') return node.example
  if (node.kind === 'enum') return node.values[0]
  return undefined
}

function checkShorthand(
  node: ShorthandNode,
  value: unknown,
  path: KeyPath,
  problems: PathProblem[],
): unknown {
  if (typeof value === 'string') {
    return checkObject(node.object, { [node.shorthandKey]: value }, path, problems)
  }
  if (isPlainObject(value)) return checkObject(node.object, value, path, problems)
  problems.push({
    path,
    message: `expected a ${node.shorthandKey} name or a mapping with ${node.shorthandKey}:, got ${showValue(value)}`,
  })
  return undefined
}
