/**
 * @module Checks of inline and external content shared by dialogs, analyses and attachments (core draft §2.4.1
 * "Inline Files" and §2.4.2 "Externally Referenced Files").
 */
import type { IssueCollector } from './issue.js'
import {
  HASH_DIGEST_LENGTHS,
  isBase64url,
  isMediatype,
  isObject,
  parseContentHashToken,
} from './primitives.js'

/** Checks a content_hash value: one token or an array of tokens (core draft §2.4 "ContentHash"). */
export function checkContentHash(value: unknown, pointer: string, c: IssueCollector): void {
  const tokens = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined
  if (tokens === undefined || tokens.length === 0) {
    c.report(
      'must',
      pointer,
      'wrong-type',
      'content_hash must be a "sha512-<base64url>" string or a non-empty array of such strings.',
    )
    return
  }
  let known = 0
  for (let i = 0; i < tokens.length; i++) {
    const token: unknown = tokens[i]
    const at = typeof value === 'string' ? pointer : `${pointer}/${i}`
    if (typeof token !== 'string') {
      c.report('must', at, 'wrong-type', 'A content_hash token must be a string.')
      continue
    }
    const parsed = parseContentHashToken(token)
    if (parsed === undefined) {
      c.report(
        'strict',
        at,
        'bad-content-hash',
        `content_hash "${truncate(token)}" is not "<alg>-<base64url digest>" (e.g. "sha512-…"); recompute it with sha512.`,
      )
      continue
    }
    const expected = HASH_DIGEST_LENGTHS[parsed.alg]
    if (expected === undefined) continue
    known++
    if (parsed.digest.length !== expected) {
      c.report(
        'strict',
        at,
        'bad-content-hash',
        `A ${parsed.alg} digest is ${expected} base64url characters, this one has ${parsed.digest.length}.`,
      )
    }
  }
  if (known === 0) {
    c.report(
      'should',
      pointer,
      'no-known-hash-algorithm',
      'No content_hash token uses sha512, sha384 or sha256, so the content cannot be checked; add a sha512 token.',
    )
  }
}

/**
 * Checks body/encoding/url/content_hash/mediatype/filename of one dialog, analysis or attachment.
 * `mediatypeRequired` is true for dialogs: inline dialog content MUST carry a mediatype (core draft §4.3.5).
 */
export function checkContent(
  obj: Record<string, unknown>,
  pointer: string,
  c: IssueCollector,
  mediatypeRequired: boolean,
): void {
  const { body, encoding, url, mediatype, filename } = obj
  const hasBody = body !== undefined
  if (mediatype !== undefined) {
    if (typeof mediatype !== 'string') {
      c.report(
        'must',
        `${pointer}/mediatype`,
        'wrong-type',
        'mediatype must be a string such as "audio/wav".',
      )
    } else if (!isMediatype(mediatype)) {
      c.report(
        'strict',
        `${pointer}/mediatype`,
        'bad-mediatype',
        `mediatype "${truncate(mediatype)}" is not "type/subtype" (parameters may follow ";").`,
      )
    }
  }
  if (filename !== undefined && typeof filename !== 'string') {
    c.report('must', `${pointer}/filename`, 'wrong-type', 'filename must be a string.')
  }
  if (hasBody) checkBody(body, encoding, pointer, c)
  else if (encoding !== undefined && typeof encoding !== 'string') {
    c.report(
      'must',
      `${pointer}/encoding`,
      'wrong-type',
      'encoding must be "base64url", "json" or "none".',
    )
  }
  if (url !== undefined) {
    checkUrl(url, `${pointer}/url`, c)
    if (obj.content_hash === undefined) {
      c.report(
        'strict',
        `${pointer}/url`,
        'url-without-hash',
        'Content referenced by url must carry a content_hash (core draft §2.4.2); add a sha512 content_hash of the bytes at the url.',
      )
    }
    if (hasBody) {
      c.report(
        'should',
        pointer,
        'body-and-url',
        'Content is both inline (body) and referenced (url); keep one of them.',
      )
    }
  }
  if (obj.content_hash !== undefined)
    checkContentHash(obj.content_hash, `${pointer}/content_hash`, c)
  if (mediatypeRequired && hasBody && body !== '' && mediatype === undefined) {
    c.report(
      'strict',
      `${pointer}/mediatype`,
      'missing-mediatype',
      'Inline content must carry a mediatype (core draft §4.3.5), e.g. "text/plain" or "audio/wav".',
    )
  }
}

