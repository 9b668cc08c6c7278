/**
 * @module `vcon pack`: fetches every external reference (`url` + `content_hash`) of a vCon over HTTPS, checks the
 * bytes against the hash and inlines them (notes §b.5), so that the vCon travels self-contained.
 */
import { createFetcher, type FetcherOptions, packVcon, serializeVcon } from '@vconkit/vcon'
import { flag, integerOption, modeOf, parseCommandArgs, stringOption } from '../args.js'
import { EXIT_OK } from '../cli-error.js'
import { formatBytes } from '../format/content-summary.js'
import { plural } from '../format/table.js'
import type { CliIo } from '../io/cli-io.js'
import { loadCertificates } from '../io/key-material.js'
import { readOptionText } from '../io/read-option-file.js'
import type { Command } from './command.js'
import { reporting } from './library-error.js'
import { loadForm, reportReadWarnings } from './vcon-input.js'

const USAGE =
  'vcon pack [--allow-private] [--ca PEM] [--max-bytes N] [--timeout MS] [--strict|--lenient] [-q] FILE|-'

const HELP = `usage: ${USAGE}

Fetches the content of every dialog, attachment and analysis that points at it by url, checks
it against the object's content_hash before using it, and prints the vCon with that content
inline (body + encoding base64url; url dropped, content_hash and mediatype kept) on stdout.
Only https urls are fetched. Addresses that are not public (loopback, private, link-local, ...)
are refused, so that a vCon cannot make this command reach into the network it runs in.
A url without content_hash is refused: its content could not be verified.
Legacy versions are upgraded to 0.4.0 first (the repairs are listed on stderr).
A signed or encrypted vCon cannot be packed: its content is covered by the signature.

Options:
  --allow-private  also fetch from loopback, private and link-local addresses (a media server
                   on your own network, tests)
  --ca PEM         trust this CA certificate (PEM file) as well as the system's, for servers
                   with a private PKI
  --max-bytes N    refuse a payload larger than N bytes (default 100 MiB)
  --timeout MS     give up on a url after MS milliseconds (default 30000)
  --lenient        (default) read legacy versions and upgrade them
  --strict         read 0.4.0 only and enforce every MUST of the core draft
  -q, --quiet      do not list warnings and what was inlined on stderr
  -h, --help       show this help

Example:
  vcon pack call.vcon > call-packed.vcon

Exit status:
  0  every reference was inlined (or there was none)
  1  the vCon is not valid, is signed or encrypted, or a reference failed the check: its content
     does not match content_hash, it has no content_hash, its address was refused or it is too
     large; the message names the object (JSON pointer), the url (without query string) and why
  2  usage error, the input could not be read, or a fetch failed (network, TLS, HTTP status,
     timeout): trying again may help
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('pack', args, {
    'allow-private': { type: 'boolean' },
    ca: { type: 'string' },
    'max-bytes': { type: 'string' },
    timeout: { type: 'string' },
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'pack')
  const maxBytes = integerOption(parsed, 'max-bytes', 'pack', 1)
  const timeoutMs = integerOption(parsed, 'timeout', 'pack', 1)
  const caPath = stringOption(parsed, 'ca')
  let ca: string | undefined
  if (caPath !== undefined) {
    // Checked here so that a wrong file is named now, not as a TLS failure on the first fetch.
    await loadCertificates('--ca', caPath)
    ca = await readOptionText('--ca', caPath)
  }
  const quiet = flag(parsed, 'quiet')
  const loaded = await loadForm('pack', parsed.positionals, io, {
    mode,
    forms: ['unsigned'],
    advice: {
      signed:
        'its content is covered by the signature; verify it, pack the vCon inside, and sign the result',
      encrypted: 'decrypt and verify it, pack the vCon inside, then sign and encrypt the result',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  reportReadWarnings(loaded, io, quiet)
  const options: FetcherOptions = {
    allowPrivateAddresses: flag(parsed, 'allow-private'),
    ...(ca === undefined ? {} : { ca }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  }
  const result = await reporting({ prefix: `cannot pack ${loaded.display}` }, () =>
    packVcon(loaded.parsed.vcon, { fetcher: createFetcher(options) }),
  )
  io.out(`${serializeVcon(result.vcon, { indent: 2 })}\n`)
  if (!quiet && result.packed.length > 0) {
    const total = result.packed.reduce((sum, p) => sum + p.bytes, 0)
    const where = result.packed.map((p) => `${p.pointer} (${formatBytes(p.bytes)})`).join(', ')
    io.err(
      `vcon: inlined ${plural(result.packed.length, 'reference')}, ${formatBytes(total)}: ${where}\n`,
    )
  }
  return EXIT_OK
}

/** `vcon pack`. */
export const packCommand: Command = {
  name: 'pack',
  summary: 'inline the content of every url reference, checked against its content_hash',
  usage: USAGE,
  help: HELP,
  run,
}
