/**
 * @module `vcon verify`: checks a signed vCon (core draft §5.2, notes §b.1): every signature with its leaf key,
 * the certificate chain up to a trust anchor the user names, the uuid header, archive layers down to the
 * unsigned vCon, and that vCon's validity; prints who signed it, as text or JSON.
 */
import {
  isVconError,
  type ParsedUnsigned,
  parseVcon,
  type VerifiedVcon,
  verifySignedVcon,
} from '@vconkit/vcon'
import { flag, modeOf, parseCommandArgs } from '../args.js'
import { CliError, EXIT_INVALID, EXIT_OK } from '../cli-error.js'
import { formatIssueLines, oneLine } from '../format/issue-lines.js'
import {
  formatSignerLines,
  type LayerRecord,
  type SignerRecord,
  toLayerRecords,
  toSignerRecord,
  vconSigner,
} from '../format/signer-report.js'
import type { CliIo } from '../io/cli-io.js'
import { issueCodeOf, loadVcon, type ReportIssue } from '../io/load-vcon.js'
import type { Command } from './command.js'
import { cliWording } from './library-error.js'
import { singleInput } from './single-input.js'
import { readTrustOptions, TRUST_OPTION_HELP, TRUST_OPTION_SPEC } from './trust-options.js'

const USAGE =
  'vcon verify --trust ANCHORS.pem... [--legacy-v1-ca] [--at ISO-DATE] [--json|--payload] [--strict|--lenient] FILE|-'

const HELP = `usage: ${USAGE}

Verifies a signed vCon (JWS): every signature against its leaf certificate's key, the
certificate chain (x5c) up to one of the trust anchors you give, the certificates' validity
dates, and the uuid header against the vCon inside. A vCon signed again for archiving is
unwrapped layer by layer; the inner layers are checked at the time the outer layer says they
were signed. The unsigned vCon inside must then be valid (lenient mode by default).
An encrypted vCon must be decrypted first: vcon decrypt --key KEY.pem --trust ANCHORS.pem.

Prints who signed: for each signature its subject, algorithm, signing time (iat), validity and
chain, and the uuid of the vCon inside.

Options:
${TRUST_OPTION_HELP}
  --json               print one JSON object on stdout instead:
                         {"file", "verified": true, "uuid", "version", "signer",
                          "layers": [{"gzip", "wrapsSignedVcon", "signers": [...]}]}
                       where signer (the one who signed the vCon itself: the first signer of
                       the innermost layer) and each of signers is
                         {"index", "subject", "chain", "alg", "signingTime",
                          "signingTimeSource", "notBefore", "notAfter", "checkedAt"}
                       or, when refused: {"file", "verified": false, "code", "reason", "issues"}
                       (code: untrusted, chain-invalid, signature-invalid, alg-refused,
                       uuid-mismatch, not-signed, encrypted, invalid, not-json, ...)
  --payload            print the unsigned vCon inside, exactly as signed, on stdout once it
                       is verified, and the signer on stderr:
                         vcon verify --trust roots.pem --payload signed.vcon > call.vcon
  --lenient            (default) the vCon inside may be a legacy version
  --strict             the vCon inside must be 0.4.0 and meet every MUST of the core draft
  -h, --help           show this help

Exit status:
  0  verified, and the vCon inside is valid
  1  refused: a signature or chain does not verify, the chain does not end at a trust anchor,
     a certificate is not valid at that time, the input is not a signed vCon, or the vCon
     inside is not valid; the reason goes to stderr (or into the JSON object)
  2  usage error, or the input or a --trust file could not be read
`

/** A verdict against the input, with a kebab-case code as in `vcon validate --json`. */
interface Refusal {
  readonly code: string
  readonly reason: string
  readonly issues: readonly ReportIssue[]
}

/** The outcome of a verification that got as far as a verdict. */
type Outcome =
  | { readonly verified: VerifiedVcon; readonly inner: ParsedUnsigned }
  | { readonly refusal: Refusal }

function refusalOf(error: unknown, prefix: string): Refusal {
  // VCON_BAD_ARGUMENT would be this CLI's bug (the key material was checked before): let main report it.
  if (!isVconError(error) || error.code === 'VCON_BAD_ARGUMENT') throw error
  return {
    code: issueCodeOf(error.code),
    reason: `${prefix}${cliWording(error.message)}`,
    issues: error.issues,
  }
}

