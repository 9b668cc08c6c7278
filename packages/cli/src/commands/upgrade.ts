/**
 * @module `vcon upgrade`: reads a vCon of any known version and prints its 0.4.0 form (notes §d.2), with one
 * warning per repair or guess on stderr, so that stdout can be redirected to the new file.
 */
import { serializeVcon } from '@vconkit/vcon'
import { flag, parseCommandArgs } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import { formatIssueLines } from '../format/issue-lines.js'
import { plural } from '../format/table.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'
import { loadSingle, singleInput } from './single-input.js'

const USAGE = 'vcon upgrade [--quiet] FILE|-'

const HELP = `usage: ${USAGE}

Reads a vCon written in any known version (0.0.1, 0.0.2, 0.3.0 or 0.4.0), upgrades it to 0.4.0 and
prints it on stdout as indented JSON, keys in the draft's order. Unknown fields are kept.
Each repair or guess (renamed fields, inferred encodings, times without a zone read as UTC, ...)
is listed on stderr as a warning: pointer, code, severity, message.
Signed (JWS) and encrypted (JWE) vCons are not upgraded: their content is covered by the signature.

Options:
  -q, --quiet    do not print warnings
  -h, --help     show this help

Example:
  vcon upgrade old-call.json > call.vcon

Exit status:
  0  upgraded (warnings may have been printed)
  1  the input is not a valid vCon even after upgrading (its errors go to stderr), or it is signed
     or encrypted
  2  usage error, or the input could not be read
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('upgrade', args, {
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const source = singleInput('upgrade', parsed.positionals)
  const loaded = await loadSingle(source, io, 'lenient')
  if ('exitCode' in loaded) return loaded.exitCode
  const { parsed: vcon } = loaded
  if (vcon.form !== 'unsigned') {
    const what = vcon.form === 'signed' ? 'signed (JWS)' : 'encrypted (JWE)'
    throw new CliError(
      `${loaded.display} is ${what}: its content is covered by a signature and cannot be changed; verify${vcon.form === 'encrypted' ? ' and decrypt' : ''} it and upgrade the vCon inside`,
      { exitCode: EXIT_INVALID },
    )
  }
  io.out(`${serializeVcon(vcon.vcon, { indent: 2 })}\n`)
  const warnings = vcon.issues.filter((i) => i.severity === 'warning')
  if (!flag(parsed, 'quiet') && warnings.length > 0) {
    const from = loaded.version === null ? '' : ` from ${loaded.version}`
    io.err(
      `vcon: upgraded ${loaded.display}${from} to 0.4.0, ${plural(warnings.length, 'warning')}:\n`,
    )
    io.err(`${formatIssueLines(warnings).join('\n')}\n`)
  }
  return EXIT_OK
}

/** `vcon upgrade`. */
export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: 'print a legacy vCon (0.0.1, 0.0.2, 0.3.0) upgraded to 0.4.0',
  usage: USAGE,
  help: HELP,
  run,
}
