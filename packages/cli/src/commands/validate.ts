/**
 * @module `vcon validate`: checks files, folders (recursively) and stdin, one line per file and a summary, with
 * an exit status scripts can rely on.
 */
import { flag, modeOf, parseCommandArgs } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_TROUBLE } from '../cli-error.js'
import { formatValidateRecord } from '../format/validate-json.js'
import {
  formatResultText,
  formatSummary,
  tallyResult,
  type ValidateTally,
} from '../format/validate-text.js'
import type { CliIo } from '../io/cli-io.js'
import { type LoadResult, loadVcon } from '../io/load-vcon.js'
import { createProgress } from '../io/progress.js'
import { expandInputs, VCON_FILE_SUFFIXES } from '../io/read-input.js'
import type { Command } from './command.js'

const USAGE = 'vcon validate [--strict|--lenient] [--json] [--warnings] [--quiet] PATH...'

const HELP = `usage: ${USAGE}

Checks that each PATH is a valid vCon. PATH is a file, a folder (searched recursively for
${VCON_FILE_SUFFIXES.map((s) => `*${s}`).join(', ')}; hidden folders are skipped) or - for standard input.
Gzipped input (application/vcon+gzip) is recognised by its content.
Signed (JWS) and encrypted (JWE) vCons are checked for a well-formed envelope only: the signature
is not verified and nothing is decrypted.

Options:
  --lenient      (default) read legacy versions (0.0.1, 0.0.2, 0.3.0), upgrade them to 0.4.0, and
                 report what real files commonly get wrong as warnings
  --strict       read 0.4.0 only and enforce every MUST of the core draft
  --json         print one JSON object per file, one per line (JSON Lines):
                   {"file", "valid", "form", "version", "issues": [{"pointer", "code", "severity", "message"}]}
                 form is unsigned, signed, encrypted or not-a-vcon (null if the file could not be read);
                 version is the version the file was written in (unsigned vCons), else null;
                 issues lists errors and warnings; the summary line goes to stderr
  --warnings     list warnings under each file too (errors are always listed)
  -q, --quiet    print only failures and the summary
  -h, --help     show this help

Output:
  OK   calls/a.vcon (0.0.1 → 0.4.0, 3 warnings)
  FAIL calls/b.vcon: 2 errors
    /dialog/0/parties/1  party-index-out-of-range  error  ...
  ERR  calls/c.vcon: cannot read: permission denied
  3 files: 1 valid, 1 invalid, 1 unreadable
A progress bar is drawn on stderr when stderr is a terminal and there are more than 20 files.

Exit status:
  0  every file is a valid vCon
  1  at least one file is invalid (not JSON, not a vCon, or breaks a rule) and every file was read
  2  usage error, or at least one file or folder could not be read (this wins over 1)
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('validate', args, {
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    json: { type: 'boolean' },
    warnings: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'validate')
  const paths = parsed.positionals
  if (paths.length === 0) {
    throw new CliError('validate needs at least one PATH (a file, a folder, or - for stdin)', {
      usageOf: 'validate',
    })
  }
  if (paths.filter((p) => p === '-').length > 1) {
    throw new CliError("'-' (standard input) can be given only once", { usageOf: 'validate' })
  }
  const json = flag(parsed, 'json')
  const quiet = flag(parsed, 'quiet')
  const textOptions = { warnings: flag(parsed, 'warnings') }

  const inputs = await expandInputs(paths)
  if (inputs.length === 0) {
    throw new CliError(
      `no vCon files found in ${paths.join(', ')} (a folder is searched for ${VCON_FILE_SUFFIXES.join(', ')})`,
    )
  }
  const progress = createProgress(
    { isTTY: io.stderrIsTTY, columns: io.stderrColumns, write: (text) => io.err(text) },
    inputs.length,
  )
  const tally: ValidateTally = { valid: 0, invalid: 0, unreadable: 0 }
  for (const input of inputs) {
    const result: LoadResult =
      input.kind === 'unreadable'
        ? { kind: 'unreadable', display: input.display, file: input.display, reason: input.reason }
        : await loadVcon(input, () => io.readStdin(), mode)
    tallyResult(tally, result)
    progress.tick()
    let lines: string[]
    if (json) lines = [formatValidateRecord(result)]
    else if (quiet && result.kind === 'parsed') lines = []
    else lines = formatResultText(result, textOptions)
    if (lines.length > 0) {
      // The bar shares the terminal with stdout: take it down while a result line is written.
      progress.clear()
      io.out(`${lines.join('\n')}\n`)
      progress.resume()
    }
  }
  progress.done()
  if (json) io.err(`${formatSummary(tally)}\n`)
  else io.out(`${formatSummary(tally)}\n`)
  // An unreadable input means the answer is incomplete, which matters more than a known-bad file.
  if (tally.unreadable > 0) return EXIT_TROUBLE
  return tally.invalid > 0 ? EXIT_INVALID : EXIT_OK
}

/** `vcon validate`. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check vCon files, folders or stdin (exit 1 if any is invalid)',
  usage: USAGE,
  help: HELP,
  run,
}
