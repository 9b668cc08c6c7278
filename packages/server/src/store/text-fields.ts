/**
 * @module The places of a vCon where people's words are written: the subject, and the inline bodies of dialogs,
 * analyses and attachments (core draft §4.1.6, §4.3, §4.4, §4.5) that hold text or JSON. The index (identifiers
 * mentioned in text, derive-refs.ts) and the subject finder (privacy/subject-match.ts) read the same places, so
 * what the index points at is what the finder confirms. Media (audio, video, images) is never decoded.
 */
import { decodeBody, getJsonBody } from '@vconkit/vcon'

/** One text and the JSON pointer (RFC 6901) of where it is written. */
export interface TextField {
  /**
   * The string itself (`/subject`, `/analysis/0/body/transcript/text`), or the body holding it when the body is
   * encoded (base64url, or JSON given as a string): then `/dialog/2/body`.
   */
  readonly pointer: string
  readonly text: string
}

/** Media types whose bytes are not text: their bodies are skipped (an audio recording is not searched). */
const BINARY = /^(audio|video|image|font|model)\/|^application\/(octet-stream|pdf|zip|gzip)$/

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Nesting walked inside a JSON body; a vCon that passed validation nests less than this. */
const MAX_DEPTH = 64

function pointerToken(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1')
}

function mediaTypeOf(content: Record<string, unknown>): string | undefined {
  const value = typeof content.mediatype === 'string' ? content.mediatype : content.mimetype
  return typeof value === 'string' ? value.split(';')[0]?.trim().toLowerCase() : undefined
}

/** Every string leaf of a JSON value, with its pointer below `base`. */
function jsonStrings(value: unknown, base: string, out: TextField[], depth = 0): void {
  if (typeof value === 'string') {
    if (value !== '') out.push({ pointer: base, text: value })
    return
  }
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      jsonStrings(item, `${base}/${i}`, out, depth + 1)
    })
    return
  }
  for (const [key, item] of Object.entries(value)) {
    jsonStrings(item, `${base}/${pointerToken(key)}`, out, depth + 1)
  }
}

/** The texts of one dialog, analysis or attachment body. */
function bodyFields(content: unknown, base: string, out: TextField[]): void {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return
  const item = content as Record<string, unknown>
  const body = item.body
  if (body === undefined || body === null) return
  const pointer = `${base}/body`
  if (typeof body !== 'string') {
    // A JSON body given as a value (encoding "json"): every string in it keeps its exact pointer.
    jsonStrings(body, pointer, out)
    return
  }
  const type = mediaTypeOf(item)
  if (type !== undefined && BINARY.test(type)) return
  const encoded = item.encoding === 'base64url' || item.encoding === 'json'
  const json = getJsonBody(item)
  if (json !== undefined && typeof json !== 'string') {
    // JSON inside a string: the strings it holds cannot be pointed at one by one, so the body is named.
    const inner: TextField[] = []
    jsonStrings(json, pointer, inner)
    for (const field of inner) out.push({ pointer, text: field.text })
    return
  }
  if (!encoded) {
    out.push({ pointer, text: body })
    return
  }
  const bytes = decodeBody(item)
  if (bytes !== undefined) {
    // Bytes that are not UTF-8 are media without a media type (legacy recordings), not text.
    try {
      out.push({ pointer, text: UTF8.decode(bytes) })
    } catch {
      // not text
    }
  } else if (typeof json === 'string') out.push({ pointer, text: json })
}

/** The texts of a vCon (unsigned form) in document order: subject, dialogs, analyses, attachments. */
export function textFields(vcon: Readonly<Record<string, unknown>>): TextField[] {
  const out: TextField[] = []
  if (typeof vcon.subject === 'string' && vcon.subject !== '') {
    out.push({ pointer: '/subject', text: vcon.subject })
  }
  for (const field of ['dialog', 'analysis', 'attachments'] as const) {
    const items = vcon[field]
    if (!Array.isArray(items)) continue
    items.forEach((item, i) => {
      bodyFields(item, `/${field}/${i}`, out)
    })
  }
  return out
}