async function verifyInput(
  args: { mode: 'strict' | 'lenient'; jws: Parameters<typeof verifySignedVcon>[0] },
  trust: Parameters<typeof verifySignedVcon>[1],
): Promise<Outcome> {
  let verified: VerifiedVcon
  try {
    verified = await verifySignedVcon(args.jws, trust)
  } catch (error) {
    return { refusal: refusalOf(error, '') }
  }
  // Parsed only now: nothing in the payload is looked at before its signature checks out (notes §b.1).
  try {
    const inner = parseVcon(verified.vcon, { mode: args.mode })
    if (inner.form !== 'unsigned') {
      return {
        refusal: {
          code: 'not-a-vcon',
          reason: `the signature verified, but the payload is ${inner.form === 'encrypted' ? 'an encrypted' : 'a signed'} vCon, not an unsigned one`,
          issues: [],
        },
      }
    }
    return { verified, inner }
  } catch (error) {
    return {
      refusal: refusalOf(error, 'the signature verified, but the signed vCon is not valid: '),
    }
  }
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('verify', args, {
    ...TRUST_OPTION_SPEC,
    json: { type: 'boolean' },
    payload: { type: 'boolean' },
    strict: { type: 'boolean' },
    lenient: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (flag(parsed, 'help')) {
    io.out(HELP)
    return EXIT_OK
  }
  const mode = modeOf(parsed, 'verify')
  const json = flag(parsed, 'json')
  const payload = flag(parsed, 'payload')
  if (json && payload) {
    throw new CliError('--json and --payload exclude each other: both print on stdout', {
      usageOf: 'verify',
    })
  }
  const source = singleInput('verify', parsed.positionals)
  const trust = await readTrustOptions(parsed, 'verify')
  const file = source.kind === 'stdin' ? '-' : source.path

  const refuse = (refusal: Refusal): number => {
    if (json) {
      const record = { file, verified: false, ...refusal, issues: refusal.issues.map(plainIssue) }
      io.out(`${JSON.stringify(record)}\n`)
    } else {
      io.err(`vcon: ${source.display}: not verified: ${oneLine(refusal.reason)}\n`)
      const errors = refusal.issues.filter((i) => i.severity === 'error')
      if (errors.length > 0) io.err(`${formatIssueLines(errors).join('\n')}\n`)
    }
    return EXIT_INVALID
  }

  // The envelope is only checked for shape here; signatures are checked below.
  const loaded = await loadVcon(source, () => io.readStdin(), mode)
  if (loaded.kind === 'unreadable')
    throw new CliError(`cannot read ${loaded.display}: ${loaded.reason}`)
  if (loaded.kind === 'rejected') {
    return refuse({
      code: issueCodeOf(loaded.errorCode),
      reason: loaded.message,
      issues: loaded.issues,
    })
  }
  const form = loaded.parsed
  if (form.form === 'unsigned') {
    return refuse({ code: 'not-signed', reason: 'it is not signed (no JWS)', issues: [] })
  }
  if (form.form === 'encrypted') {
    return refuse({
      code: 'encrypted',
      reason:
        'it is encrypted (JWE): decrypt and verify it with vcon decrypt --key KEY.pem --trust ANCHORS.pem',
      issues: [],
    })
  }
  const outcome = await verifyInput({ mode, jws: form.jws }, trust)
  if ('refusal' in outcome) return refuse(outcome.refusal)
  const { verified, inner } = outcome
  if (payload) {
    io.out(`${JSON.stringify(verified.vcon, null, 2)}\n`)
    const signer = vconSigner(verified)
    if (signer !== undefined)
      io.err(`vcon: verified: signed by ${signer.subject} (${signer.alg})\n`)
    return EXIT_OK
  }
  if (json) {
    const signer = vconSigner(verified)
    const record: {
      file: string
      verified: true
      uuid: string | null
      version: string
      signer: SignerRecord | null
      layers: LayerRecord[]
    } = {
      file,
      verified: true,
      uuid: verified.uuid ?? null,
      version: inner.sourceVersion,
      signer: signer === undefined ? null : toSignerRecord(signer),
      layers: toLayerRecords(verified),
    }
    io.out(`${JSON.stringify(record)}\n`)
    return EXIT_OK
  }
  const lines = [
    `Verified    ${loaded.display}`,
    `UUID        ${verified.uuid ?? '- (the vCon has no uuid)'}`,
    `Version     ${inner.sourceVersion === '0.4.0' ? '0.4.0' : `${inner.sourceVersion} (read in lenient mode)`}`,
    '',
    ...formatSignerLines(verified),
  ]
  io.out(`${lines.join('\n')}\n`)
  return EXIT_OK
}

/** Copies only the four documented keys of an issue. */
function plainIssue(issue: ReportIssue): ReportIssue {
  return {
    pointer: issue.pointer,
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
  }
}

/** `vcon verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify the signatures and certificate chain of a signed vCon; print the signer',
  usage: USAGE,
  help: HELP,
  run,
}
