/**
 * @module Reading and building CBOR maps keyed by integer (or text) labels, as COSE headers, CWT claims and
 * COSE_Keys are (RFC 9052 §1.4 `label = int / tstr`). Decoded maps are `Map`s, so `1` and `"1"` stay distinct.
 */
import { LedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'

/** A COSE label: an integer or a text string (RFC 9052 §1.4). */
export type Label = number | string

/** A decoded or to-be-encoded map keyed by labels. */
export type LabelMap = ReadonlyMap<Label, unknown>

/** Where a value sits, for error messages ("protected header of the receipt"), and the code to throw. */
export interface MapContext {
  readonly where: string
  readonly code: LedgerErrorCode
}

function fail(ctx: MapContext, label: Label, expected: string): never {
  throw new LedgerError(ctx.code, `Label ${String(label)} of the ${ctx.where} must be ${expected}.`)
}

/** Narrows a decoded value to a map whose keys are all labels (int or tstr); throws otherwise. */
export function asLabelMap(value: unknown, ctx: MapContext): LabelMap {
  if (!(value instanceof Map)) {
    throw new LedgerError(ctx.code, `The ${ctx.where} must be a CBOR map.`)
  }
  for (const key of value.keys()) {
    if (!(typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key)))) {
      throw new LedgerError(ctx.code, `The ${ctx.where} has a key that is neither int nor text.`)
    }
  }
  return value as LabelMap
}

/** An integer at `label`, or undefined when absent. */
export function optionalInt(map: LabelMap, label: Label, ctx: MapContext): number | undefined {
  const value = map.get(label)
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(ctx, label, 'an integer')
  return value
}

/** An unsigned integer at `label`, or undefined when absent. */
export function optionalUint(map: LabelMap, label: Label, ctx: MapContext): number | undefined {
  const value = optionalInt(map, label, ctx)
  if (value !== undefined && value < 0) fail(ctx, label, 'an unsigned integer')
  return value
}

/** A byte string at `label`, or undefined when absent. */
export function optionalBytes(
  map: LabelMap,
  label: Label,
  ctx: MapContext,
): Uint8Array | undefined {
  const value = map.get(label)
  if (value === undefined) return undefined
  if (!(value instanceof Uint8Array)) fail(ctx, label, 'a byte string')
  return value
}

/** A text string at `label`, or undefined when absent. */
export function optionalText(map: LabelMap, label: Label, ctx: MapContext): string | undefined {
  const value = map.get(label)
  if (value === undefined) return undefined
  if (typeof value !== 'string') fail(ctx, label, 'a text string')
  return value
}

/** A nested label map at `label`, or undefined when absent. */
export function optionalMap(map: LabelMap, label: Label, ctx: MapContext): LabelMap | undefined {
  const value = map.get(label)
  if (value === undefined) return undefined
  return asLabelMap(value, { ...ctx, where: `value of label ${String(label)} in the ${ctx.where}` })
}

/** An array at `label`, or undefined when absent. */
export function optionalArray(
  map: LabelMap,
  label: Label,
  ctx: MapContext,
): readonly unknown[] | undefined {
  const value = map.get(label)
  if (value === undefined) return undefined
  if (!Array.isArray(value)) fail(ctx, label, 'an array')
  return value
}

/** `value` unless it is undefined, in which case the label is reported missing. */
export function required<T>(value: T | undefined, label: Label, ctx: MapContext): T {
  if (value === undefined) {
    throw new LedgerError(ctx.code, `The ${ctx.where} must carry label ${String(label)}.`)
  }
  return value
}
