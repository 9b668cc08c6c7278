/**
 * @module `vcon config check FILE`: checks a conserver configuration without starting anything: every problem
 * at once, each with its line, key path and fix; then the chains are built as a start builds them (unknown step
 * types, bad step options).
 */
import { access } from 'node:fs/promises'
import { flag, parseCommandArgs } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'

const USAGE = 'vcon config check FILE'

const HELP = `usage: ${USAGE}

Checks a conserver configuration file (YAML or JSON) against its schema and builds its chains, without
opening a database or a port. Every problem is printed on stdout, one per line, as
  FILE:LINE: key.path: what is wrong; what to write instead
The VCONKIT_* variables are checked too, as a start would apply them, and step options that name
environment variables (secretEnv, apiKeyEnv) need them set. The JSON Schema of the file is
packages/server/config-schema.json (for editors).

Options:
  -h, --help  show this help

Exit status: 0 valid, 1 invalid (every problem listed), 2 usage error or the file cannot be read.
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('config', args, { help: { type: 'boolean', short: 'h' } })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const [action, file, ...extra] = parsed.positionals
  if (action !== 'check') {
    throw new CliError(
      action === undefined
        ? 'config needs an action: check FILE'
        : `unknown config action '${action}'; the action is check`,
      { usageOf: 'config' },
    )
  }
  if (file === undefined) throw new CliError('config check needs a FILE', { usageOf: 'config' })
  if (extra.length > 0) throw new CliError('config check takes one FILE', { usageOf: 'config' })
  try {
    await access(file)
  } catch {
    throw new CliError(`cannot read ${file}: no such file or no permission`)
  }
  // Loaded here, not at the top: the other commands should not pay for the server's database drivers.
  const { checkConfigFile, formatProblem } = await import('@vconkit/server')
  const result = await checkConfigFile(file, io.env)
  if (result.ok) {
    const chains = result.config?.chains.map((c) => c.name).join(', ') ?? ''
    io.out(`${file}: valid (chains: ${chains || 'none'})\n`)
    return EXIT_OK
  }
  for (const problem of result.problems) io.out(`${formatProblem(problem, file)}\n`)
  const n = result.problems.length
  io.out(`${file}: invalid, ${n} ${n === 1 ? 'error' : 'errors'}\n`)
  return EXIT_INVALID
}

/** `vcon config`. */
export const configCommand: Command = {
  name: 'config',
  summary: 'check a conserver configuration file (exit 1 if invalid)',
  usage: USAGE,
  help: HELP,
  run,
}
