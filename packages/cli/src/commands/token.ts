/**
 * @module `vcon token create`: makes an API token for the conserver in the database the configuration names
 * (the server's own). The secret is printed once on stdout and never stored; only its SHA-256 hash is.
 */
import type { CreatedToken, ServerConfig } from '@vconkit/server'
import { choiceOption, flag, parseCommandArgs, stringOption } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_TROUBLE } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'

const USAGE =
  'vcon token create --scope admin|ingest|read [--lists A,B] [--label TEXT] [--config FILE] [--data DIR]'

const HELP = `usage: ${USAGE}

Creates an API token for the conserver and prints its secret once, alone on stdout (so that
TOKEN=$(vcon token create --scope read) works); a note goes to stderr. Only the SHA-256 hash of the
secret is stored, in the same database the server uses (found as vcon serve finds it: --config,
$VCONKIT_CONFIG, VCONKIT_DATABASE_URL, --data). Send the secret as "Authorization: Bearer <token>" or
"x-conserver-api-token: <token>".

Options:
  --scope SCOPE  admin: everything; ingest: create vCons; read: GET routes only
  --lists A,B    ingest tokens only: the ingress lists the token may post to (default: any)
  --label TEXT   a note for people (who holds the token)
  --config FILE  the server's configuration file
  --data DIR     the data folder of the embedded database (default ./data)
  -h, --help     show this help

Exit status: 0 created, 1 invalid configuration, 2 usage error or the database could not be reached.
`

const SCOPES = ['admin', 'ingest', 'read'] as const

function parseLists(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const lists = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (lists.length === 0) {
    throw new CliError('--lists needs at least one list name (A,B)', { usageOf: 'token' })
  }
  for (const list of lists) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(list)) {
      throw new CliError(
        `--lists: '${list}' is not a list name (letters, digits, '.', '_' or '-')`,
        { usageOf: 'token' },
      )
    }
  }
  return lists
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('token', args, {
    scope: { type: 'string' },
    lists: { type: 'string' },
    label: { type: 'string' },
    config: { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const [action, ...extra] = parsed.positionals
  if (action !== 'create') {
    throw new CliError(
      action === undefined
        ? 'token needs an action: create'
        : `unknown token action '${action}'; the action is create`,
      { usageOf: 'token' },
    )
  }
  if (extra.length > 0)
    throw new CliError(`token create takes no arguments (got '${extra[0]}')`, { usageOf: 'token' })
  const scope = choiceOption(parsed, 'scope', SCOPES, 'token')
  if (scope === undefined)
    throw new CliError('token create needs --scope admin|ingest|read', { usageOf: 'token' })
  const lists = parseLists(stringOption(parsed, 'lists'))
  if (lists !== undefined && scope !== 'ingest') {
    throw new CliError(`--lists binds ingest tokens only; this one is ${scope}`, {
      usageOf: 'token',
    })
  }
  const label = stringOption(parsed, 'label')
  const file = stringOption(parsed, 'config')
  const dataDir = stringOption(parsed, 'data')

  // Loaded here, not at the top: the other commands should not pay for the server's database drivers.
  const { createToken, loadConfig, ServerError } = await import('@vconkit/server')
  let config: ServerConfig
  let created: CreatedToken
  try {
    config = await loadConfig({
      ...(file === undefined ? {} : { file }),
      env: io.env,
      ...(dataDir === undefined ? {} : { overrides: { dataDir } }),
    })
    created = await createToken(config, {
      scope,
      ...(lists === undefined ? {} : { lists }),
      ...(label === undefined ? {} : { label }),
    })
  } catch (error) {
    // Server errors describe the configuration or the database and say what to do: one line, no stack.
    if (error instanceof ServerError) {
      throw new CliError(error.message, {
        exitCode: error.code === 'CONFIG_INVALID' ? EXIT_INVALID : EXIT_TROUBLE,
      })
    }
    throw error
  }
  io.out(`${created.secret}\n`)
  const where = config.databaseUrl === undefined ? config.dataDir : 'PostgreSQL'
  const bound = lists === undefined ? '' : ` for the lists ${lists.join(', ')}`
  io.err(
    `created ${scope} token ${created.record.id}${bound} (stored in ${where}); the secret above is shown only this once\n`,
  )
  return EXIT_OK
}

/** `vcon token`. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'create an API token for the conserver (prints the secret once)',
  usage: USAGE,
  help: HELP,
  run,
}
