/**
 * @module The JWS payload of a signed vCon (core draft §5.2): base64url of the vCon JSON, or of its gzip
 * (`application/vcon+gzip`, detected by the magic bytes 1f 8b), or, for an archive layer, of an earlier JWS.
 */
import { gunzipSync } from 'node:zlib'
import { VconError } from '../errors/vcon-error.js'
import type { SignedVcon } from '../model/vcon.js'
import { decodeBase64url } from './base64url.js'

/** The Flattened JWS JSON Serialization (RFC 7515 §7.2.2), accepted on input and normalised to General. */
export interface FlattenedSignedVcon {
  readonly payload: string
  readonly protected?: string
  readonly header?: { readonly [key: string]: unknown }
  readonly signature: string
}

/** A payload after base64url, gunzip and JSON parsing. */
export interface DecodedPayload {
  readonly value: Readonly<Record<string, unknown>>
  /** The payload was gzipped. */
  readonly gzip: boolean
}

/** Size limit for a gunzipped payload, against decompression bombs. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** True for the General or Flattened JWS JSON shape (a payload string and signature(s)). */
export function isSignedForm(value: unknown): value is SignedVcon | FlattenedSignedVcon {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.payload === 'string' &&
    (Array.isArray(v.signatures) || typeof v.signature === 'string')
  )
}

/** Normalises Flattened to General JWS JSON (RFC 7515 §7.2.2); General is returned as is. */
export function toGeneralJws(value: SignedVcon | FlattenedSignedVcon): SignedVcon {
  if (Array.isArray((value as SignedVcon).signatures)) return value as SignedVcon
  const flat = value as FlattenedSignedVcon
  const signature: Record<string, unknown> = { signature: flat.signature }
  if (flat.protected !== undefined) signature.protected = flat.protected
  if (flat.header !== undefined) signature.header = flat.header
  return { payload: flat.payload, signatures: [signature as SignedVcon['signatures'][number]] }
}

/** Gunzips when the bytes start with the gzip magic number, within `maxBytes`. */
export function maybeGunzip(bytes: Buffer, maxBytes: number, what: string): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes })
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new VconError(
        'VCON_TOO_LARGE',
        `The gzipped ${what} expands beyond ${maxBytes} bytes; raise maxBytes if this is expected.`,
        { cause },
      )
    }
    throw new VconError(
      'VCON_BAD_ENCODING',
      `The ${what} starts like gzip but is not valid gzip.`,
      {
        cause,
      },
    )
  }
}

/** Parses UTF-8 JSON bytes that must hold an object. */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch (cause) {
    throw new VconError('VCON_BAD_ENCODING', `The ${what} is not valid UTF-8.`, { cause })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new VconError('VCON_NOT_JSON', `The ${what} is not JSON.`, { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new VconError('VCON_NOT_JSON', `The ${what} is JSON but not an object.`)
  }
  return value as Record<string, unknown>
}

/** Decodes a JWS payload member: strict base64url, optional gzip, UTF-8 JSON object. */
export function decodePayload(payload: unknown, maxBytes: number): DecodedPayload {
  return payloadFromBytes(decodeBase64url(payload, 'payload', 'VCON_SIGNATURE_INVALID'), maxBytes)
}

/** The payload from its base64url-decoded bytes: optional gzip, UTF-8 JSON object. */
export function payloadFromBytes(raw: Buffer, maxBytes: number): DecodedPayload {
  const bytes = maybeGunzip(raw, maxBytes, 'JWS payload')
  return { value: parseJsonObject(bytes, 'JWS payload'), gzip: bytes !== raw }
}

/**
 * Follows archive layers (core draft §5.2: a JWS whose payload is an earlier JWS) down to the unsigned vCon,
 * WITHOUT verifying anything. Used to fill and check `uuid` headers, never to trust content.
 */
export function innermostPayload(
  signed: SignedVcon | FlattenedSignedVcon,
  maxLayers: number,
  maxBytes: number,
): Readonly<Record<string, unknown>> {
  let current: unknown = signed
  for (let layer = 0; layer < maxLayers; layer++) {
    if (!isSignedForm(current)) return current as Readonly<Record<string, unknown>>
    current = decodePayload(current.payload, maxBytes).value
  }
  if (isSignedForm(current)) {
    throw new VconError(
      'VCON_TOO_DEEP',
      `The signed vCon nests more than ${maxLayers} JWS layers; raise maxLayers if this is expected.`,
    )
  }
  return current as Readonly<Record<string, unknown>>
}
