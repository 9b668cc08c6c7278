/**
 * @module Reads a request body with a hard size limit: refused early from Content-Length, and again while
 * streaming (a client may lie or send chunked), then gunzipped with the same bound on the inflated size so a
 * gzip bomb costs at most the limit.
 */
import type { IncomingMessage } from 'node:http'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { ServerError } from '../errors/server-error.js'

const gunzipAsync = promisify(gunzip)

export function tooLarge(limit: number, inflated = false): ServerError {
  const what = inflated ? 'The gzipped body inflates to more than' : 'The request body is over'
  return new ServerError(
    'PAYLOAD_TOO_LARGE',
    `${what} the limit of ${limit} bytes (limits.maxBodyBytes, or limits.maxBulkBytes for bulk); move media out of the vCon (url + content_hash) or raise the limit.`,
  )
}

/** Throws 413 when the declared Content-Length is already over `limit`. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = req.headers['content-length']
  if (declared === undefined) return
  const length = Number(declared)
  if (Number.isFinite(length) && length > limit) throw tooLarge(limit)
}

/** Reads the whole body (at most `limit` bytes on the wire and after gunzip). */
export async function readBody(
  req: IncomingMessage,
  options: { readonly limit: number; readonly gzip: boolean },
): Promise<Buffer> {
  const { limit } = options
  checkDeclaredLength(req, limit)
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        // Stop reading: the answer is 413 and the connection is closed after it (respond.ts).
        req.pause()
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    }
    const onError = (cause: unknown): void => {
      cleanup()
      reject(new ServerError('BAD_REQUEST', 'The request body could not be read.', { cause }))
    }
    const onAborted = (): void => onError(new Error('aborted'))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
  const gzipped = options.gzip || (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b)
  return gzipped ? inflate(raw, limit) : raw
}

/** Gunzips with a bound on the output (zlib stops at maxOutputLength instead of inflating a bomb in full). */
export async function inflate(raw: Buffer, limit: number): Promise<Buffer> {
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit })
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(limit, true)
    }
    throw new ServerError(
      'BAD_REQUEST',
      'The body is declared gzipped (application/vcon+gzip or Content-Encoding: gzip) but does not inflate; send a complete gzip stream.',
      { cause },
    )
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes UTF-8 strictly (a vCon is UTF-8 JSON, RFC 8259 §8.1) and drops a leading byte order mark. */
export function decodeUtf8(bytes: Uint8Array): string {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch (cause) {
    throw new ServerError('BAD_REQUEST', 'The body is not valid UTF-8; send UTF-8 JSON.', { cause })
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
