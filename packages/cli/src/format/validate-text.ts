/**
 * @module The human output of `vcon validate`: one status line per input, indented issue lines below it, and
 * a summary line at the end.
 */
import type { LoadResult, ReportIssue } from '../io/load-vcon.js'
import { formatIssueLines, oneLine } from './issue-lines.js'
import { plural } from './table.js'

/** What to show besides the status line. */
export interface TextOptions {
  /** Show warnings (and list them under OK lines too); errors are always listed. */
  readonly warnings: boolean
}

/** Counts for the summary line. */
export interface ValidateTally {
  valid: number
  invalid: number
  unreadable: number
}

const VCON_CURRENT = '0.4.0'

/** The status line and issue lines for one input. */
export function formatResultText(result: LoadResult, options: TextOptions): string[] {
  if (result.kind === 'unreadable') return [`ERR  ${result.display}: cannot read: ${result.reason}`]
  if (result.kind === 'parsed') {
    const warnings = result.parsed.issues.filter((i) => i.severity === 'warning')
    const notes: string[] = []
    if (result.parsed.form === 'signed') notes.push('signed (JWS), signature not checked')
    else if (result.parsed.form === 'encrypted') notes.push('encrypted (JWE), not decrypted')
    else if (result.version !== null && result.version !== VCON_CURRENT) {
      notes.push(`${result.version} → ${VCON_CURRENT}`)
    } else notes.push(VCON_CURRENT)
    if (warnings.length > 0) notes.push(plural(warnings.length, 'warning'))
    const lines = [`OK   ${result.display} (${notes.join(', ')})`]
    if (options.warnings) lines.push(...formatIssueLines(warnings))
    return lines
  }
  if (result.wholeFile) return [`FAIL ${result.display}: ${oneLine(result.message)}`]
  const errors = result.issues.filter((i) => i.severity === 'error')
  const warnings = result.issues.filter((i) => i.severity === 'warning')
  const where =
    result.form === 'signed'
      ? 'signed (JWS) envelope: '
      : result.form === 'encrypted'
        ? 'encrypted (JWE) envelope: '
        : ''
  let head = `FAIL ${result.display}: ${where}${plural(errors.length, 'error')}`
  if (options.warnings && warnings.length > 0) head += `, ${plural(warnings.length, 'warning')}`
  const shown: readonly ReportIssue[] = options.warnings ? result.issues : errors
  return [head, ...formatIssueLines(shown)]
}

/** Adds one result to the tally. */
export function tallyResult(tally: ValidateTally, result: LoadResult): void {
  if (result.kind === 'parsed') tally.valid++
  else if (result.kind === 'rejected') tally.invalid++
  else tally.unreadable++
}

/** `3 files: 2 valid, 1 invalid, 0 unreadable`. */
export function formatSummary(tally: ValidateTally): string {
  const total = tally.valid + tally.invalid + tally.unreadable
  return `${plural(total, 'file')}: ${tally.valid} valid, ${tally.invalid} invalid, ${tally.unreadable} unreadable`
}
