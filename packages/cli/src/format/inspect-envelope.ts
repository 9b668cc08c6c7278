/**
 * @module What `vcon inspect` can say about a signed (JWS, core draft §5.2) or encrypted (JWE, §5.3) vCon
 * without verifying or decrypting it: the uuid header, algorithms and certificates named in the headers, sizes.
 */
import type { ParsedVcon } from '@vconkit/vcon'
import { formatBytes } from './content-summary.js'
import type { InspectOptions } from './inspect-vcon.js'
import { warningsSection } from './inspect-vcon.js'
import { alignColumns } from './table.js'

type Loose = Readonly<Record<string, unknown>>

/** The JSON object in a base64url protected header (RFC 7515 §7.2.1), or {} when it does not decode. */
export function decodeProtected(value: unknown): Loose {
  if (typeof value !== 'string') return {}
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Loose)
      : {}
  } catch {
    return {}
  }
}

function asObject(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Loose)
    : {}
}

/** Where the key material comes from: an x5c chain (by length) or an x5u URL. */
function keySource(headers: Loose): string {
  if (Array.isArray(headers.x5c)) {
    return `x5c chain of ${headers.x5c.length} certificate${headers.x5c.length === 1 ? '' : 's'}`
  }
  if (typeof headers.x5u === 'string') return `x5u ${headers.x5u}`
  if (typeof headers.kid === 'string') return `kid ${headers.kid}`
  return '-'
}

function encodedSize(value: unknown): string {
  // base64url carries 3 bytes per 4 characters.
  return typeof value === 'string' ? formatBytes(Math.floor((value.length * 3) / 4)) : '-'
}

/** The lines of the summary for an envelope. */
export function formatInspectEnvelope(
  display: string,
  parsed: Exclude<ParsedVcon, { form: 'unsigned' }>,
  options: InspectOptions,
): string[] {
  const lines: string[] = [`${'File'.padEnd(12)}${display}`]
  if (parsed.form === 'signed') {
    const { jws } = parsed
    lines.push(
      `${'Form'.padEnd(12)}signed (JWS), signature not checked`,
      `${'UUID'.padEnd(12)}${parsed.uuid ?? '- (no uuid header)'}`,
      `${'Payload'.padEnd(12)}${encodedSize(jws.payload)}`,
      '',
      `Signatures (${jws.signatures.length})`,
    )
    const rows = [['#', 'alg', 'key']]
    jws.signatures.forEach((signature, i) => {
      const headers = { ...asObject(signature.header), ...decodeProtected(signature.protected) }
      rows.push([String(i), String(headers.alg ?? '-'), keySource(headers)])
    })
    lines.push(...alignColumns(rows).map((l) => `  ${l}`))
  } else {
    const { jwe } = parsed
    const shared = { ...asObject(jwe.unprotected), ...decodeProtected(jwe.protected) }
    lines.push(
      `${'Form'.padEnd(12)}encrypted (JWE), not decrypted`,
      `${'UUID'.padEnd(12)}${parsed.uuid ?? '- (no uuid header)'}`,
      `${'Content'.padEnd(12)}enc ${String(shared.enc ?? '-')}, cty ${String(shared.cty ?? '-')}`,
      `${'Ciphertext'.padEnd(12)}${encodedSize(jwe.ciphertext)}`,
      '',
      `Recipients (${jwe.recipients.length})`,
    )
    const rows = [['#', 'alg', 'key']]
    jwe.recipients.forEach((recipient, i) => {
      // alg may sit in the shared protected header instead of the recipient's (notes §b.2).
      const headers = { ...shared, ...asObject(recipient.header) }
      rows.push([String(i), String(headers.alg ?? '-'), keySource(headers)])
    })
    lines.push(...alignColumns(rows).map((l) => `  ${l}`))
  }
  const warnings = parsed.issues.filter((i) => i.severity === 'warning')
  return [...lines, '', ...warningsSection(warnings, options)]
}
