/**
 * @module `vcon sign`: signs a vCon to the General JWS JSON Serialization (core draft §5.2), or re-signs a signed
 * vCon for archiving (a JWS whose payload is the earlier JWS), with a key and certificate chain from PEM files.
 */
import { type SignedVcon, type SigningAlgorithm, signVcon, verifySignedVcon } from '@vconkit/vcon'
import { choiceOption, flag, modeOf, parseCommandArgs, requiredOption } from '../args.js'
import { EXIT_OK, EXIT_TROUBLE } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { loadCertificates, loadPrivateKey } from '../io/key-material.js'
import type { Command } from './command.js'
import { reporting } from './library-error.js'
import {
  hasTrustOptions,
  readTrustOptions,
  TRUST_OPTION_HELP,
  TRUST_OPTION_SPEC,
} from './trust-options.js'
import { loadForm, reportReadWarnings } from './vcon-input.js'

/** What signVcon emits (RS256 is the draft's default for RSA keys, core draft §5.2). */
const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
]

const USAGE =
  'vcon sign --key KEY.pem --chain CHAIN.pem [--alg ALG] [--gzip] [--trust ANCHORS.pem...] FILE|-'

const HELP = `usage: ${USAGE}

Signs a vCon and prints the signed vCon (JWS JSON, core draft §5.2) on stdout. The protected
header carries alg, iat (now) and the leaf certificate's x5t#S256; the unprotected header the
certificate chain (x5c) and the vCon's uuid.
A signed input is signed again (an archive layer: the new payload is the signed vCon itself,
so the earlier signatures stay checkable). Give --trust to verify it before re-signing.
An unsigned input is read as vcon inspect reads it: legacy versions are upgraded to 0.4.0 and
the 0.4.0 form is signed (the repairs are listed on stderr; use --strict to sign only what is
already valid 0.4.0, or vcon upgrade to review the changes first).
An encrypted vCon cannot be signed: decrypt it first (the draft signs, then encrypts).

Options:
  --key KEY.pem        the signer's private key (unencrypted PEM: PKCS#8, PKCS#1 or SEC1)
  --chain CHAIN.pem    the signer's certificate chain, leaf (the key's certificate) first,
                       then the intermediates; the root may be left out
  --alg ALG            ${SIGNING_ALGORITHMS.join(', ')}; default RS256 for an RSA key, ES256 or
                       ES384 for a P-256 or P-384 key, EdDSA for an Ed25519 key
  --gzip               gzip the payload (cty application/vcon+gzip)
  --lenient            (default) read legacy versions and upgrade them
  --strict             read 0.4.0 only and enforce every MUST of the core draft
  -q, --quiet          do not print warnings and notes
  -h, --help           show this help

Verifying a signed input before re-signing it (optional):
${TRUST_OPTION_HELP}

Example:
  vcon sign --key signer.key --chain signer-chain.pem call.vcon > call-signed.vcon

Exit status:
  0  the signed vCon was printed
  1  the input is not a valid vCon, is encrypted, or (with --trust) its signatures do not verify
  2  usage error; the input, key or chain could not be read; the key does not belong to the
     leaf certificate, does not fit --alg, or the leaf certificate is not valid now
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('sign', args, {
    key: { type: 'string' },
    chain: { type: 'string' },
    alg: { type: 'string' },
    gzip: { type: 'boolean' },
    ...TRUST_OPTION_SPEC,
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'sign')
  const keyPath = requiredOption(parsed, 'key', 'sign', 'KEY.pem')
  const chainPath = requiredOption(parsed, 'chain', 'sign', 'CHAIN.pem')
  const alg = choiceOption(parsed, 'alg', SIGNING_ALGORITHMS, 'sign')
  const quiet = flag(parsed, 'quiet')
  const key = await loadPrivateKey('--key', keyPath)
  const chain = await loadCertificates('--chain', chainPath)
  const trust = hasTrustOptions(parsed)
    ? await readTrustOptions(parsed, 'sign', { optional: true })
    : undefined
  const loaded = await loadForm('sign', parsed.positionals, io, {
    mode,
    forms: ['unsigned', 'signed'],
    advice: {
      encrypted:
        'decrypt it first (vcon decrypt --key KEY.pem); the core draft signs, then encrypts (§5.3)',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  let input: Parameters<typeof signVcon>[0]
  if (loaded.parsed.form === 'unsigned') {
    reportReadWarnings(loaded, io, quiet)
    input = loaded.parsed.vcon
  } else {
    const jws: SignedVcon = loaded.parsed.jws
    if (trust === undefined) {
      if (!quiet) {
        io.err(
          `vcon: note: the signatures of ${loaded.display} were not verified before re-signing; give --trust to check them\n`,
        )
      }
    } else {
      const context = { prefix: `${loaded.display}: not re-signed, its signature does not verify` }
      await reporting(context, () => verifySignedVcon(jws, trust))
    }
    input = jws
  }
  // Errors from here on are about the key, chain or algorithm the user gave (exit 2), not the vCon: an
  // expired leaf is VCON_CHAIN_INVALID, which elsewhere is a verdict on a vCon.
  const context = { prefix: 'cannot sign', badArgumentIsUsage: true, exitCode: EXIT_TROUBLE }
  const signed = await reporting(context, () =>
    signVcon(input, {
      key,
      chain,
      ...(alg === undefined ? {} : { alg }),
      gzip: flag(parsed, 'gzip'),
    }),
  )
  io.out(`${JSON.stringify(signed, null, 2)}\n`)
  return EXIT_OK
}

/** `vcon sign`. */
export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a vCon (JWS) with a key and certificate chain; re-sign a signed one',
  usage: USAGE,
  help: HELP,
  run,
}
