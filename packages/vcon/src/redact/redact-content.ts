/**
 * @module Redacts the inline content of one dialog, analysis or attachment (core draft §2.4.1), whatever its
 * encoding: plain strings, JSON values (every string inside), and base64url bodies of text types (decoded,
 * redacted, re-encoded). Content it cannot read is reported, never guessed at.
 */
import type { JsonValue } from '../model/vcon.js'
import type { TextRedactor } from './text-redactor.js'

/** What happened to one object's content. */
export type ContentOutcome =
  /** No inline content and no url. */
  | 'none'
  /** Inspected; nothing found. */
  | 'clean'
  /** Spans were replaced; the body changed. */
  | 'redacted'
  /** The body held PII it could not rewrite safely (multipart with encoded parts) and was removed. */
  | 'body-dropped'
  /** The content is external (url), binary or in an unknown encoding: not inspected. */
  | 'uninspected'

/** A mutable copy of a dialog, analysis or attachment, owned by the redactor. */
type Target = Record<string, unknown>

/** Media types whose bytes are text the detector can read (RFC 6838 text tree, JSON, XML, email). */
function isTextual(mediatype: string): boolean {
  const base = mediatype.split(';')[0]?.trim().toLowerCase() ?? ''
  return (
    base.startsWith('text/') ||
    base.startsWith('multipart/') ||
    base === 'message/rfc822' ||
    base === 'application/json' ||
    base === 'application/xml' ||
    base.endsWith('+json') ||
    base.endsWith('+xml')
  )
}

function isMultipart(mediatype: unknown): boolean {
  return typeof mediatype === 'string' && /^\s*multipart\//i.test(mediatype)
}

/** The boundary parameter of a multipart media type (RFC 2046 §5.1.1), if any. */
function boundaryOf(mediatype: string): string | undefined {
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(mediatype)
  return m?.[1] ?? m?.[2]
}

function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1
}

/**
 * A multipart (email) body: spans in its 7bit and 8bit parts are replaced in place. A body with base64 or
 * quoted-printable parts hides text from the detector, and a rewrite that damaged a boundary line would corrupt
 * the message; in both cases the whole body is removed if anything is found, or if encoded parts exist at all.
 */
function redactMultipart(text: string, mediatype: string, redactor: TextRedactor): string | 'drop' {
  if (/^content-transfer-encoding:\s*(?:base64|quoted-printable)/im.test(text)) {
    redactor.countOnly(text)
    return 'drop'
  }
  const boundary = boundaryOf(mediatype)
  const before = boundary === undefined ? 0 : countOf(text, boundary)
  const spans = redactor.spans(text)
  if (spans.length === 0) return text
  if (boundary !== undefined) {
    const damaged = spans.some((s) => text.slice(s.start, s.end).includes(boundary))
    if (damaged) {
      redactor.countOnly(text)
      return 'drop'
    }
  }
  const out = redactor.redactString(text)
  if (boundary !== undefined && countOf(out, boundary) !== before) return 'drop'
  return out
}

/** Redacts a text string, as multipart when the media type says so. */
function redactText(text: string, mediatype: unknown, redactor: TextRedactor): string | 'drop' {
  if (typeof mediatype === 'string' && isMultipart(mediatype)) {
    return redactMultipart(text, mediatype, redactor)
  }
  return redactor.redactString(text)
}

function dropBody(target: Target): ContentOutcome {
  // The draft lets body be absent in a redacted vCon while content_hash stays (core draft §4.1.8).
  delete target.body
  delete target.encoding
  return 'body-dropped'
}

/**
 * Redacts `target.body` in place. When the body changes, a `content_hash` is removed: it was computed over the
 * old bytes and would no longer match (core draft §2.4.2).
 */
export function redactContent(target: Target, redactor: TextRedactor): ContentOutcome {
  const { body, encoding, mediatype } = target
  if (body === undefined || body === null) {
    return typeof target.url === 'string' ? 'uninspected' : 'none'
  }
  let next: unknown = body
  if (encoding === 'json') {
    if (typeof body === 'string') {
      let parsed: JsonValue | undefined
      try {
        parsed = JSON.parse(body) as JsonValue
      } catch {
        parsed = undefined
      }
      // A string holding JSON (drafts up to core-02) keeps that form; a string that is not JSON is text.
      next =
        parsed === undefined
          ? redactor.redactString(body)
          : JSON.stringify(redactor.redactJson(parsed))
      if (parsed !== undefined && next === JSON.stringify(parsed)) next = body
    } else {
      next = redactor.redactJson(body as JsonValue)
    }
  } else if (encoding === 'base64url') {
    if (typeof body !== 'string' || typeof mediatype !== 'string' || !isTextual(mediatype)) {
      return 'uninspected'
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body, 'base64url'))
    } catch {
      return 'uninspected'
    }
    const out = redactText(text, mediatype, redactor)
    if (out === 'drop') return dropBody(target)
    next = out === text ? body : Buffer.from(out, 'utf8').toString('base64url')
  } else if (encoding === 'none' || encoding === undefined) {
    if (typeof body === 'string') {
      const out = redactText(body, mediatype, redactor)
      if (out === 'drop') return dropBody(target)
      next = out
    } else {
      // Legacy files put native JSON under encoding "none"; redact it the same way.
      next = redactor.redactJson(body as JsonValue)
    }
  } else {
    return 'uninspected'
  }
  if (JSON.stringify(next) === JSON.stringify(body)) return 'clean'
  target.body = next
  delete target.content_hash
  return 'redacted'
}
