/**
 * @module Library errors raised by the security and media commands, turned into CLI errors with the exit status
 * the README promises: 1 when the vCon (its signature, chain, hash or a url it points to) failed the check, 2
 * when the command could not do its job (network, disk, key material).
 */
import { isVconError, type VconErrorCode } from '@vconkit/vcon'
import { CliError, EXIT_INVALID, EXIT_TROUBLE } from '../cli-error.js'
import { formatIssueLines } from '../format/issue-lines.js'

/** Codes that are a verdict on the input: the vCon failed the check (exit 1). */
const VERDICT_CODES: ReadonlySet<VconErrorCode> = new Set<VconErrorCode>([
  'VCON_NOT_JSON',
  'VCON_NOT_A_VCON',
  'VCON_INVALID',
  'VCON_CRITICAL_UNSUPPORTED',
  'VCON_TOO_LARGE',
  'VCON_TOO_DEEP',
  'VCON_BAD_ENCODING',
  'VCON_SIGNATURE_INVALID',
  'VCON_CHAIN_INVALID',
  'VCON_UNTRUSTED',
  'VCON_ALG_REFUSED',
  'VCON_UUID_MISMATCH',
  'VCON_DECRYPT_FAILED',
  'VCON_HASH_MISMATCH',
  'VCON_FETCH_REFUSED',
  'VCON_FETCH_TOO_LARGE',
  'VCON_REDACTION_REFUSED',
])

/**
 * Library messages name the library's options; a CLI user needs the flag that sets them. Applied in order,
 * longest phrases first.
 */
const WORDING: readonly (readonly [string, string])[] = [
  ['`allowLegacyV1Ca: true`', '--legacy-v1-ca'],
  ['allowLegacyV1Ca', '--legacy-v1-ca'],
  ['to `anchors`', 'with --trust'],
  ['as `anchors`', 'with --trust'],
  ['unless allowPrivateAddresses or allowHosts says otherwise', 'unless --allow-private is given'],
  ['allowPrivateAddresses', '--allow-private'],
  ['(timeoutMs)', '(--timeout)'],
  ['; add one, or pass allowUnhashed: true', '; add one'],
  ['Register the extension, or pass force: true to redact anyway', 'Pass --force to redact anyway'],
  ['options.key', '--key'],
  ['options.chain', '--chain'],
  ['options: ', ''],
]

/** A library message in the CLI's terms (flags instead of option names). */
export function cliWording(message: string): string {
  let out = message.replace(
    /options\.recipients\[(\d+)\]/g,
    (_, i: string) => `--to #${Number(i) + 1}`,
  )
  for (const [from, to] of WORDING) out = out.split(from).join(to)
  return out
}

/** How one command wants library errors reported. */
export interface ErrorContext {
  /** Put before the library's message, e.g. `calls/a.vcon: not verified`. */
  readonly prefix: string
  /**
   * True when the command passed user-supplied material (keys, certificates, options) to the library, so that
   * VCON_BAD_ARGUMENT means a wrong file or option (exit 2), not a bug in this CLI.
   */
  readonly badArgumentIsUsage?: boolean
  /** The exit status for every library error, when the command knows better than the code (sign: exit 2). */
  readonly exitCode?: number
}

/**
 * The CliError for a library error, or the error itself when it is not one the user can act on (a bug, which
 * main reports as an internal error).
 */
export function toCliError(error: unknown, context: ErrorContext): unknown {
  if (!isVconError(error)) return error
  if (error.code === 'VCON_BAD_ARGUMENT' && context.badArgumentIsUsage !== true) return error
  const exitCode = context.exitCode ?? (VERDICT_CODES.has(error.code) ? EXIT_INVALID : EXIT_TROUBLE)
  let message = `${context.prefix}: ${cliWording(error.message)}`
  const errors = error.issues.filter((i) => i.severity === 'error')
  // A single issue is usually the message already (pack's checks); several are listed one per line.
  const [first] = errors
  if (errors.length > 1 || (first !== undefined && !error.message.includes(first.message))) {
    message += `\n${formatIssueLines(errors).join('\n')}`
  }
  return new CliError(message, { exitCode })
}

/** Runs `action`, reporting a library error the way `context` says. */
export async function reporting<T>(
  context: ErrorContext,
  action: () => T | Promise<T>,
): Promise<T> {
  try {
    return await action()
  } catch (error) {
    throw toCliError(error, context)
  }
}
