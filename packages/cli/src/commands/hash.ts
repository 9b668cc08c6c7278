/**
 * @module `vcon hash`: the `content_hash` token of a file's raw bytes (core draft §2.4: the hash covers the bytes
 * exactly as served), or a check of those bytes against given tokens.
 */
import {
  CONTENT_HASH_ALGORITHMS,
  type ContentHashAlgorithm,
  computeContentHash,
  verifyContentHash,
} from '@vconkit/vcon'
import { choiceOption, flag, parseCommandArgs, stringOptions } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { InputReadError, readInputBytes } from '../io/read-input.js'
import type { Command } from './command.js'
import { singleInput } from './single-input.js'

const USAGE = 'vcon hash [--alg sha512|sha256|sha384] [--check TOKEN]... FILE|-'

const HELP = `usage: ${USAGE}

Prints the content_hash token of the raw bytes of FILE (a recording, an attachment, any file;
- reads standard input): the algorithm name, a dash and the unpadded base64url digest, e.g.
  sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNg...
This is the value a dialog, attachment or analysis that points at the file by url carries in
content_hash. The bytes are hashed as they are: nothing is decoded or decompressed.

Options:
  --alg ALG      sha512 (default, the algorithm every vCon reader must support), sha384 or sha256
  --check TOKEN  instead of printing the token, check the bytes against TOKEN; repeat it for a
                 content_hash array (every token with a known algorithm must match, others are
                 skipped). Prints OK or FAIL with the reason.
  -h, --help     show this help

Example:
  vcon hash call.mp3
  vcon hash --check "$(jq -r '.dialog[0].content_hash' call.vcon)" call.mp3

Exit status:
  0  the token was printed, or the bytes match
  1  the bytes do not match (--check)
  2  usage error (a --check token with no supported algorithm among them), or FILE could not be read
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('hash', args, {
    alg: { type: 'string' },
    check: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const alg = choiceOption<ContentHashAlgorithm>(parsed, 'alg', CONTENT_HASH_ALGORITHMS, 'hash')
  const tokens = stringOptions(parsed, 'check')
  if (alg !== undefined && tokens.length > 0) {
    throw new CliError('--alg and --check exclude each other: a token names its own algorithm', {
      usageOf: 'hash',
    })
  }
  const source = singleInput('hash', parsed.positionals)
  let bytes: Uint8Array
  try {
    bytes = await readInputBytes(source, () => io.readStdin())
  } catch (error) {
    if (error instanceof InputReadError) throw new CliError(error.message)
    throw error
  }
  if (tokens.length === 0) {
    io.out(`${computeContentHash(bytes, alg ?? 'sha512')}\n`)
    return EXIT_OK
  }
  const result = verifyContentHash(bytes, tokens)
  if (result.checked.length === 0) {
    // Nothing could be compared: that is a mistake in the command line, not a verdict on the file.
    throw new CliError(
      `--check: ${result.reason ?? 'no token to check'}; a token is <alg>-<base64url digest>`,
      { usageOf: 'hash' },
    )
  }
  const algorithms = [...new Set(result.checked.map((t) => t.slice(0, t.indexOf('-'))))].join(', ')
  if (result.ok) {
    io.out(`OK   ${source.display} matches (${algorithms})\n`)
    return EXIT_OK
  }
  io.out(`FAIL ${source.display}: ${result.reason ?? 'the content does not match'}\n`)
  return EXIT_INVALID
}

/** `vcon hash`. */
export const hashCommand: Command = {
  name: 'hash',
  summary: 'print or check the content_hash of a file (media or anything)',
  usage: USAGE,
  help: HELP,
  run,
}