function checkBody(body: unknown, encoding: unknown, pointer: string, c: IssueCollector): void {
  if (encoding === undefined) {
    if (body !== '') {
      c.report(
        'strict',
        `${pointer}/encoding`,
        'missing-encoding',
        'A body needs an encoding: "none" for text, "base64url" for bytes, "json" for JSON values.',
      )
    }
    if (typeof body !== 'string' && !isJsonContainer(body)) {
      c.report('must', `${pointer}/body`, 'wrong-type', 'body must be a string or a JSON value.')
    }
    return
  }
  if (typeof encoding !== 'string') {
    c.report(
      'must',
      `${pointer}/encoding`,
      'wrong-type',
      'encoding must be "base64url", "json" or "none".',
    )
    return
  }
  switch (encoding) {
    case 'json':
      if (typeof body === 'string') checkJsonString(body, pointer, c)
      return
    case 'base64url':
      if (typeof body !== 'string') {
        c.report('must', `${pointer}/body`, 'body-not-string', bodyNotStringMessage('base64url'))
      } else if (!isBase64url(body)) {
        c.report(
          'must',
          `${pointer}/body`,
          'bad-base64url',
          'A base64url body may hold only A-Z a-z 0-9 - _ without padding (RFC 7515 §2); re-encode the bytes.',
        )
      }
      return
    case 'none':
      if (typeof body !== 'string') {
        c.report('must', `${pointer}/body`, 'body-not-string', bodyNotStringMessage('none'))
      }
      return
    default:
      c.report(
        encoding === 'jwe' ? 'should' : 'strict',
        `${pointer}/encoding`,
        'unknown-encoding',
        `encoding "${truncate(encoding)}" is not one of base64url, json, none (core draft §2.4.1).`,
      )
  }
}

function checkJsonString(body: string, pointer: string, c: IssueCollector): void {
  // Up to core-02 a json body was a string holding JSON; core-03 allows the value itself (notes §g.5).
  try {
    JSON.parse(body)
  } catch {
    c.report(
      'should',
      `${pointer}/body`,
      'bad-json-body',
      'The body has encoding "json" but is a string that does not parse as JSON; store the JSON value itself.',
    )
  }
}

function bodyNotStringMessage(encoding: string): string {
  return `With encoding "${encoding}" the body must be a string; use encoding "json" for a JSON value.`
}

function isJsonContainer(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'object'
  )
}

/** Checks a url: an absolute URL (must), with the https scheme (strict; real data holds http links). */
export function checkUrl(url: unknown, pointer: string, c: IssueCollector): void {
  if (typeof url !== 'string') {
    c.report('must', pointer, 'wrong-type', 'url must be a string holding an https URL.')
    return
  }
  if (!URL.canParse(url)) {
    c.report(
      'must',
      pointer,
      'bad-url',
      `url "${truncate(url)}" is not an absolute URL; give the https address of the content.`,
    )
    return
  }
  if (!url.startsWith('https://')) {
    c.report(
      'strict',
      pointer,
      'url-not-https',
      `url "${truncate(url)}" must use https (core draft §2.4.2); serve the content over HTTPS.`,
    )
  }
}

/** Shortens a value quoted in a message so that messages stay one line. */
export function truncate(value: string, max = 60): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`
}

/** True when an object has no own keys (the draft's `{}` placeholder). */
export function isEmptyObject(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const _ in value) return false
  return true
}
