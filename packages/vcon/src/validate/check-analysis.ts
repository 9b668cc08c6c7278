/**
 * @module Checks of one Analysis object (core draft §4.5).
 */
import { checkContent } from './check-content.js'
import { checkIndexOrIndices } from './check-fields.js'
import type { IssueCollector } from './issue.js'
import { isObject } from './primitives.js'

const STRING_FIELDS = ['product', 'schema'] as const

export function checkAnalysis(analysis: unknown, pointer: string, c: IssueCollector): void {
  if (!isObject(analysis)) {
    c.report('must', pointer, 'wrong-type', 'An analysis must be an object.')
    return
  }
  // An empty placeholder keeps later indices stable after a redaction removed the entry (core draft §4.1.8).
  if (Object.keys(analysis).length === 0) return
  const { type, vendor } = analysis
  if (type === undefined) {
    c.report(
      'must',
      `${pointer}/type`,
      'missing-field',
      'An analysis needs a type, e.g. "transcript" or "summary".',
    )
  } else if (typeof type !== 'string' || type === '') {
    c.report('must', `${pointer}/type`, 'wrong-type', 'analysis type must be a non-empty string.')
  }
  if (vendor === undefined) {
    c.report(
      'strict',
      `${pointer}/vendor`,
      'missing-field',
      'An analysis must name the vendor or product that produced it in vendor (core draft §4.5.5).',
    )
  } else if (typeof vendor !== 'string') {
    c.report('must', `${pointer}/vendor`, 'wrong-type', 'analysis vendor must be a string.')
  }
  for (const key of STRING_FIELDS) {
    if (analysis[key] !== undefined && typeof analysis[key] !== 'string') {
      c.report('must', `${pointer}/${key}`, 'wrong-type', `analysis ${key} must be a string.`)
    }
  }
  checkIndexOrIndices(analysis.dialog, pointer, 'dialog', c)
  checkIndexOrIndices(analysis.attachment, pointer, 'attachment', c)
  checkContent(analysis, pointer, c, false)
}
