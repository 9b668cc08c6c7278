/**
 * @module Iterative walks over JSON values: depth check, deep copy and deep freeze. Iterative because JSON.parse
 * accepts nesting far deeper than the call stack (100,000 levels parse fine, then any recursion overflows).
 */
import { VconError } from '../errors/vcon-error.js'

function tooDeep(maxDepth: number): VconError {
  return new VconError(
    'VCON_TOO_DEEP',
    `The input nests deeper than ${maxDepth} levels (or contains a cycle); no vCon needs that. Flatten the data or raise maxDepth.`,
  )
}

/**
 * Throws VCON_TOO_DEEP when a JSON value nests deeper than `maxDepth`. A plain walk costs a small fraction of
 * JSON.parse; it is what keeps later recursion (JSON.stringify, structuredClone) from overflowing the stack.
 */
export function checkDepth(value: unknown, maxDepth: number): void {
  if (typeof value !== 'object' || value === null) return
  const stack: unknown[] = [value]
  const depths: number[] = [1]
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>
    const depth = depths.pop() as number
    if (depth > maxDepth) throw tooDeep(maxDepth)
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i]
        if (typeof child === 'object' && child !== null) {
          stack.push(child)
          depths.push(depth + 1)
        }
      }
    } else {
      for (const key in node) {
        const child = node[key]
        if (typeof child === 'object' && child !== null) {
          stack.push(child)
          depths.push(depth + 1)
        }
      }
    }
  }
}

/**
 * Freezes every object and array of a JSON value, and throws VCON_TOO_DEEP past `maxDepth`. Subtrees that are
 * already frozen are not walked again.
 */
export function deepFreeze<T>(value: T, maxDepth: number): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  const stack: unknown[] = [value]
  const depths: number[] = [1]
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>
    const depth = depths.pop() as number
    if (depth > maxDepth) throw tooDeep(maxDepth)
    Object.freeze(node)
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i]
        if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) {
          stack.push(child)
          depths.push(depth + 1)
        }
      }
    } else {
      for (const key in node) {
        const child = node[key]
        if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) {
          stack.push(child)
          depths.push(depth + 1)
        }
      }
    }
  }
  return value
}

/**
 * Copies a JSON-compatible value into fresh plain objects and arrays (own enumerable keys only, `__proto__` kept
 * as a data key), so that the caller's object is never frozen or changed. Throws VCON_TOO_DEEP past `maxDepth`
 * (cycles included) and VCON_BAD_ARGUMENT on values JSON cannot hold (functions, symbols, bigints, NaN).
 */
export function copyJson(value: unknown, maxDepth: number): unknown {
  if (typeof value !== 'object' || value === null) return checkScalar(value)
  const root: unknown = Array.isArray(value) ? [] : {}
  const stack: CopyFrame[] = [[value, root as Record<string, unknown>, 1]]
  while (stack.length > 0) {
    const [src, dst, depth] = stack.pop() as CopyFrame
    // A cycle never ends, so it is caught here too.
    if (depth > maxDepth) throw tooDeep(maxDepth)
    if (Array.isArray(src)) {
      const out = dst as unknown[]
      for (let i = 0; i < src.length; i++) out.push(copyChild(src[i], stack, depth))
    } else {
      const out = dst as Record<string, unknown>
      for (const key of Object.keys(src as object)) {
        const child = (src as Record<string, unknown>)[key]
        if (child === undefined) continue
        const value = copyChild(child, stack, depth)
        // A plain assignment to "__proto__" would set the prototype; define it as a data key instead.
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          })
        } else out[key] = value
      }
    }
  }
  return root
}

type CopyFrame = [unknown, Record<string, unknown> | unknown[], number]

/** The copy of one child: scalars as they are, containers as empty shells queued for filling. */
function copyChild(child: unknown, stack: CopyFrame[], depth: number): unknown {
  if (typeof child !== 'object' || child === null)
    return child === undefined ? null : checkScalar(child)
  if (child instanceof Date) return child.toISOString()
  const shell: Record<string, unknown> | unknown[] = Array.isArray(child) ? [] : {}
  stack.push([child, shell, depth + 1])
  return shell
}

function checkScalar(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'JSON cannot hold NaN or Infinity; use a finite number.',
    )
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new VconError('VCON_BAD_ARGUMENT', `JSON cannot hold a ${typeof value}.`)
  }
  return value
}
