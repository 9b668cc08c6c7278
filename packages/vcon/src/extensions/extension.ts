/**
 * @module The small interface every vCon extension module implements (core draft §2.5; design §2).
 */

import type { RuleLevel } from '../validate/issue.js'
import type { IssueCode } from '../validate/issue-codes.js'

/** What an extension validator is handed: the vCon (already in the 0.4.0 shape) and a way to report. */
export interface ExtensionContext {
  /** The vCon being validated. Treat it as read-only. */
  readonly vcon: Readonly<Record<string, unknown>>
  /** Whether the extension is listed in the vCon's `extensions` or `critical`. */
  readonly declared: boolean
  /** Records a finding; `level` maps to a severity by mode (see RuleLevel). */
  report(level: RuleLevel, pointer: string, code: IssueCode, message: string): void
}

/** An extension module. Names are case sensitive (core draft §2.5). */
export interface VconExtension {
  /** The registered extension token, e.g. `lawful_basis`. */
  readonly name: string
  /** Other tokens seen for the same extension (e.g. `wtf` for `wtf_transcription`); accepted on read. */
  readonly aliases?: readonly string[]
  /** True when the extension may be honoured in `critical`; false for extensions that MUST NOT be critical. */
  readonly mayBeCritical: boolean
  /** Read-only support: recognised and validated on read, never emitted by the builder. */
  readonly readOnly?: boolean
  /** True when the vCon carries data of this extension, declared or not. */
  detect(vcon: Readonly<Record<string, unknown>>): boolean
  /** Reports every breach of the extension's rules. Must not throw and must not mutate the vCon. */
  validate(ctx: ExtensionContext): void
}
