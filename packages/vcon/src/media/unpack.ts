/**
 * @module Unpacking: moving inline bodies out of a vCon into a `BlobStore` and pointing at them with `url` +
 * `content_hash` (notes §b.5, core draft §2.4.2).
 */
import { isVconError, VconError } from '../errors/vcon-error.js'
import { computeContentHash, verifyContentHash } from '../hash/content-hash.js'
import type { ContentHash, Encoding, Vcon } from '../model/vcon.js'
import { isBase64url } from '../validate/primitives.js'
import type { BlobStore } from './blob-store.js'
import {
  type ContentItem,
  type ContentSectionFilter,
  contentItems,
  replaceItems,
  selectedSections,
} from './content-sections.js'
import { mapLimited } from './map-limited.js'

/** Options of `unpackVcon`. */
export interface UnpackOptions {
  /** Where the bytes go; its urls must be https. */
  readonly store: BlobStore
  /** Bodies smaller than this many (decoded) bytes stay inline. Default 1: only empty bodies stay. */
  readonly minBytes?: number
  /** Which sections to unpack. Default 'all'. */
  readonly only?: ContentSectionFilter
  /**
   * Which encodings to move out. Default `['base64url']` (media). Add `none` and `json` to move text and JSON
   * bodies too (large transcripts, attachments); see `inlineBytes` for the bytes they become.
   */
  readonly encodings?: readonly Encoding[]
  /** How many `store.put` calls run at once. Default 4. */
  readonly concurrency?: number
}

/** One body that was moved out. */
export interface UnpackedReference {
  /** JSON pointer of the object, e.g. `/dialog/0`. */
  readonly pointer: string
  /** Where the store put it. */
  readonly url: string
  /** Size of the stored bytes. */
  readonly bytes: number
  /** The sha512 token of the stored bytes. */
  readonly contentHash: string
}

/** The unpacked vCon (a new object) and what was moved out, in document order. */
export interface UnpackResult {
  readonly vcon: Vcon
  readonly unpacked: UnpackedReference[]
}

/** What a url serves when `mediatype` was absent, by encoding. */
const DEFAULT_MEDIATYPE: Readonly<Record<string, string>> = {
  base64url: 'application/octet-stream',
  none: 'text/plain; charset=utf-8',
  json: 'application/json',
}

/** Standard or padded base64, which lenient readers accept inside base64url bodies (notes §g #4). */
const LENIENT_BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

function badEncoding(pointer: string, message: string): VconError {
  return new VconError('VCON_BAD_ENCODING', `${pointer}/body: ${message}`)
}

/**
 * The bytes an inline body stands for, i.e. what the url will serve and what `content_hash` covers:
 * - `base64url`: the decoded bytes (padded or standard base64 is tolerated, notes §g #4);
 * - `none`: the UTF-8 bytes of the string;
 * - `json`: a string that parses as JSON is already JSON text (the up-to-core-02 form, notes §g #5) and its
 *   UTF-8 bytes are used as they are; any other value is serialised with `JSON.stringify` (no whitespace),
 *   and those UTF-8 bytes are used.
 */
export function inlineBytes(pointer: string, body: unknown, encoding: string): Uint8Array {
  if (encoding === 'base64url') {
    if (typeof body !== 'string') throw badEncoding(pointer, 'a base64url body must be a string')
    if (!isBase64url(body) && !(LENIENT_BASE64.test(body) && body.length % 4 !== 1)) {
      throw badEncoding(pointer, 'the body is not base64url (RFC 4648 §5); fix or re-encode it')
    }
    return new Uint8Array(Buffer.from(body, 'base64url'))
  }
  if (encoding === 'none') {
    if (typeof body !== 'string') {
      throw badEncoding(
        pointer,
        'a body with encoding "none" must be a string; upgrade the vCon first',
      )
    }
    return new Uint8Array(Buffer.from(body, 'utf8'))
  }
  if (encoding === 'json') {
    if (typeof body === 'string') {
      try {
        JSON.parse(body)
        return new Uint8Array(Buffer.from(body, 'utf8'))
      } catch {
        // Not JSON text: a plain JSON string value, serialised below.
      }
    }
    return new Uint8Array(Buffer.from(JSON.stringify(body) ?? 'null', 'utf8'))
  }
  throw badEncoding(pointer, `encoding ${JSON.stringify(encoding)} cannot be unpacked`)
}

/**
 * The content_hash to write: the one already present when it verifies (keeping other algorithms), with the
 * sha512 token put first when it lacked one (sha512 MUST be supported, core draft §2.4); else the new token.
 */
