/**
 * @module The one-input commands (upgrade, inspect): pick the FILE|- argument, load it, and turn the ways it can
 * fail into what the user sees (I/O → exit 2, not a valid vCon → issues on stderr and exit 1).
 */
import { CliError, EXIT_INVALID } from '../cli-error.js'
import { formatIssueLines, oneLine } from '../format/issue-lines.js'
import { plural } from '../format/table.js'
import type { CliIo } from '../io/cli-io.js'
import { type LoadResult, loadVcon } from '../io/load-vcon.js'
import { type InputSource, STDIN_DISPLAY } from '../io/read-input.js'

/** The input named by exactly one positional argument. */
export function singleInput(command: string, positionals: readonly string[]): InputSource {
  const [path, ...rest] = positionals
  if (path === undefined) {
    throw new CliError(`${command} needs a FILE (or - for standard input)`, { usageOf: command })
  }
  if (rest.length > 0) {
    throw new CliError(`${command} takes one FILE, got ${positionals.length}`, { usageOf: command })
  }
  return path === '-'
    ? { kind: 'stdin', display: STDIN_DISPLAY }
    : { kind: 'file', path, display: path }
}

/** A loaded vCon the command can work on. */
export type Loaded = Extract<LoadResult, { kind: 'parsed' }>

/**
 * Loads the input. An unreadable input throws a CliError (exit 2); an invalid one writes its errors to stderr
 * and yields the exit status to return instead of a vCon.
 */
export async function loadSingle(
  source: InputSource,
  io: CliIo,
  mode: 'strict' | 'lenient',
): Promise<Loaded | { exitCode: number }> {
  const result = await loadVcon(source, () => io.readStdin(), mode)
  if (result.kind === 'unreadable') {
    throw new CliError(`cannot read ${result.display}: ${result.reason}`)
  }
  if (result.kind === 'parsed') return result
  if (result.wholeFile) {
    io.err(`vcon: ${result.display}: ${oneLine(result.message)}\n`)
  } else {
    const errors = result.issues.filter((i) => i.severity === 'error')
    io.err(`vcon: ${result.display} is not a valid vCon: ${plural(errors.length, 'error')}\n`)
    io.err(`${formatIssueLines(errors).join('\n')}\n`)
  }
  return { exitCode: EXIT_INVALID }
}
