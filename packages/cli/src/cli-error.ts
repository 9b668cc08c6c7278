/**
 * @module The CLI's exit statuses and its one error class for user errors (bad arguments, unreadable input):
 * these are printed as `vcon: <message>` without a stack trace.
 */

/** Every input checked out (or the command did what was asked). */
export const EXIT_OK = 0
/** At least one input is not a valid vCon. */
export const EXIT_INVALID = 1
/** Usage error, I/O error, or an internal error: the command could not do its job. */
export const EXIT_TROUBLE = 2

/** A mistake the user can fix: printed as one line, never with a stack trace. */
export class CliError extends Error {
  readonly exitCode: number
  /** When set, the usage line of this command is printed after the message. */
  readonly usageOf: string | undefined

  constructor(message: string, options: { exitCode?: number; usageOf?: string } = {}) {
    super(message)
    this.name = 'CliError'
    this.exitCode = options.exitCode ?? EXIT_TROUBLE
    this.usageOf = options.usageOf
  }
}

/** Narrows an unknown thrown value to a `CliError`. */
export function isCliError(value: unknown): value is CliError {
  return value instanceof CliError
}
