/**
 * @module The shape every subcommand has, so that main can dispatch, list and document them from one table.
 */
import type { CliIo } from '../io/cli-io.js'

/** One `vcon` subcommand. */
export interface Command {
  readonly name: string
  /** One line for `vcon --help`. */
  readonly summary: string
  /** The usage line, printed after a usage error. */
  readonly usage: string
  /** The full text of `vcon help <name>`. */
  readonly help: string
  /** Runs the command; resolves to the exit status. User errors are thrown as CliError. */
  run(args: readonly string[], io: CliIo): Promise<number>
}
