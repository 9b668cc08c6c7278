/**
 * @module `vcon encrypt`: encrypts a signed vCon for one or more recipients to the General JWE JSON
 * Serialization (core draft §5.3). An unsigned vCon is refused: the draft signs first, then encrypts.
 */
import type { KeyObject, X509Certificate } from 'node:crypto'
import {
  type EmittedContentEncryption,
  type EmittedKeyManagement,
  encryptVcon,
} from '@vconkit/vcon'
import { choiceOption, flag, parseCommandArgs, stringOptions } from '../args.js'
import { CliError, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { loadRecipient } from '../io/key-material.js'
import type { Command } from './command.js'
import { reporting } from './library-error.js'
import { loadForm } from './vcon-input.js'

const KEY_MANAGEMENT: readonly EmittedKeyManagement[] = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'ECDH-ES+A256KW',
]
const CONTENT_ENCRYPTION: readonly EmittedContentEncryption[] = ['A256CBC-HS512', 'A256GCM']

const USAGE = 'vcon encrypt --to CERT.pem... [--alg ALG] [--enc ENC] FILE|-'

const HELP = `usage: ${USAGE}

Encrypts a signed vCon (JWS) for the recipients and prints the encrypted vCon (JWE JSON, core
draft §5.3) on stdout. Each recipient can decrypt it with the private key of its certificate.
The vCon must be signed first, as the draft requires (sign, then encrypt):
  vcon sign --key KEY.pem --chain CHAIN.pem call.vcon | vcon encrypt --to bob.crt - > call.jwe

Options:
  --to CERT.pem  a recipient's certificate (or PEM public key); repeat for several recipients
  --alg ALG      key management: ${KEY_MANAGEMENT.join(', ')}; default RSA-OAEP
                 for an RSA key, ECDH-ES+A256KW for an EC key
  --enc ENC      content encryption: A256CBC-HS512 (default, the draft's) or A256GCM
  -h, --help     show this help

Exit status:
  0  the encrypted vCon was printed
  1  the input is not a signed vCon (sign it first), is already encrypted, or is invalid
  2  usage error; the input or a --to file could not be read, or a key does not fit --alg
`

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('encrypt', args, {
    to: { type: 'string', multiple: true },
    alg: { type: 'string' },
    enc: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const paths = stringOptions(parsed, 'to')
  if (paths.length === 0) {
    throw new CliError('encrypt needs --to CERT.pem: the certificate of a recipient', {
      usageOf: 'encrypt',
    })
  }
  const alg = choiceOption(parsed, 'alg', KEY_MANAGEMENT, 'encrypt')
  const enc = choiceOption(parsed, 'enc', CONTENT_ENCRYPTION, 'encrypt')
  const recipients: (X509Certificate | KeyObject)[] = []
  for (const path of paths) recipients.push(await loadRecipient(path))
  // The envelope's shape is what matters here; the payload is covered by the signature.
  const loaded = await loadForm('encrypt', parsed.positionals, io, {
    mode: 'lenient',
    forms: ['signed'],
    advice: {
      unsigned:
        'the core draft (§5.3) requires signing before encrypting; sign it first: vcon sign --key KEY.pem --chain CHAIN.pem FILE | vcon encrypt --to CERT.pem -',
      encrypted: 'it is already encrypted; decrypt it first to encrypt it for other recipients',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  const context = { prefix: 'cannot encrypt', badArgumentIsUsage: true }
  const jwe = await reporting(context, () =>
    encryptVcon(loaded.parsed.jws, {
      recipients,
      ...(alg === undefined ? {} : { alg }),
      ...(enc === undefined ? {} : { enc }),
    }),
  )
  io.out(`${JSON.stringify(jwe, null, 2)}\n`)
  return EXIT_OK
}

/** `vcon encrypt`. */
export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt a signed vCon (JWE) for recipients given by certificate',
  usage: USAGE,
  help: HELP,
  run,
}
