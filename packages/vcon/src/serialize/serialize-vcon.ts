/**
 * @module Writes a vCon as JSON with a stable key order: core parameters in the draft's table order, then any
 * other keys sorted by code unit, and every non-core object (bodies, extension data) sorted recursively. The
 * writer is iterative, so deeply nested input cannot overflow the call stack.
 */
import { VconError } from '../errors/vcon-error.js'
import type { Vcon } from '../model/vcon.js'
import { pointerJoin } from '../validate/issue.js'
import { type KeyLayout, orderKeys, SORTED, VCON_LAYOUT } from './key-order.js'

/** Options of `serializeVcon`. */
export interface SerializeOptions {
  /** Spaces per level, as in `JSON.stringify` (clamped to 0..10); 0 or absent writes one line. */
  readonly indent?: number
}

/** One open object or array on the writer's stack. */
interface Frame {
  readonly container: object
  readonly pointer: string
  readonly isArray: boolean
  /** Keys (objects) in output order, or indices (arrays). */
  readonly keys: readonly (string | number)[]
  readonly layout: KeyLayout
  next: number
}

function fail(pointer: string, what: string): never {
  throw new VconError(
    'VCON_BAD_ARGUMENT',
    `serializeVcon: the value at "${pointer || '/'}" ${what}; a vCon holds JSON values only.`,
  )
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function childLayout(frame: Frame, key: string | number): KeyLayout {
  if (frame.isArray) return frame.layout.items ?? SORTED
  return frame.layout.fields?.[key as string] ?? SORTED
}

/**
 * Serialises a vCon (or any JSON value) with the draft's key order. Does not mutate its input; the output
 * parses back to a value deep-equal to the input (object properties whose value is `undefined` are left out,
 * as `JSON.stringify` does). Throws VCON_BAD_ARGUMENT on values JSON cannot hold (cycles, non-finite numbers,
 * functions, bigint, class instances such as Date or Uint8Array, `undefined` inside an array).
 */
export function serializeVcon(
  vcon: Vcon | Readonly<Record<string, unknown>>,
  options: SerializeOptions = {},
): string {
  return serializeWithLayout(vcon, VCON_LAYOUT, options)
}

/** Serialises any JSON value with every object's keys sorted by code unit. */
export function serializeSorted(value: unknown, options: SerializeOptions = {}): string {
  return serializeWithLayout(value, SORTED, options)
}

function serializeWithLayout(
  root: unknown,
  rootLayout: KeyLayout,
  options: SerializeOptions,
): string {
  const width = Math.max(0, Math.min(10, Math.floor(options.indent ?? 0)))
  const unit = ' '.repeat(width)
  const colon = width > 0 ? ': ' : ':'
  const out: string[] = []
  const stack: Frame[] = []
  const open = new Set<object>()

  /** Writes a scalar, or opens a container (pushing a frame). */
  const write = (value: unknown, layout: KeyLayout, pointer: string): void => {
    switch (typeof value) {
      case 'string':
        out.push(JSON.stringify(value))
        return
      case 'boolean':
        out.push(value ? 'true' : 'false')
        return
      case 'number':
        if (!Number.isFinite(value)) fail(pointer, `is the number ${value}`)
        out.push(JSON.stringify(value))
        return
      case 'object':
        break
      default:
        fail(pointer, `is of type ${typeof value}`)
    }
    if (value === null) {
      out.push('null')
      return
    }
    if (open.has(value)) fail(pointer, 'refers back to one of its own ancestors (a cycle)')
    if (Array.isArray(value)) {
      if (value.length === 0) {
        out.push('[]')
        return
      }
      out.push('[')
      open.add(value)
      stack.push({
        container: value,
        pointer,
        isArray: true,
        keys: Array.from({ length: value.length }, (_, i) => i),
        layout,
        next: 0,
      })
      return
    }
    if (!isPlainObject(value)) {
      fail(
        pointer,
        `is a ${value.constructor?.name ?? 'non-plain'} object, not a plain JSON object`,
      )
    }
    const record = value as Record<string, unknown>
    const keys = orderKeys(
      Object.keys(record).filter((k) => record[k] !== undefined),
      layout,
    )
    if (keys.length === 0) {
      out.push('{}')
      return
    }
    out.push('{')
    open.add(value)
    stack.push({ container: value, pointer, isArray: false, keys, layout, next: 0 })
  }

  write(root, rootLayout, '')
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.next < frame.keys.length) {
      const key = frame.keys[frame.next] as string | number
      const first = frame.next === 0
      frame.next++
      if (!first) out.push(',')
      if (width > 0) out.push(`\n${unit.repeat(stack.length)}`)
      const pointer = pointerJoin(frame.pointer, key)
      let value: unknown
      if (frame.isArray) {
        value = (frame.container as readonly unknown[])[key as number]
        if (value === undefined) fail(pointer, 'is undefined inside an array')
      } else {
        value = (frame.container as Record<string, unknown>)[key as string]
        out.push(JSON.stringify(key), colon)
      }
      write(value, childLayout(frame, key), pointer)
      continue
    }
    stack.pop()
    open.delete(frame.container)
    if (width > 0) out.push(`\n${unit.repeat(stack.length)}`)
    out.push(frame.isArray ? ']' : '}')
  }
  return out.join('')
}
