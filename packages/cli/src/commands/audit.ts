/**
 * @module `vcon audit verify|history|replay`: the auditor of the vCon lifecycle ledger (scitt.md §4.1). verify
 * works offline on a file against pinned keys; history and replay read a conserver's ledger endpoints.
 */
import { flag, parseCommandArgs, stringOption } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { auditHistory } from './audit-history.js'
import { type LedgerReader, ledgerReader, loadKeys, logKeysFor } from './audit-keys.js'
import { auditReplay } from './audit-replay.js'
import { readAuditFile, verifyItem } from './audit-verify.js'
import type { Command } from './command.js'

const USAGE = `vcon audit verify FILE --log-key KEYS --issuer-key KEYS
       vcon audit history UUID --ledger URL [--token T] [--log-key KEYS] [--issuer-key KEYS]
       vcon audit replay --ledger URL [--token T] [--log-key KEYS] [--state FILE]`

const HELP = `usage: ${USAGE}

Checks the transparency ledger of vCon lifecycle events without trusting its operator.

  verify FILE   FILE is a transparent statement (COSE), the JSON of GET /v1/vcons/{uuid}/receipts, a vCon
                with a scitt_receipt analysis entry, or a JSON array of base64url transparent statements.
                Checks strict decoding, the issuer signature, the event document binding (when present),
                the leaf, each inclusion proof and receipt signature: one verdict per receipt.
  history UUID  Fetches the vCon's ledger entries (sub urn:uuid:UUID), verifies each with its event
                document, checks the prev chain for gaps and that every receipt's root is consistent
                with the current signed checkpoint.
  replay        Downloads the whole log, recomputes the root and compares it with the signed checkpoint;
                with --state FILE, proves the log only grew since the checkpoint saved there, then saves.

Options:
  --log-key FILE     log keys (COSE_KeySet from /.well-known/scitt-keys, COSE_Key or PEM); repeatable.
                     history and replay fetch them from the ledger when absent (with a warning).
  --issuer-key FILE  issuer keys (PEM or COSE); repeatable. history falls back to the conserver's report.
  --ledger URL       the conserver (or ledger) base URL
  --token T          a read token (or $VCONKIT_TOKEN)
  --state FILE       replay: where the last checkpoint seen is kept
  --json             print {ok, lines} as JSON
  -h, --help         show this help

Exit status: 0 everything verified, 1 something did not verify, 2 usage or I/O error.
`

function many(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('audit', args, {
    'log-key': { type: 'string', multiple: true },
    'issuer-key': { type: 'string', multiple: true },
    ledger: { type: 'string' },
    token: { type: 'string' },
    state: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const [action, ...rest] = parsed.positionals
  const logKeyFiles = many(parsed.values['log-key'])
  const issuerKeyFiles = many(parsed.values['issuer-key'])
  const ledger = stringOption(parsed, 'ledger')
  const token = stringOption(parsed, 'token') ?? io.env.VCONKIT_TOKEN
  const reader = (): LedgerReader => {
    if (ledger === undefined)
      throw new CliError(`audit ${action} needs --ledger URL`, { usageOf: 'audit' })
    return ledgerReader(ledger, token)
  }
  const warn = (text: string) => io.err(text)
  let ok: boolean
  let lines: string[]
  if (action === 'verify') {
    const [file, extra] = rest
    if (file === undefined || extra !== undefined) {
      throw new CliError('audit verify takes one FILE', { usageOf: 'audit' })
    }
    if (logKeyFiles.length === 0 || issuerKeyFiles.length === 0) {
      throw new CliError('audit verify works offline: pin --log-key and --issuer-key', {
        usageOf: 'audit',
      })
    }
    const keys = {
      logKeys: await loadKeys('--log-key', logKeyFiles),
      issuerKeys: await loadKeys('--issuer-key', issuerKeyFiles),
    }
    const verdicts = (await readAuditFile(file)).map((item) => verifyItem(item, keys))
    ok = verdicts.every((v) => v.ok)
    lines = verdicts.flatMap((v) => [`${v.ok ? 'ok  ' : 'FAIL'} ${v.label}`, ...v.lines])
  } else if (action === 'history') {
    const [uuid, extra] = rest
    if (uuid === undefined || extra !== undefined) {
      throw new CliError('audit history takes one vCon UUID', { usageOf: 'audit' })
    }
    const r = reader()
    const result = await auditHistory(
      uuid,
      r,
      {
        logKeys: await logKeysFor(logKeyFiles, r, warn),
        issuerKeys: await loadKeys('--issuer-key', issuerKeyFiles),
      },
      warn,
    )
    ok = result.ok
    lines = [...result.lines]
  } else if (action === 'replay') {
    if (rest.length > 0) throw new CliError('audit replay takes no arguments', { usageOf: 'audit' })
    const r = reader()
    const result = await auditReplay(
      r,
      await logKeysFor(logKeyFiles, r, warn),
      stringOption(parsed, 'state'),
    )
    ok = result.ok
    lines = result.lines
  } else {
    throw new CliError(
      action === undefined
        ? 'audit needs an action: verify, history or replay'
        : `unknown audit action '${action}'`,
      { usageOf: 'audit' },
    )
  }
  if (flag(parsed, 'json')) io.out(`${JSON.stringify({ ok, lines }, null, 2)}\n`)
  else io.out(`${lines.join('\n')}\n${ok ? 'verified' : 'NOT verified'}\n`)
  return ok ? EXIT_OK : EXIT_INVALID
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify lifecycle ledger receipts, a vCon history, or the whole log',
  usage: USAGE,
  help: HELP,
  run,
}
