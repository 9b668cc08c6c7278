/**
 * @module `vcon privacy …`: the data-subject rights and consent controls of a running conserver, one
 * subcommand per API call (GDPR Art. 7(3), 15-18, 20, 22). The server does the work; this command sends the
 * request and prints the JSON answer (or writes the export archive).
 */
import { writeFile } from 'node:fs/promises'
import { flag, type ParsedArgs, parseCommandArgs, stringOption, stringOptions } from '../args.js'
import { CliError, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { type ServerClient, serverClient } from '../io/server-client.js'
import type { Command } from './command.js'

const USAGE = 'vcon privacy ACTION [ARGS] --server URL [--token T]'

const HELP = `usage: ${USAGE}

Exercises data-subject rights and consent controls on a running conserver. IDENT is a party identifier:
tel:+15550100, mailto:a@example.com, sip:alice@example.com, did:example:123 or name:Alice Smith.

Actions:
  access IDENT [--content]          every vCon naming IDENT (as a party or in text), and where it matched
  export IDENT --out FILE           the portability archive (tar.gz: vCons, manifest, ledger receipts)
  decisions IDENT                   every analysis (vendor, product, schema, time) of IDENT's vCons
  erase UUID | IDENT [--redact]     erase a vCon, or every vCon of IDENT (--redact: redact IDENT out instead)
  rectify UUID --set PTR=JSON ... [--reason TEXT]
                                    an amended version with the corrections (JSON pointer = JSON value)
  withdraw IDENT --purpose P ... [--reason TEXT]
                                    IDENT withdraws consent for the purposes
  restrict UUID | IDENT [--reason TEXT]
                                    stop all processing of a vCon or of IDENT's vCons
  restrictions                      list the restrictions
  lift ID                           lift restriction ID
  skips UUID                        the steps not run on a vCon, and why

Options:
  --server URL   the conserver's base URL (or $VCONKIT_SERVER)
  --token T      an admin token (or $VCONKIT_TOKEN)
  -h, --help     show this help

Exit status: 0 done, 2 usage error or the server refused (its message is printed).
`

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function one(rest: readonly string[], action: string, what: string): string {
  const [value, extra] = rest
  if (value === undefined || extra !== undefined) {
    throw new CliError(`privacy ${action} takes one ${what}`, { usageOf: 'privacy' })
  }
  return value
}

const q = (identifier: string) => `identifier=${encodeURIComponent(identifier)}`

/** `--set /parties/1/name="Bob"` → {pointer, value}: the value is JSON, or a plain string when it is not JSON. */
function correction(text: string): { pointer: string; value: unknown } {
  const at = text.indexOf('=')
  if (at <= 0 || !text.startsWith('/')) {
    throw new CliError(
      `--set ${JSON.stringify(text)}: write POINTER=VALUE, e.g. --set '/parties/1/name="Bob Smith"'`,
    )
  }
  const raw = text.slice(at + 1)
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    value = raw
  }
  return { pointer: text.slice(0, at), value }
}

async function printJson(io: CliIo, response: Response): Promise<void> {
  io.out(`${JSON.stringify(await response.json(), null, 2)}\n`)
}

