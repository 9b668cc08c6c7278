/**
 * @module `vcon inspect`: a summary of one vCon for people (form, version, parties, dialogs with types and
 * durations, analyses, attachments, extensions, warnings). Legacy files are upgraded first.
 */
import { plainTranscript } from '@vconkit/vcon'
import { flag, modeOf, parseCommandArgs } from '../args.js'
import { EXIT_OK } from '../cli-error.js'
import { formatInspectEnvelope } from '../format/inspect-envelope.js'
import { formatInspectVcon } from '../format/inspect-vcon.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'
import { loadSingle, singleInput } from './single-input.js'

const USAGE = 'vcon inspect [--strict|--lenient] [--all] [--transcript] FILE|-'

/** Rows per table unless --all: enough for a call, short enough for a meeting with thousands of items. */
const DEFAULT_MAX_ROWS = 25

const HELP = `usage: ${USAGE}

Prints a summary of one vCon: its form, version, uuid and dates, extensions and critical
extensions, then tables of parties (name, tel, mailto), dialogs (type, start, duration as m:ss,
parties, content), analyses (type, vendor, product), attachments (purpose, party, dialog,
content; tags are listed) and the warnings found while reading it.
Legacy versions are upgraded to 0.4.0 first (the summary says from which version).
Signed (JWS) and encrypted (JWE) vCons are summarised from their headers: the signature is
not verified and nothing is decrypted.

Options:
  --lenient      (default) read legacy versions and upgrade them
  --strict       read 0.4.0 only and enforce every MUST of the core draft
  --all          list every row (tables stop after ${DEFAULT_MAX_ROWS} rows otherwise)
  --transcript   add who said what, in time order, from text dialogs and transcript analyses
  -h, --help     show this help

Exit status:
  0  the summary was printed
  1  the input is not a valid vCon (its errors go to stderr)
  2  usage error, or the input could not be read
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('inspect', args, {
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    all: { type: 'boolean' },
    transcript: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'inspect')
  const source = singleInput('inspect', parsed.positionals)
  const loaded = await loadSingle(source, io, mode)
  if ('exitCode' in loaded) return loaded.exitCode
  const options = { maxRows: flag(parsed, 'all') ? Number.POSITIVE_INFINITY : DEFAULT_MAX_ROWS }
  const result = loaded.parsed
  const lines =
    result.form === 'unsigned'
      ? formatInspectVcon(
          {
            display: loaded.display,
            version: loaded.version,
            vcon: result.vcon,
            issues: result.issues,
          },
          options,
        )
      : formatInspectEnvelope(loaded.display, result, options)
  if (flag(parsed, 'transcript')) {
    lines.push('', ...transcriptSection(result.form === 'unsigned' ? result.vcon : undefined))
  }
  io.out(`${lines.join('\n')}\n`)
  return EXIT_OK
}

/** The plain transcript, indented; an envelope has none until it is verified or decrypted. */
function transcriptSection(vcon: Parameters<typeof plainTranscript>[0] | undefined): string[] {
  if (vcon === undefined) return ['Transcript: not available (verify or decrypt the vCon first)']
  const { text } = plainTranscript(vcon)
  if (text === '') return ['Transcript: none (no text dialogs or transcript analyses)']
  return ['Transcript', ...text.split('\n').map((line) => `  ${line}`)]
}

/** `vcon inspect`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarise a vCon: parties, dialogs, analyses, attachments, warnings',
  usage: USAGE,
  help: HELP,
  run,
}
