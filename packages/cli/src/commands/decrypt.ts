/**
 * @module `vcon decrypt`: decrypts an encrypted vCon (core draft §5.3) with a recipient's private key and prints
 * the signed vCon inside; with --trust it also verifies that (§5.2) and prints the unsigned vCon.
 */
import { decryptAndVerifyVcon, decryptVcon, isVconError, parseVcon } from '@vconkit/vcon'
import { flag, modeOf, parseCommandArgs, requiredOption } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import { vconSigner } from '../format/signer-report.js'
import type { CliIo } from '../io/cli-io.js'
import { loadPrivateKey } from '../io/key-material.js'
import type { Command } from './command.js'
import { reporting, toCliError } from './library-error.js'
import {
  hasTrustOptions,
  readTrustOptions,
  TRUST_OPTION_HELP,
  TRUST_OPTION_SPEC,
} from './trust-options.js'
import { loadForm } from './vcon-input.js'

const USAGE =
  'vcon decrypt --key KEY.pem [--trust ANCHORS.pem... [--legacy-v1-ca] [--at ISO-DATE]] FILE|-'

const HELP = `usage: ${USAGE}

Decrypts an encrypted vCon (JWE) with your private key and prints the signed vCon inside (JWS
JSON) on stdout. Its signature is not checked unless you give --trust: then it is verified
(as vcon verify does) and the unsigned vCon inside is printed instead, exactly as it was
signed, with the signer on stderr.

Options:
  --key KEY.pem        the recipient's private key (unencrypted PEM: PKCS#8, PKCS#1 or SEC1)
${TRUST_OPTION_HELP}
  --lenient            (default, with --trust) the vCon inside may be a legacy version
  --strict             (with --trust) the vCon inside must be 0.4.0 and meet every MUST
  -h, --help           show this help

Example:
  vcon decrypt --key me.key --trust roots.pem call.jwe > call.vcon

Exit status:
  0  decrypted (and, with --trust, verified); the result was printed
  1  the input is not an encrypted vCon, the key opens none of its recipients, the ciphertext
     was altered, the content is not a signed vCon, or (with --trust) it does not verify
  2  usage error, or the input, key or a --trust file could not be read
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('decrypt', args, {
    key: { type: 'string' },
    ...TRUST_OPTION_SPEC,
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'decrypt')
  const keyPath = requiredOption(parsed, 'key', 'decrypt', 'KEY.pem')
  const key = await loadPrivateKey('--key', keyPath)
  const trust = hasTrustOptions(parsed)
    ? await readTrustOptions(parsed, 'decrypt', { optional: true })
    : undefined
  const loaded = await loadForm('decrypt', parsed.positionals, io, {
    mode: 'lenient',
    forms: ['encrypted'],
    advice: {
      signed:
        'there is nothing to decrypt; check its signature with vcon verify --trust ANCHORS.pem',
      unsigned: 'there is nothing to decrypt',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  const { jwe } = loaded.parsed
  if (trust === undefined) {
    const decrypted = await reporting({ prefix: `cannot decrypt ${loaded.display}` }, () =>
      decryptVcon(jwe, { key }),
    )
    io.out(`${JSON.stringify(decrypted.signed, null, 2)}\n`)
    return EXIT_OK
  }
  const verified = await reporting({ prefix: `cannot decrypt and verify ${loaded.display}` }, () =>
    decryptAndVerifyVcon(jwe, { key, ...trust }),
  )
  // The payload is parsed only after its signature checked out (notes §b.1), and must be a valid vCon.
  try {
    const inner = parseVcon(verified.vcon, { mode })
    if (inner.form !== 'unsigned') {
      throw new CliError(
        `${loaded.display}: the signature verified, but the payload is not an unsigned vCon`,
        { exitCode: EXIT_INVALID },
      )
    }
  } catch (error) {
    if (!isVconError(error)) throw error
    throw toCliError(error, {
      prefix: `${loaded.display}: the signature verified, but the signed vCon is not valid`,
    })
  }
  // Printed as signed, not as read: the output is what the signer attested to.
  io.out(`${JSON.stringify(verified.vcon, null, 2)}\n`)
  const signer = vconSigner(verified)
  if (signer !== undefined) {
    io.err(`vcon: verified: signed by ${signer.subject} (${signer.alg})\n`)
  }
  return EXIT_OK
}

/** `vcon decrypt`. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt an encrypted vCon with your key; with --trust, verify it too',
  usage: USAGE,
  help: HELP,
  run,
}
