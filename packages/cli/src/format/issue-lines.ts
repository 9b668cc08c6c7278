/**
 * @module Issue lines as people read them: `  /dialog/0/url  url-not-https  error  message`, columns aligned
 * within one block.
 */
import type { ReportIssue } from '../io/load-vcon.js'
import { alignColumns } from './table.js'

/** How the root pointer ('') is shown, since RFC 6901's '' is invisible and '/' means the key "". */
export const ROOT_POINTER_LABEL = '(root)'

/** One aligned line per issue, each starting with `indent`. */
export function formatIssueLines(issues: readonly ReportIssue[], indent = '  '): string[] {
  const rows = issues.map((issue) => [
    issue.pointer === '' ? ROOT_POINTER_LABEL : issue.pointer,
    issue.code,
    issue.severity,
    oneLine(issue.message),
  ])
  return alignColumns(rows).map((line) => indent + line)
}

/** Messages go on one line so that each issue stays one line in logs and greps. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ')
}
