/**
 * @module The input of the commands that transform or check one vCon (pack, unpack, sign, verify, encrypt,
 * decrypt, redact): loaded as `vcon upgrade` and `vcon inspect` load it, then checked for the form the command
 * needs, with the way forward named when it is the wrong one (exit 1).
 */
import type { ParsedVcon } from '@vconkit/vcon'
import { CliError, EXIT_INVALID } from '../cli-error.js'
import { formatIssueLines } from '../format/issue-lines.js'
import { plural } from '../format/table.js'
import type { CliIo } from '../io/cli-io.js'
import { type Loaded, loadSingle, singleInput } from './single-input.js'

/** A loaded input of a given form. */
export interface LoadedForm<F extends ParsedVcon['form']> {
  readonly display: string
  /** The version the input was written in (unsigned form), else null. */
  readonly version: string | null
  readonly parsed: Extract<ParsedVcon, { form: F }>
}

/** What a command says when the input has a form it cannot work on (the reason and what to do instead). */
export type FormAdvice = Partial<Record<ParsedVcon['form'], string>>

/**
 * Loads the one FILE|- argument and requires one of `forms`. An unreadable input is a CliError (exit 2); an
 * invalid one has had its errors written and yields `{ exitCode: 1 }`; a wrong form is a CliError (exit 1)
 * carrying `advice` for that form.
 */
export async function loadForm<F extends ParsedVcon['form']>(
  command: string,
  positionals: readonly string[],
  io: CliIo,
  options: { mode: 'strict' | 'lenient'; forms: readonly F[]; advice: FormAdvice },
): Promise<LoadedForm<F> | { exitCode: number }> {
  const loaded = await loadSingle(singleInput(command, positionals), io, options.mode)
  if ('exitCode' in loaded) return loaded
  const { parsed } = loaded
  if (!(options.forms as readonly string[]).includes(parsed.form)) {
    const advice = options.advice[parsed.form] ?? `${command} cannot work on it`
    throw new CliError(`${loaded.display} is ${describeForm(parsed.form)}: ${advice}`, {
      exitCode: EXIT_INVALID,
    })
  }
  return {
    display: loaded.display,
    version: loaded.version,
    parsed: parsed as Extract<ParsedVcon, { form: F }>,
  }
}

/** `unsigned`, `signed (JWS)`, `encrypted (JWE)`: how messages name a form. */
export function describeForm(form: ParsedVcon['form']): string {
  if (form === 'signed') return 'signed (JWS)'
  if (form === 'encrypted') return 'encrypted (JWE)'
  return 'not signed'
}

/**
 * Writes the warnings found while reading an unsigned vCon (repairs made by the lenient reader among them) to
 * stderr, because the command's output holds the vCon as read, not byte for byte as given.
 */
export function reportReadWarnings(
  loaded: Pick<Loaded, 'display' | 'version'> & {
    readonly parsed: { issues: ParsedVcon['issues'] }
  },
  io: CliIo,
  quiet: boolean,
): void {
  const warnings = loaded.parsed.issues.filter((i) => i.severity === 'warning')
  if (quiet || warnings.length === 0) return
  const from =
    loaded.version === null || loaded.version === '0.4.0'
      ? ''
      : ` (upgraded from ${loaded.version} to 0.4.0)`
  io.err(`vcon: read ${loaded.display}${from} with ${plural(warnings.length, 'warning')}:\n`)
  io.err(`${formatIssueLines(warnings).join('\n')}\n`)
}
