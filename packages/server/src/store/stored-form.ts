/**
 * @module What can be read of a stored vCon without keys: an unsigned vCon is itself; a signed one (JWS, core
 * draft §5.2) carries the vCon as its payload, readable without verifying; an encrypted one (JWE, §5.3) can
 * only be read with the recipient's key, which the server does not hold. Used where stored vCons are read
 * back (index backfill, subject access): the signature is not checked here, the bytes are only read.
 */
import { gunzipSync } from 'node:zlib'
import { detectForm } from '@vconkit/vcon'

export type StoredForm = 'unsigned' | 'signed' | 'encrypted' | 'unreadable'

export interface ReadableVcon {
  readonly form: StoredForm
  /** The vCon object (for a JWS, its payload); absent when encrypted, or a JWS whose payload is no vCon. */
  readonly vcon?: Readonly<Record<string, unknown>>
}

/** Largest JWS payload inflated from gzip: the same order as the largest accepted body. */
const MAX_INFLATED = 64 * 1024 * 1024

function payloadOf(payload: unknown): Record<string, unknown> | undefined {
  if (typeof payload !== 'string') return undefined
  try {
    let bytes: Buffer = Buffer.from(payload, 'base64url')
    if (bytes[0] === 0x1f && bytes[1] === 0x8b)
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED })
    const value: unknown = JSON.parse(bytes.toString('utf8'))
    return detectForm(value) === 'unsigned' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Reads the stored JSON text of a vCon in whichever form it was stored. */
export function readStoredVcon(json: string): ReadableVcon {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return { form: 'unreadable' }
  }
  const form = detectForm(value)
  if (form === 'unsigned') return { form, vcon: value as Record<string, unknown> }
  if (form === 'encrypted') return { form }
  if (form === 'signed') {
    const vcon = payloadOf((value as Record<string, unknown>).payload)
    return vcon === undefined ? { form } : { form, vcon }
  }
  return { form: 'unreadable' }
}
