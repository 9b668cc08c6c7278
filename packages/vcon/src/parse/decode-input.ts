/**
 * @module Turns the bytes or text a caller hands in into a JSON value: gzip detected by its magic number
 * (`application/vcon+gzip`, core draft §5.1), UTF-8 checked, a size limit applied before any work.
 */
import { gunzipSync } from 'node:zlib'
import { VconError } from '../errors/vcon-error.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

function tooLarge(size: number, maxBytes: number): VconError {
  return new VconError(
    'VCON_TOO_LARGE',
    `The input is ${size} bytes, over the limit of ${maxBytes}; move media out of the vCon (url + content_hash) or raise maxBytes.`,
  )
}

/** Decodes bytes (plain or gzipped UTF-8 JSON) to text. */
export function decodeBytes(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes)
  let data = bytes
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // maxOutputLength bounds a gzip bomb before it is inflated in full.
      data = gunzipSync(bytes, { maxOutputLength: maxBytes })
    } catch (cause) {
      if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new VconError(
          'VCON_TOO_LARGE',
          `The gzipped input inflates past the limit of ${maxBytes} bytes; raise maxBytes if it is genuine.`,
          { cause },
        )
      }
      throw new VconError(
        'VCON_BAD_ENCODING',
        'The input starts like gzip (1f 8b) but does not inflate; send the complete application/vcon+gzip file.',
        { cause },
      )
    }
  }
  try {
    return utf8.decode(data)
  } catch (cause) {
    throw new VconError(
      'VCON_BAD_ENCODING',
      'The input is not valid UTF-8; a vCon is UTF-8 JSON (RFC 8259 §8.1).',
      { cause },
    )
  }
}

/** Parses JSON text, with the size limit and a message that says where the syntax broke. */
export function parseJsonText(text: string, maxBytes: number): unknown {
  // Checked on UTF-16 length first, which is cheap and never more than the UTF-8 byte count / 1.
  if (text.length > maxBytes) throw tooLarge(text.length, maxBytes)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    return JSON.parse(body)
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new VconError(
      'VCON_NOT_JSON',
      `The input is not JSON (${detail}); a vCon is a JSON object.`,
      { cause },
    )
  }
}
