/**
 * @module `vcon redact`: makes the redacted copy of a vCon (core draft §4.1.8) under a policy read from a JSON
 * file: a new uuid, a `redacted` reference to the original, and the party fields, dialogs, attachments,
 * analyses and spans of text the policy names removed.
 */
import {
  DEFAULT_UUID_DOMAIN,
  isVconError,
  parseRedactionPolicy,
  type RedactionPolicy,
  redactVcon,
  serializeVcon,
  uuid8,
} from '@vconkit/vcon'
import { flag, modeOf, parseCommandArgs, requiredOption, stringOption } from '../args.js'
import { CliError, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import { readOptionText } from '../io/read-option-file.js'
import type { Command } from './command.js'
import { reporting } from './library-error.js'
import { loadForm, reportReadWarnings } from './vcon-input.js'

const USAGE =
  'vcon redact --policy POLICY.json [--domain DOMAIN] [--force] [--report] [--strict|--lenient] [-q] FILE|-'

const HELP = `usage: ${USAGE}

Prints the redacted copy of a vCon on stdout: a new vCon with a new uuid whose "redacted"
object names the original's uuid and the kind of redaction, with what the policy removes gone.
Removed dialogs, attachments and analyses become {} so that every index stays valid. A
redaction_report analysis records how many items of each kind were removed (never the values).

POLICY.json is a JSON object; every key is optional:
  {
    "partyFields": ["tel", "mailto", "name"],     party fields removed from every party
    "dialogs": [2],                               dialogs removed (by index)
    "dropMedia": true,                            recordings lose body/url, keep content_hash
    "dropAttachments": {"purposes": ["tags"]},    or a list of indices
    "dropAnalyses": {"types": ["summary"]},       or a list of indices
    "dropDerivedAnalyses": true,                  (default) analyses of removed dialogs go too
    "text": {                                     spans of text replaced by [kind]:
      "kinds": ["phone", "email"],                  default: every kind: email, phone, card,
                                                    national_id, iban, bank_account, name
      "partyNames": true,                           the parties' names too (default)
      "targets": ["dialog", "analysis", "attachments"]
    },
    "type": "PII Redaction"                       redacted.type (the default)
  }
Unknown keys are refused, so that a misspelt key cannot leave data in place.

The new uuid is a UUIDv8 (core draft §4.1.2): current time, and the low 62 bits from the
SHA-1 of --domain. Without --domain, the original's low 62 bits are kept when its uuid is a
UUIDv8 (the same issuing domain, which is usually the redactor too); otherwise the domain
${DEFAULT_UUID_DOMAIN} is used and a note says so.
Legacy versions are upgraded to 0.4.0 first (the repairs are listed on stderr). A signed or
encrypted vCon must be verified or decrypted first.

Options:
  --policy FILE    the redaction policy (JSON, see above)
  --domain DOMAIN  the domain whose SHA-1 goes into the new uuid: yours, matching the
                   certificate you will sign the redacted vCon with
  --force          redact even though the vCon lists an extension this redactor does not
                   know (its fields may hold personal data that stays); critical ones still
                   refuse
  --report         print the report (counts and JSON pointers, no values) to stderr as JSON
  --lenient        (default) read legacy versions and upgrade them
  --strict         read 0.4.0 only and enforce every MUST of the core draft
  -q, --quiet      do not print warnings and notes
  -h, --help       show this help

Example:
  vcon redact --policy pii.json --domain example.com call.vcon > call-redacted.vcon

Exit status:
  0  the redacted vCon was printed
  1  the vCon is not valid, is signed or encrypted, or lists an extension this redactor does not
     know (without --force) or a critical one it does not support
  2  usage error, or the input or policy could not be read, or the policy is not valid
`

/** A UUIDv8 as core draft §4.1.2 lays it out: version nibble 8, variant bits 10. */
const UUID8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** How the new uuid is made, and a note when the fallback domain had to be used. */
function uuidSource(
  original: string,
  domain: string | undefined,
): { make: () => string; note?: string } {
  if (domain !== undefined) return { make: () => uuid8({ domain }) }
  if (UUID8.test(original)) {
    // The low 62 bits are SHA-1(domain) of whoever made the original; the domain itself cannot be recovered
    // from them, so they are carried over as they are: a fresh uuid8 gives the time, version and counter
    // fields (the first 19 characters), the original the variant and domain bits (the rest).
    const tail = original.slice(19).toLowerCase()
    return { make: () => `${uuid8({ domain: DEFAULT_UUID_DOMAIN }).slice(0, 19)}${tail}` }
  }
  return {
    make: () => uuid8({ domain: DEFAULT_UUID_DOMAIN }),
    note: `the original's uuid is not a UUIDv8, so the new uuid uses the domain ${DEFAULT_UUID_DOMAIN}; give --domain with your own`,
  }
}

/** Reads and checks the policy file: not JSON, or not a policy, is a usage problem (exit 2). */
async function readPolicy(path: string): Promise<RedactionPolicy> {
  const text = await readOptionText('--policy', path)
  let value: unknown
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new CliError(`--policy ${path} is not JSON: ${why}`)
  }
  try {
    return parseRedactionPolicy(value)
  } catch (error) {
    if (!isVconError(error)) throw error
    throw new CliError(`--policy ${path}: ${error.message}`)
  }
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('redact', args, {
    policy: { type: 'string' },
    domain: { type: 'string' },
    force: { type: 'boolean' },
    report: { type: 'boolean' },
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'redact')
  const policyPath = requiredOption(parsed, 'policy', 'redact', 'POLICY.json')
  const domain = stringOption(parsed, 'domain')
  if (domain !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(domain)) {
    throw new CliError(`--domain must be a domain name such as example.com; got '${domain}'`, {
      usageOf: 'redact',
    })
  }
  const quiet = flag(parsed, 'quiet')
  const policy = await readPolicy(policyPath)
  const loaded = await loadForm('redact', parsed.positionals, io, {
    mode,
    forms: ['unsigned'],
    advice: {
      signed:
        'verify it first and redact the vCon inside (vcon verify --trust ANCHORS.pem --payload prints it)',
      encrypted: 'decrypt and verify it first (vcon decrypt --key KEY.pem --trust ANCHORS.pem)',
    },
  })
  if ('exitCode' in loaded) return loaded.exitCode
  reportReadWarnings(loaded, io, quiet)
  const { vcon } = loaded.parsed
  const source = uuidSource(vcon.uuid, domain)
  const result = await reporting({ prefix: `cannot redact ${loaded.display}` }, () =>
    redactVcon(vcon, policy, { newUuid: source.make, force: flag(parsed, 'force') }),
  )
  io.out(`${serializeVcon(result.vcon, { indent: 2 })}\n`)
  if (source.note !== undefined && !quiet) io.err(`vcon: note: ${source.note}\n`)
  if (flag(parsed, 'report')) io.err(`${JSON.stringify(result.report, null, 2)}\n`)
  return EXIT_OK
}

/** `vcon redact`. */
export const redactCommand: Command = {
  name: 'redact',
  summary: 'make the redacted copy of a vCon under a JSON policy (new uuid, redacted reference)',
  usage: USAGE,
  help: HELP,
  run,
}
