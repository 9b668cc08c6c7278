/**
 * @module Finds the text/plain part of a MIME multipart body (RFC 2046 §5.1), as email text dialogs carry it
 * (core draft §4.3: one SMTP message per text dialog). Deliberately small: boundaries, nested multiparts,
 * header unfolding and the quoted-printable and base64 transfer encodings, nothing more.
 */
import { decodeBase64url } from './body.js'

const MAX_NESTING = 8

interface Part {
  readonly headers: Map<string, string>
  readonly body: string
}

/** A parameter of a header value such as `multipart/mixed; boundary="x"`. */
function headerParam(value: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i')
  const m = re.exec(value)
  return m === null ? undefined : (m[1] ?? m[2])
}

function typeOf(value: string | undefined): string {
  if (value === undefined) return 'text/plain' // RFC 2045 §5.2 default
  const semicolon = value.indexOf(';')
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase()
}

function parsePart(raw: string): Part {
  const split = /\r?\n\r?\n/.exec(raw)
  const headerText = split === null ? raw : raw.slice(0, split.index)
  const body = split === null ? '' : raw.slice(split.index + split[0].length)
  const headers = new Map<string, string>()
  // RFC 5322 §2.2.3: a line starting with white space continues the previous header.
  const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' ')
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function splitParts(body: string, boundary: string): string[] {
  const lines = body.split(/\r?\n/)
  const parts: string[] = []
  let current: string[] | undefined
  for (const line of lines) {
    const trimmed = line.trimEnd()
    if (trimmed === `--${boundary}--`) {
      if (current !== undefined) parts.push(current.join('\r\n'))
      return parts
    }
    if (trimmed === `--${boundary}`) {
      if (current !== undefined) parts.push(current.join('\r\n'))
      current = []
      continue
    }
    current?.push(line)
  }
  if (current !== undefined) parts.push(current.join('\r\n'))
  return parts
}

function decodeQuotedPrintable(text: string): Uint8Array {
  const soft = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  const utf8 = new TextEncoder()
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i] as string
    const hex = soft.slice(i + 1, i + 3)
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      for (const b of utf8.encode(ch)) bytes.push(b)
    }
  }
  return Uint8Array.from(bytes)
}

function decodeText(part: Part): string {
  const transfer = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const charset = headerParam(part.headers.get('content-type') ?? '', 'charset') ?? 'utf-8'
  let bytes: Uint8Array | undefined
  if (transfer === 'base64') bytes = decodeBase64url(part.body)
  else if (transfer === 'quoted-printable') bytes = decodeQuotedPrintable(part.body)
  if (bytes === undefined) return part.body
  try {
    return new TextDecoder(charset).decode(bytes)
  } catch {
    return new TextDecoder().decode(bytes)
  }
}

function findText(body: string, boundary: string, depth: number): string | undefined {
  if (depth > MAX_NESTING) return undefined
  for (const raw of splitParts(body, boundary)) {
    const part = parsePart(raw)
    const contentType = part.headers.get('content-type')
    const type = typeOf(contentType)
    if (type === 'text/plain') {
      const disposition = (part.headers.get('content-disposition') ?? '').toLowerCase()
      if (!disposition.startsWith('attachment')) return decodeText(part)
    } else if (type.startsWith('multipart/') && contentType !== undefined) {
      const inner = headerParam(contentType, 'boundary')
      const found = inner === undefined ? undefined : findText(part.body, inner, depth + 1)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * The first inline text/plain part of a multipart body, decoded, or undefined when there is none (or the
 * media type has no boundary).
 */
export function multipartPlainText(body: string, mediatype: string): string | undefined {
  const boundary = headerParam(mediatype, 'boundary')
  if (boundary === undefined) return undefined
  return findText(body, boundary, 0)
}