function mergedHash(
  pointer: string,
  existing: unknown,
  bytes: Uint8Array,
  token: string,
): ContentHash {
  if (existing === undefined) return token
  const tokens = typeof existing === 'string' ? [existing] : existing
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) {
    throw new VconError(
      'VCON_INVALID',
      `${pointer}/content_hash: must be a string or an array of strings`,
    )
  }
  const check = verifyContentHash(bytes, tokens as string[])
  if (!check.ok) {
    throw new VconError(
      'VCON_HASH_MISMATCH',
      `${pointer}: the inline body does not match its content_hash: ${check.reason ?? ''}; it was not unpacked`,
    )
  }
  if (check.checked.some((t) => t.startsWith('sha512-'))) return existing as ContentHash
  return [token, ...(tokens as string[])]
}

interface Planned {
  readonly entry: ContentItem
  readonly bytes: Uint8Array
  readonly encoding: string
  /** The sha512 token of `bytes`. */
  readonly token: string
  /** The content_hash the unpacked object gets. */
  readonly hash: ContentHash
}

/** The unpacked object: `body` replaced, in place, by `url`; `encoding` dropped; hash and mediatype set. */
function unpackedItem(plan: Planned, url: string): Record<string, unknown> {
  const hash = plan.hash
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(plan.entry.item)) {
    if (key === 'body') {
      out.url = url
      out.content_hash = hash
    } else if (key === 'content_hash') {
      out.content_hash = hash
    } else if (key !== 'encoding') {
      out[key] = value
    }
  }
  // The url's server may send no Content-Type, so external content keeps a mediatype (core draft §2.4.2).
  if (out.mediatype === undefined) out.mediatype = DEFAULT_MEDIATYPE[plan.encoding]
  return out
}

/**
 * Unpacks a vCon: every inline body (in the selected sections, with a selected encoding, of at least
 * `minBytes` bytes) is put in `store` and replaced by `url` + `content_hash` (sha512 of the stored bytes),
 * dropping `body` and `encoding` and keeping or setting `mediatype` (notes §b.5). An existing content_hash
 * on the inline body must verify, or VCON_HASH_MISMATCH is thrown. The result is a new vCon; the input is
 * untouched. A signed vCon must be re-signed after unpacking.
 */
export async function unpackVcon(vcon: Vcon, options: UnpackOptions): Promise<UnpackResult> {
  const minBytes = options.minBytes ?? 1
  const concurrency = options.concurrency ?? 4
  if (!Number.isSafeInteger(minBytes) || minBytes < 0) {
    throw new VconError('VCON_BAD_ARGUMENT', 'unpackVcon: minBytes must be a non-negative integer')
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new VconError('VCON_BAD_ARGUMENT', 'unpackVcon: concurrency must be a positive integer')
  }
  const encodings: readonly string[] = options.encodings ?? ['base64url']
  const plans: Planned[] = []
  for (const entry of contentItems(vcon, selectedSections(options.only))) {
    const { body, encoding, url } = entry.item
    if (body === undefined || url !== undefined || typeof encoding !== 'string') continue
    if (!encodings.includes(encoding)) continue
    const bytes = inlineBytes(entry.pointer, body, encoding)
    if (bytes.length < minBytes) continue
    // Hashes are checked for every body before anything is stored, so a mismatch leaves the store alone.
    const token = computeContentHash(bytes)
    const hash = mergedHash(entry.pointer, entry.item.content_hash, bytes, token)
    plans.push({ entry, bytes, encoding, token, hash })
  }
  const done = await mapLimited(plans, concurrency, async (plan) => {
    const token = plan.token
    const mediatype = plan.entry.item.mediatype
    const filename = plan.entry.item.filename
    let url: string
    try {
      ;({ url } = await options.store.put(plan.bytes, {
        contentHash: token,
        ...(typeof mediatype === 'string' ? { mediatype } : {}),
        ...(typeof filename === 'string' ? { filename } : {}),
      }))
    } catch (error) {
      if (isVconError(error)) {
        throw new VconError(error.code, `${plan.entry.pointer}: ${error.message}`, { cause: error })
      }
      throw new VconError('VCON_STORE_FAILED', `${plan.entry.pointer}: the blob store failed`, {
        cause: error,
      })
    }
    if (!url.startsWith('https://')) {
      throw new VconError(
        'VCON_STORE_FAILED',
        `${plan.entry.pointer}: the blob store returned a non-https url; vCon urls must be https (core draft §2.4.2)`,
      )
    }
    const ref: UnpackedReference = {
      pointer: plan.entry.pointer,
      url,
      bytes: plan.bytes.length,
      contentHash: token,
    }
    return { item: unpackedItem(plan, url), ref }
  })
  const replacements = plans.map((plan, i) => ({
    section: plan.entry.section,
    index: plan.entry.index,
    item: (done[i] as { item: Record<string, unknown> }).item,
  }))
  return { vcon: replaceItems(vcon, replacements), unpacked: done.map((d) => d.ref) }
}
