/**
 * @module Checks of the draft's typed fields shared by every object (core draft §2.4): Date, and party or dialog
 * indices (their ranges are checked in check-references.ts, once every array is known).
 */
import { truncate } from './check-content.js'
import type { IssueCollector } from './issue.js'
import { isDate, isUnsignedInt } from './primitives.js'

/** Checks a Date field at `base/key`; `missingLevel` applies when it is absent. */
export function checkDate(
  value: unknown,
  base: string,
  key: string,
  c: IssueCollector,
  missingLevel: 'must' | 'strict' | 'optional',
): void {
  if (typeof value === 'string' && isDate(value)) return
  if (value === undefined) {
    if (missingLevel !== 'optional') {
      c.report(
        missingLevel,
        `${base}/${key}`,
        'missing-field',
        'A date-time is required here (RFC 3339, with a zone).',
      )
    }
    return
  }
  c.report(
    'must',
    `${base}/${key}`,
    'bad-date',
    `${typeof value === 'string' ? `"${truncate(value)}"` : 'The value'} is not an RFC 3339 date-time with a zone, e.g. "2025-03-04T10:31:03Z".`,
  )
}

/** Checks the type of an optional index at `base/key` (the range is checked in check-references.ts). */
export function checkIndex(
  value: unknown,
  base: string,
  key: string | number,
  c: IssueCollector,
): void {
  if (value !== undefined && !isUnsignedInt(value)) {
    c.report('must', `${base}/${key}`, 'negative-number', 'An index must be an integer ≥ 0.')
  }
}

/** Checks the type of an optional index or array of indices at `base/key`. */
export function checkIndexOrIndices(
  value: unknown,
  base: string,
  key: string,
  c: IssueCollector,
): void {
  if (value === undefined || isUnsignedInt(value)) return
  if (!Array.isArray(value)) {
    c.report(
      'must',
      `${base}/${key}`,
      'negative-number',
      'Expected an index (integer ≥ 0) or an array of indices.',
    )
    return
  }
  for (let i = 0; i < value.length; i++) checkIndex(value[i], `${base}/${key}`, i, c)
}