async function act(
  action: string | undefined,
  rest: readonly string[],
  parsed: ParsedArgs,
  client: () => ServerClient,
  io: CliIo,
): Promise<void> {
  const reason = stringOption(parsed, 'reason')
  const withReason = reason === undefined ? {} : { reason }
  switch (action) {
    case 'access': {
      const ident = one(rest, action, 'IDENT')
      const content = flag(parsed, 'content') ? '&include=content' : ''
      return printJson(
        io,
        await client().request('GET', `/v1/privacy/subjects/vcons?${q(ident)}${content}`),
      )
    }
    case 'export': {
      const ident = one(rest, action, 'IDENT')
      const out = stringOption(parsed, 'out')
      if (out === undefined)
        throw new CliError('privacy export needs --out FILE', { usageOf: 'privacy' })
      const response = await client().request('GET', `/v1/privacy/subjects/export?${q(ident)}`)
      const bytes = new Uint8Array(await response.arrayBuffer())
      await writeFile(out, bytes).catch((error: Error) => {
        throw new CliError(`--out: cannot write ${out} (${error.message})`)
      })
      io.err(`wrote ${out} (${bytes.length} bytes)\n`)
      return
    }
    case 'decisions': {
      const ident = one(rest, action, 'IDENT')
      return printJson(
        io,
        await client().request('GET', `/v1/privacy/subjects/decisions?${q(ident)}`),
      )
    }
    case 'erase': {
      const target = one(rest, action, 'UUID or IDENT')
      const body = UUID.test(target)
        ? { uuid: target }
        : { identifier: target, mode: flag(parsed, 'redact') ? 'redact' : 'delete' }
      return printJson(io, await client().request('POST', '/v1/privacy/erasures', body))
    }
    case 'rectify': {
      const uuid = one(rest, action, 'UUID')
      const corrections = stringOptions(parsed, 'set').map(correction)
      if (corrections.length === 0)
        throw new CliError('privacy rectify needs at least one --set POINTER=VALUE')
      return printJson(
        io,
        await client().request('POST', '/v1/privacy/rectifications', {
          uuid,
          corrections,
          ...withReason,
        }),
      )
    }
    case 'withdraw': {
      const identifier = one(rest, action, 'IDENT')
      const purposes = stringOptions(parsed, 'purpose')
      if (purposes.length === 0)
        throw new CliError('privacy withdraw needs at least one --purpose P')
      return printJson(
        io,
        await client().request('POST', '/v1/privacy/withdrawals', {
          identifier,
          purposes,
          ...withReason,
        }),
      )
    }
    case 'restrict': {
      const target = one(rest, action, 'UUID or IDENT')
      const body = UUID.test(target) ? { uuid: target } : { identifier: target }
      return printJson(
        io,
        await client().request('POST', '/v1/privacy/restrictions', { ...body, ...withReason }),
      )
    }
    case 'restrictions':
      if (rest.length > 0)
        throw new CliError('privacy restrictions takes no arguments', { usageOf: 'privacy' })
      return printJson(io, await client().request('GET', '/v1/privacy/restrictions'))
    case 'lift': {
      const id = one(rest, action, 'restriction ID')
      await client().request('DELETE', `/v1/privacy/restrictions/${encodeURIComponent(id)}`)
      io.err(`lifted restriction ${id}\n`)
      return
    }
    case 'skips': {
      const uuid = one(rest, action, 'UUID')
      return printJson(
        io,
        await client().request('GET', `/v1/vcons/${encodeURIComponent(uuid)}/skips`),
      )
    }
    default:
      throw new CliError(
        action === undefined
          ? 'privacy needs an action: access, export, decisions, erase, rectify, withdraw, restrict, restrictions, lift or skips'
          : `privacy: unknown action ${JSON.stringify(action)}; see vcon help privacy`,
        { usageOf: 'privacy' },
      )
  }
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('privacy', args, {
    server: { type: 'string' },
    token: { type: 'string' },
    content: { type: 'boolean' },
    out: { type: 'string' },
    redact: { type: 'boolean' },
    set: { type: 'string', multiple: true },
    purpose: { type: 'string', multiple: true },
    reason: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const [action, ...rest] = parsed.positionals
  const client = (): ServerClient => {
    const server = stringOption(parsed, 'server') ?? io.env.VCONKIT_SERVER
    if (server === undefined) {
      throw new CliError(`privacy ${action} needs --server URL (or $VCONKIT_SERVER)`, {
        usageOf: 'privacy',
      })
    }
    return serverClient(server, stringOption(parsed, 'token') ?? io.env.VCONKIT_TOKEN)
  }
  await act(action, rest, parsed, client, io)
  return EXIT_OK
}

export const privacyCommand: Command = {
  name: 'privacy',
  summary: 'data-subject rights on a conserver: access, export, erase, rectify, withdraw, restrict',
  usage: USAGE,
  help: HELP,
  run,
}
