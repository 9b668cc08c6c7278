/**
 * @module Validation and upgrade findings: one per problem, each with a JSON pointer (RFC 6901), a stable code
 * and a severity, collected in full rather than stopping at the first.
 */
import type { IssueCode } from './issue-codes.js'

/** `error` makes a vCon invalid; `warning` is reported and the vCon is still accepted. */
export type Severity = 'error' | 'warning'

/** Strict follows the draft's MUSTs; lenient accepts what real files need and repairs legacy shapes. */
export type ValidationMode = 'strict' | 'lenient'

/** One finding about one place in a vCon. */
export interface Issue {
  /** RFC 6901 pointer into the vCon as given (or as upgraded, for post-upgrade findings); '' is the root. */
  readonly pointer: string
  readonly code: IssueCode
  readonly severity: Severity
  /** What is wrong, and what to do about it. */
  readonly message: string
}

/**
 * How serious a rule is, independent of mode:
 * - `must`: an error in both modes (the draft's MUST that real files also respect);
 * - `strict`: an error in strict mode, a warning in lenient mode (a MUST that real files break);
 * - `should`: a warning in both modes (the draft's SHOULD).
 */
export type RuleLevel = 'must' | 'strict' | 'should'

/** Escapes one path segment for a JSON pointer (RFC 6901 §3). */
export function pointerSegment(key: string | number): string {
  if (typeof key === 'number') return `${key}`
  if (!NEEDS_ESCAPE.test(key)) return key
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

const NEEDS_ESCAPE = /[~/]/

/** Appends path segments to a pointer. */
export function pointerJoin(base: string, ...keys: (string | number)[]): string {
  let out = base
  for (const key of keys) out += `/${pointerSegment(key)}`
  return out
}

/** Collects issues for one run, mapping rule levels to severities by mode. */
export class IssueCollector {
  readonly mode: ValidationMode
  readonly issues: Issue[] = []
  private errorCount = 0

  constructor(mode: ValidationMode) {
    this.mode = mode
  }

  /** Records a finding at `level`; see `RuleLevel` for how the mode maps it to a severity. */
  report(level: RuleLevel, pointer: string, code: IssueCode, message: string): void {
    const severity: Severity =
      level === 'must' || (level === 'strict' && this.mode === 'strict') ? 'error' : 'warning'
    if (severity === 'error') this.errorCount++
    this.issues.push({ pointer, code, severity, message })
  }

  /** Records a finding with an explicit severity (used for upgrade repairs, always warnings). */
  add(issue: Issue): void {
    if (issue.severity === 'error') this.errorCount++
    this.issues.push(issue)
  }

  get hasErrors(): boolean {
    return this.errorCount > 0
  }
}
