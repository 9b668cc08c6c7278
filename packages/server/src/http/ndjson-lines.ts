/**
 * @module Splits a byte stream into NDJSON lines as it arrives, without holding more than one line: a line over
 * `maxLine` bytes is reported as too long and skipped up to its newline, and more than `maxTotal` bytes in all
 * stops the stream (413). Empty lines are skipped; line numbers count every physical line from 1.
 */
import { ServerError } from '../errors/server-error.js'
import { tooLarge } from './read-body.js'

/** One line: its 1-based number and text, or why it has none. */
export type NdjsonLine =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly error: ServerError }

const utf8 = new TextDecoder('utf-8', { fatal: true })

export async function* ndjsonLines(
  source: AsyncIterable<Buffer | string>,
  options: { readonly maxLine: number; readonly maxTotal: number },
): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = []
  let partBytes = 0
  let skipping = false
  let total = 0
  let line = 0

  const finish = (): NdjsonLine | undefined => {
    line++
    const wasSkipping = skipping
    const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, partBytes)
    parts = []
    partBytes = 0
    skipping = false
    if (wasSkipping) {
      return {
        line,
        error: new ServerError(
          'PAYLOAD_TOO_LARGE',
          `Line ${line} is longer than the limit of ${options.maxLine} bytes for one vCon (limits.max_body_bytes).`,
        ),
      }
    }
    const end =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length
    let text: string
    try {
      text = utf8.decode(bytes.subarray(0, end))
    } catch {
      return { line, error: new ServerError('BAD_REQUEST', `Line ${line} is not valid UTF-8.`) }
    }
    return text.trim() === '' ? undefined : { line, text }
  }

  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    total += buf.length
    if (total > options.maxTotal) throw tooLarge(options.maxTotal)
    let start = 0
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start)
      const end = nl === -1 ? buf.length : nl
      if (!skipping) {
        const piece = buf.subarray(start, end)
        if (partBytes + piece.length > options.maxLine) {
          skipping = true
          parts = []
          partBytes = 0
        } else if (piece.length > 0) {
          // Copied: the piece would otherwise pin the whole chunk until the line completes.
          parts.push(Buffer.from(piece))
          partBytes += piece.length
        }
      }
      if (nl === -1) break
      const item = finish()
      if (item !== undefined) yield item
      start = nl + 1
    }
  }
  if (partBytes > 0 || skipping) {
    const item = finish()
    if (item !== undefined) yield item
  }
}
