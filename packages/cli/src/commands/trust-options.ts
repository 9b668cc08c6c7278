/**
 * @module The options shared by the commands that verify signatures (verify, decrypt, sign of a signed vCon):
 * --trust (repeatable PEM bundles of roots), --legacy-v1-ca and --at.
 */
import type { X509Certificate } from 'node:crypto'
import { flag, type OptionSpec, type ParsedArgs, stringOption, stringOptions } from '../args.js'
import { CliError } from '../cli-error.js'
import { loadAnchors } from '../io/key-material.js'

/** The parseArgs entries of the trust options. */
export const TRUST_OPTION_SPEC: OptionSpec = {
  trust: { type: 'string', multiple: true },
  'legacy-v1-ca': { type: 'boolean' },
  at: { type: 'string' },
}

/** Help text lines for the trust options (aligned with the other option lines). */
export const TRUST_OPTION_HELP = `  --trust ANCHORS.pem  the root certificate(s) you trust (PEM, one or more per file); repeat
                       for several files. The signer's chain must end at one of them.
  --legacy-v1-ca       accept X.509 v1 CA certificates in the chain (they cannot say that
                       they are CAs; the core draft's own signed example needs this)
  --at ISO-DATE        check the certificates' validity at this time instead of now, e.g.
                       2025-01-01 or 2025-01-01T12:00:00Z (UTC unless a zone is given)`

/** Verification options as the library takes them. */
export interface TrustOptions {
  readonly anchors: readonly X509Certificate[]
  readonly allowLegacyV1Ca: boolean
  readonly at?: Date
}

/** An RFC 3339 date or date-time (a zone is optional; a bare date is midnight UTC). */
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$/

/** Parses --at; anything but an ISO date is a usage error (Date.parse accepts far too much). */
export function parseAt(value: string, command: string): Date {
  // Without a zone, Date.parse would use the local one: a verdict must not depend on the machine's zone.
  let zoned = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value
  if (!/(?:[Zz]|[+-]\d{2}:\d{2})$/.test(zoned)) zoned += 'Z'
  const ms = ISO_DATE.test(value) ? Date.parse(zoned) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new CliError(`--at must be an ISO date such as 2025-01-01T00:00:00Z; got '${value}'`, {
      usageOf: command,
    })
  }
  return new Date(ms)
}

/** True when any trust option was given. */
export function hasTrustOptions(parsed: ParsedArgs): boolean {
  return (
    stringOptions(parsed, 'trust').length > 0 ||
    flag(parsed, 'legacy-v1-ca') ||
    stringOption(parsed, 'at') !== undefined
  )
}

/**
 * Reads the trust options; --trust must be given (trust is never implicit). Commands for which verifying is
 * `optional` call this only when `hasTrustOptions` says one of them was given, so --at alone is refused too.
 */
export async function readTrustOptions(
  parsed: ParsedArgs,
  command: string,
  options: { optional?: boolean } = {},
): Promise<TrustOptions> {
  const paths = stringOptions(parsed, 'trust')
  if (paths.length === 0) {
    const message =
      options.optional === true
        ? '--legacy-v1-ca and --at apply to the verification that --trust asks for; give --trust ANCHORS.pem'
        : `${command} needs --trust ANCHORS.pem: the root certificate(s) you trust`
    throw new CliError(message, { usageOf: command })
  }
  const atText = stringOption(parsed, 'at')
  const at = atText === undefined ? undefined : parseAt(atText, command)
  const anchors = await loadAnchors(paths)
  return {
    anchors,
    allowLegacyV1Ca: flag(parsed, 'legacy-v1-ca'),
    ...(at === undefined ? {} : { at }),
  }
}
