/**
 * @module `vcon unpack`: moves inline media bodies out of a vCon into a folder served over HTTPS, leaving
 * `url` + `content_hash` in their place (notes §b.5, core draft §2.4.2), so that the vCon itself stays small.
 */
import { createLocalFolderBlobStore, serializeVcon, unpackVcon } from '@vconkit/vcon'
import { flag, integerOption, modeOf, parseCommandArgs, requiredOption } from '../args.js'
import { CliError, EXIT_OK } from '../cli-error.js'
import { formatBytes } from '../format/content-summary.js'
import { plural } from '../format/table.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'
import { reporting } from './library-error.js'
import { loadForm, reportReadWarnings } from './vcon-input.js'

const USAGE =
  'vcon unpack --dir DIR --base-url https://... [--min-bytes N] [--strict|--lenient] [-q] FILE|-'

const HELP = `usage: ${USAGE}

Moves every inline base64url body (recordings, images, other media) of a vCon into DIR and prints
the vCon on stdout with each body replaced by a url under --base-url and the content_hash
(sha512) of the stored bytes. Files in DIR are named by the hex SHA-512 of their content, so
the same bytes are stored once; they are private to you (mode 0600). Serve DIR at --base-url
over HTTPS: that is where readers, and vcon pack, fetch the content from.
Text and JSON bodies (transcripts, summaries) stay inline.
Legacy versions are upgraded to 0.4.0 first (the repairs are listed on stderr).
A signed or encrypted vCon cannot be unpacked: its content is covered by the signature.

Options:
  --dir DIR         the folder the bodies are written to (created if missing)
  --base-url URL    the https url under which DIR is served; urls are URL/<sha512 hex>
  --min-bytes N     leave bodies smaller than N bytes inline (default 1: only empty ones stay)
  --lenient         (default) read legacy versions and upgrade them
  --strict          read 0.4.0 only and enforce every MUST of the core draft
  -q, --quiet       do not list warnings and what was moved on stderr
  -h, --help        show this help

Example:
  vcon unpack --dir /srv/media --base-url https://media.example.com/v call.vcon > call-ref.vcon

Exit status:
  0  the unpacked vCon was printed
  1  the vCon is not valid, is signed or encrypted, or an inline body is not what it claims to
     be (not base64url, or it does not match its own content_hash)
  2  usage error, the input could not be read, or DIR could not be written
`

/** The base url must be https: the urls end up in the vCon, where the draft allows nothing else. */
function checkBaseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined || url.protocol !== 'https:' || url.hostname === '') {
    throw new CliError(
      `--base-url must be an https url such as https://media.example.com/v (core draft §2.4.2); got '${value}'`,
      { usageOf: 'unpack' },
    )
  }
  if (url.search !== '' || url.hash !== '') {
    throw new CliError(
      '--base-url must not have a query or fragment: file names are appended to it',
      {
        usageOf: 'unpack',
      },
    )
  }
  return value
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('unpack', args, {
    dir: { type: 'string' },
    'base-url': { type: 'string' },
    'min-bytes': { type: 'string' },
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'unpack')
  const dir = requiredOption(parsed, 'dir', 'unpack', 'DIR')
  const baseUrl = checkBaseUrl(requiredOption(parsed, 'base-url', 'unpack', 'https://...'))
  const minBytes = integerOption(parsed, 'min-bytes', 'unpack', 0)
  const quiet = flag(parsed, 'quiet')
  const loaded = await loadForm('unpack', parsed.positionals, io, {
    mode,
    forms: ['unsigned'],
    advice: {
      signed:
        'its content is covered by the signature; verify it, unpack the vCon inside, and sign the result',
      encrypted: 'decrypt and verify it, unpack the vCon inside, then sign and encrypt the result',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  reportReadWarnings(loaded, io, quiet)
  const store = createLocalFolderBlobStore({ dir, baseUrl })
  const result = await reporting({ prefix: `cannot unpack ${loaded.display}` }, () =>
    unpackVcon(loaded.parsed.vcon, {
      store,
      ...(minBytes === undefined ? {} : { minBytes }),
    }),
  )
  io.out(`${serializeVcon(result.vcon, { indent: 2 })}\n`)
  if (!quiet && result.unpacked.length > 0) {
    const total = result.unpacked.reduce((sum, u) => sum + u.bytes, 0)
    const where = result.unpacked.map((u) => u.pointer).join(', ')
    io.err(
      `vcon: moved ${plural(result.unpacked.length, 'body', 'bodies')}, ${formatBytes(total)}, to ${dir}: ${where}\n`,
    )
  }
  return EXIT_OK
}

/** `vcon unpack`. */
export const unpackCommand: Command = {
  name: 'unpack',
  summary: 'move inline media into a folder served over HTTPS, leaving url + content_hash',
  usage: USAGE,
  help: HELP,
  run,
}
