/**
 * @module The `--json` output of `vcon validate`: one JSON object per input, one per line (JSON Lines), with
 * exactly the keys file, valid, form, version and issues.
 */
import type { LoadResult, ReportForm, ReportIssue } from '../io/load-vcon.js'

/** One line of `vcon validate --json`. */
export interface ValidateRecord {
  /** The path as given or found in a folder; `-` for stdin. */
  readonly file: string
  readonly valid: boolean
  /** null only when the file could not be read. */
  readonly form: ReportForm | null
  /** The version the file was written in (unsigned form), else null. */
  readonly version: string | null
  readonly issues: readonly ReportIssue[]
}

/** The record for one input; warnings are always included (machines filter, people use --warnings). */
export function toValidateRecord(result: LoadResult): ValidateRecord {
  if (result.kind === 'unreadable') {
    return {
      file: result.file,
      valid: false,
      form: null,
      version: null,
      issues: [
        {
          pointer: '',
          code: 'unreadable',
          severity: 'error',
          message: `cannot read ${result.file}: ${result.reason}`,
        },
      ],
    }
  }
  if (result.kind === 'rejected') {
    return {
      file: result.file,
      valid: false,
      form: result.form,
      version: result.version,
      issues: result.issues.map(plainIssue),
    }
  }
  return {
    file: result.file,
    valid: true,
    form: result.parsed.form,
    version: result.version,
    issues: result.parsed.issues.map(plainIssue),
  }
}

/** Copies only the four documented keys, whatever else an issue object carries. */
function plainIssue(issue: ReportIssue): ReportIssue {
  return {
    pointer: issue.pointer,
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
  }
}

/** One JSON line (no trailing newline). */
export function formatValidateRecord(result: LoadResult): string {
  return JSON.stringify(toValidateRecord(result))
}
