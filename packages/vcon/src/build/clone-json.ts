/**
 * @module A deep copy of a JSON value that also checks it is one (plain objects, arrays, strings, finite
 * numbers, booleans, null). The builder copies every input with it, so callers' objects are never shared or
 * mutated (design §2). Iterative, so deep input cannot overflow the call stack.
 */
import { VconError } from '../errors/vcon-error.js'
import type { JsonValue } from '../model/vcon.js'
import { pointerJoin } from '../validate/issue.js'

function fail(field: string, pointer: string, what: string): never {
  const at = pointer === '' ? field : `${field}${pointer}`
  throw new VconError(
    'VCON_BAD_ARGUMENT',
    `\`${at}\` ${what}; only JSON values can go into a vCon.`,
  )
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

interface Frame {
  readonly source: object
  readonly target: JsonValue[] | Record<string, JsonValue>
  readonly keys: readonly (string | number)[]
  readonly pointer: string
  next: number
}

/**
 * Returns a deep copy of `value`. Object properties whose value is `undefined` are dropped (as JSON does);
 * anything else JSON cannot hold throws VCON_BAD_ARGUMENT naming `field` and the JSON pointer inside it.
 */
export function cloneJson(value: unknown, field: string): JsonValue {
  const stack: Frame[] = []
  const open = new Set<object>()

  const copy = (item: unknown, pointer: string): JsonValue => {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return item
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) fail(field, pointer, `is the number ${item}`)
      // JSON has no negative zero: -0 serialises as 0, so store 0 and let the vCon round-trip exactly.
      return item === 0 ? 0 : item
    }
    if (typeof item !== 'object') fail(field, pointer, `is of type ${typeof item}`)
    if (open.has(item)) fail(field, pointer, 'contains a cycle')
    if (Array.isArray(item)) {
      const target: JsonValue[] = []
      open.add(item)
      stack.push({
        source: item,
        target,
        keys: Array.from({ length: item.length }, (_, i) => i),
        pointer,
        next: 0,
      })
      return target
    }
    if (!isPlainObject(item)) {
      fail(field, pointer, `is a ${item.constructor?.name ?? 'non-plain'} object`)
    }
    const record = item as Record<string, unknown>
    const target: Record<string, JsonValue> = {}
    open.add(item)
    stack.push({
      source: item,
      target,
      keys: Object.keys(record).filter((k) => record[k] !== undefined),
      pointer,
      next: 0,
    })
    return target
  }

  const root = copy(value, '')
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.next >= frame.keys.length) {
      stack.pop()
      open.delete(frame.source)
      continue
    }
    const key = frame.keys[frame.next] as string | number
    frame.next++
    const pointer = pointerJoin(frame.pointer, key)
    if (Array.isArray(frame.target)) {
      const item = (frame.source as readonly unknown[])[key as number]
      if (item === undefined) fail(field, pointer, 'is undefined inside an array')
      frame.target.push(copy(item, pointer))
    } else {
      // defineProperty keeps a key named "__proto__" an own data property, as JSON.parse does.
      Object.defineProperty(frame.target, key, {
        value: copy((frame.source as Record<string, unknown>)[key as string], pointer),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
  }
  return root
}
