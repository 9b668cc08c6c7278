/**
 * @module What `vcon verify` (and `vcon decrypt --trust`) say about a verified signed vCon: per JWS layer, each
 * signer's subject, algorithm, signing time, validity and certificate chain, as text lines or as JSON.
 */
import type { SignerReport, VerifiedVcon } from '@vconkit/vcon'

/** One signer in `vcon verify --json`. */
export interface SignerRecord {
  readonly index: number
  readonly subject: string
  /** Subjects from the leaf to the trust anchor. */
  readonly chain: readonly string[]
  readonly alg: string
  /** ISO time, or null when neither an iat header nor the vCon's updated_at gives one. */
  readonly signingTime: string | null
  readonly signingTimeSource: 'iat' | 'updated_at' | null
  readonly notBefore: string
  readonly notAfter: string
  /** The time at which the chain was checked. */
  readonly checkedAt: string
}

/** One JWS layer in `vcon verify --json`, outermost first. */
export interface LayerRecord {
  readonly gzip: boolean
  /** The payload of this layer is itself a signed vCon (an archive re-signing). */
  readonly wrapsSignedVcon: boolean
  readonly signers: readonly SignerRecord[]
}

/** The JSON form of one signer. */
export function toSignerRecord(signer: SignerReport): SignerRecord {
  return {
    index: signer.index,
    subject: signer.subject,
    chain: [...signer.chain],
    alg: signer.alg,
    signingTime: signer.signingTime?.toISOString() ?? null,
    signingTimeSource: signer.signingTimeSource ?? null,
    notBefore: signer.validity.notBefore.toISOString(),
    notAfter: signer.validity.notAfter.toISOString(),
    checkedAt: signer.checkedAt.toISOString(),
  }
}

/** The JSON form of every layer. */
export function toLayerRecords(verified: VerifiedVcon): LayerRecord[] {
  return verified.layers.map((layer) => ({
    gzip: layer.gzip,
    wrapsSignedVcon: layer.wrapsSignedVcon,
    signers: layer.signers.map(toSignerRecord),
  }))
}

/**
 * The signer of the vCon itself: the first signer of the innermost layer (outer layers are archive
 * re-signings of the signed vCon, core draft §5.2).
 */
export function vconSigner(verified: VerifiedVcon): SignerReport | undefined {
  return verified.layers[verified.layers.length - 1]?.signers[0]
}

function label(text: string): string {
  return `  ${text.padEnd(12)}`
}

function signingTime(signer: SignerReport): string {
  if (signer.signingTime === undefined) return 'unknown (no iat header, no updated_at)'
  const from = signer.signingTimeSource === 'iat' ? 'iat header' : "the vCon's updated_at"
  return `${signer.signingTime.toISOString()} (${from})`
}

/** The lines for one signer, under a heading. */
function signerLines(heading: string, signer: SignerReport): string[] {
  const [leaf, ...rest] = signer.chain
  const lines = [
    heading,
    `${label('Subject')}${signer.subject}`,
    `${label('Algorithm')}${signer.alg}`,
    `${label('Signed at')}${signingTime(signer)}`,
    `${label('Valid')}${signer.validity.notBefore.toISOString()} to ${signer.validity.notAfter.toISOString()}`,
    `${label('Checked at')}${signer.checkedAt.toISOString()}`,
  ]
  if (leaf !== undefined) {
    lines.push(`${label('Chain')}${leaf}`)
    rest.forEach((subject, i) => {
      const anchor = i === rest.length - 1 ? ' (trust anchor)' : ''
      lines.push(`${' '.repeat(14)}${subject}${anchor}`)
    })
  }
  return lines
}

/** Every signer of every layer, as text; layers are numbered only when there are several. */
export function formatSignerLines(verified: VerifiedVcon): string[] {
  const lines: string[] = []
  const total = verified.layers.length
  verified.layers.forEach((layer, l) => {
    const notes: string[] = []
    // Layer 1 is the outermost: with several, every layer but the last re-signs the signed vCon inside it.
    if (total > 1)
      notes.push(`layer ${l + 1} of ${total}${layer.wrapsSignedVcon ? ', archive' : ''}`)
    if (layer.gzip) notes.push('gzipped payload')
    const suffix = notes.length === 0 ? '' : ` (${notes.join(', ')})`
    for (const signer of layer.signers) {
      if (lines.length > 0) lines.push('')
      const count =
        layer.signers.length > 1 ? ` ${signer.index + 1} of ${layer.signers.length}` : ''
      lines.push(...signerLines(`Signature${count}${suffix}`, signer))
    }
  })
  return lines
}
