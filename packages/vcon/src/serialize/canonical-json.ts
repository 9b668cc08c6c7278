/**
 * @module RFC 8785 JSON Canonicalization Scheme (JCS): one byte-exact text per JSON value, so that a hash over
 * it does not depend on key order, whitespace or number spelling (used by the lawful_basis content_hash).
 */
import { VconError } from '../errors/vcon-error.js'

/** Options of `canonicalJson`. */
export interface CanonicalJsonOptions {
  /** Deepest nesting of arrays and objects accepted (default 1000); deeper input throws VCON_TOO_DEEP. */
  readonly maxDepth?: number
}

const DEFAULT_MAX_DEPTH = 1000

/** Matches a UTF-16 surrogate that is not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Serialises a JSON value as RFC 8785 prescribes:
 * - object members sorted by their names compared as arrays of UTF-16 code units (§3.2.3);
 * - numbers in the ECMAScript Number-to-String form (§3.2.2.3), so -0 is `0` and 1e21 is `1e+21`;
 * - strings escaped minimally, as ECMAScript JSON.stringify does (§3.2.2.2);
 * - no whitespace.
 *
 * The input must be I-JSON (RFC 7493): NaN, Infinity, lone surrogates, `undefined` (except as an object member,
 * which is skipped as JSON.stringify does), functions, symbols, bigints, cycles and non-plain objects throw
 * VCON_BAD_ARGUMENT. Nesting deeper than `maxDepth` throws VCON_TOO_DEEP rather than exhausting the stack.
 */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  const parts: string[] = []
  write(value, 0, maxDepth, new Set<object>(), parts, '')
  return parts.join('')
}

function write(
  value: unknown,
  depth: number,
  maxDepth: number,
  ancestors: Set<object>,
  out: string[],
  path: string,
): void {
  switch (typeof value) {
    case 'string':
      out.push(serializeString(value, path))
      return
    case 'number':
      out.push(serializeNumber(value, path))
      return
    case 'boolean':
      out.push(value ? 'true' : 'false')
      return
    case 'object':
      break
    default:
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `Cannot canonicalise a ${typeof value} at "${path || '/'}": JSON has no such value (RFC 8785 §3.1).`,
      )
  }
  if (value === null) {
    out.push('null')
    return
  }
  if (depth >= maxDepth) {
    throw new VconError(
      'VCON_TOO_DEEP',
      `The value nests deeper than ${maxDepth} levels at "${path || '/'}"; flatten it or raise maxDepth.`,
    )
  }
  if (ancestors.has(value)) {
    throw new VconError('VCON_BAD_ARGUMENT', `The value refers to itself at "${path || '/'}".`)
  }
  ancestors.add(value)
  if (Array.isArray(value)) {
    out.push('[')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',')
      write(value[i], depth + 1, maxDepth, ancestors, out, `${path}/${i}`)
    }
    out.push(']')
  } else {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `Cannot canonicalise a non-plain object at "${path || '/'}"; convert it to plain JSON first.`,
      )
    }
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
    const keys = Object.keys(record).sort()
    let first = true
    out.push('{')
    for (const key of keys) {
      const member = record[key]
      if (member === undefined) continue
      if (!first) out.push(',')
      first = false
      out.push(serializeString(key, path), ':')
      write(member, depth + 1, maxDepth, ancestors, out, `${path}/${key}`)
    }
    out.push('}')
  }
  ancestors.delete(value)
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `A string at "${path || '/'}" holds a lone UTF-16 surrogate, which I-JSON forbids (RFC 8785 §3.2.2.2).`,
    )
  }
  return JSON.stringify(value)
}

function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `The number at "${path || '/'}" is ${value}; JSON has no NaN or Infinity (RFC 8785 §3.2.2.3).`,
    )
  }
  // ECMAScript Number::toString is the RFC 8785 number form; String(-0) is already "0".
  return String(value)
}
