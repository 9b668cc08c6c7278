/**
 * @module Timestamps of lawful-basis records as instants. Records carry RFC 3339 date-times (lawful-basis-00
 * §5.2); legacy files also write them without a zone, which this library reads as UTC everywhere (notes §d.2).
 */
import { isDate, isZonelessDate } from '../validate/primitives.js'

/** Milliseconds since the epoch, or undefined when `value` is not a date-time (a leap second included). */
export function instantOf(value: string): number | undefined {
  let ms = Number.NaN
  if (isDate(value)) ms = Date.parse(value)
  else if (isZonelessDate(value)) ms = Date.parse(`${value}Z`)
  return Number.isNaN(ms) ? undefined : ms
}
