/**
 * @module Packing: turning external references (`url` + `content_hash`) into inline content (`body` +
 * `encoding: base64url`) after verifying the hash (notes §b.5, core draft §2.4.2).
 */
import { isVconError, VconError } from '../errors/vcon-error.js'
import { computeContentHash, verifyContentHash } from '../hash/content-hash.js'
import type { Vcon } from '../model/vcon.js'
import type { Issue } from '../validate/issue.js'
import {
  type ContentItem,
  type ContentSectionFilter,
  contentItems,
  replaceItems,
  selectedSections,
} from './content-sections.js'
import { describeUrl, type Fetcher, type FetchResult } from './fetcher.js'
import { mapLimited } from './map-limited.js'

/** Options of `packVcon`. */
export interface PackOptions {
  /** Fetches each url; use `createFetcher` (HTTPS only, size and time limits, no internal addresses). */
  readonly fetcher: Fetcher
  /** Which sections to pack. Default 'all'. */
  readonly only?: ContentSectionFilter
  /**
   * Pack a `url` that has no `content_hash` (the draft requires one, core draft §2.4.2). The fetched bytes are
   * then used unverified, and the packed object gets the sha512 `content_hash` of what was inlined.
   */
  readonly allowUnhashed?: boolean
  /** How many references are fetched at once. Default 4. */
  readonly concurrency?: number
}

/** One reference that was inlined. */
export interface PackedReference {
  /** JSON pointer of the object, e.g. `/dialog/0`. */
  readonly pointer: string
  /** The url it was fetched from. */
  readonly url: string
  /** Size of the fetched payload. */
  readonly bytes: number
}

/** The packed vCon (a new object) and what was inlined, in document order. */
export interface PackResult {
  readonly vcon: Vcon
  readonly packed: PackedReference[]
}

const DEFAULT_CONCURRENCY = 4

/** Is this object an external reference that pack should inline? */
function isReference(entry: ContentItem): boolean {
  // An object that already has a body is inline; a leftover url beside it is not fetched over it.
  return entry.item.url !== undefined && entry.item.body === undefined
}

function invalid(pointer: string, code: Issue['code'], message: string): VconError {
  const issue: Issue = { pointer, code, severity: 'error', message }
  return new VconError('VCON_INVALID', `${pointer}: ${message}`, { issues: [issue] })
}

/** Checks every reference before the first fetch, so an invalid vCon costs no network traffic. */
function precheck(entry: ContentItem, allowUnhashed: boolean): void {
  const { url, content_hash: hash } = entry.item
  const where = `${entry.pointer}/url`
  if (typeof url !== 'string') throw invalid(where, 'bad-url', 'url must be a string')
  if (hash === undefined) {
    if (allowUnhashed) return
    throw invalid(
      `${entry.pointer}/content_hash`,
      'url-without-hash',
      `the url ${describeUrl(url)} has no content_hash, so its content cannot be verified (core draft §2.4.2); add one, or pass allowUnhashed: true`,
    )
  }
  const tokens = typeof hash === 'string' ? [hash] : hash
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) {
    throw invalid(
      `${entry.pointer}/content_hash`,
      'bad-content-hash',
      'content_hash must be a string or an array of strings',
    )
  }
  // Refuse before downloading what could never be verified (notes §b.3: no known algorithm fails).
  const probe = verifyContentHash(new Uint8Array(), tokens as string[])
  if (probe.checked.length === 0) {
    throw new VconError(
      'VCON_HASH_MISMATCH',
      `${entry.pointer}: cannot verify ${describeUrl(url)}: ${probe.reason ?? 'no known algorithm'}`,
    )
  }
}

/** The packed object: `url` replaced, in place, by `body` and `encoding`; everything else kept. */
function packedItem(
  item: Readonly<Record<string, unknown>>,
  bytes: Uint8Array,
  fetched: FetchResult,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(item)) {
    if (key === 'url') {
      out.body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
      out.encoding = 'base64url'
    } else if (key !== 'encoding') {
      out[key] = value
    }
  }
  // The draft wants a mediatype on inline content; HTTPS gave one when the object had none (§2.4.1).
  if (out.mediatype === undefined && fetched.mediatype !== undefined)
    out.mediatype = fetched.mediatype
  // Keeping content_hash beside the body is notes §b.5's recommendation; add one when there was none.
  if (out.content_hash === undefined) out.content_hash = computeContentHash(bytes)
  return out
}

async function packOne(
  entry: ContentItem,
  fetcher: Fetcher,
): Promise<{ item: Record<string, unknown>; ref: PackedReference }> {
  const url = entry.item.url as string
  let fetched: FetchResult
  try {
    fetched = await fetcher.fetch(url)
  } catch (error) {
    if (isVconError(error)) {
      throw new VconError(error.code, `${entry.pointer}: ${error.message}`, { cause: error })
    }
    throw new VconError(
      'VCON_FETCH_FAILED',
      `${entry.pointer}: fetch of ${describeUrl(url)} failed`,
      {
        cause: error,
      },
    )
  }
  const { bytes } = fetched
  const hash = entry.item.content_hash as string | readonly string[] | undefined
  // Verify before use (core draft §2.4.2 SHOULD, notes §b.4): nothing unverified reaches the output.
  if (hash !== undefined) {
    const check = verifyContentHash(bytes, hash)
    if (!check.ok) {
      throw new VconError(
        'VCON_HASH_MISMATCH',
        `${entry.pointer}: the content fetched from ${describeUrl(url)} does not match its content_hash: ${check.reason ?? ''}; it was not used`,
      )
    }
  }
  return {
    item: packedItem(entry.item, bytes, fetched),
    ref: { pointer: entry.pointer, url, bytes: bytes.length },
  }
}

/**
 * Packs a vCon: every dialog, attachment and analysis object (or those `only` selects) that refers to its
 * content by `url` gets it inline as `body` + `encoding: "base64url"`, with `mediatype` (from the response
 * Content-Type when the object had none), `filename` and `content_hash` kept and `url` dropped (notes §b.5).
 * Each payload is verified against `content_hash` before it is used. The result is a new vCon; the input is
 * untouched. A signed vCon must be re-signed after packing, as its content changed.
 *
 * Throws VconError: VCON_INVALID (a url without content_hash, unless allowUnhashed), VCON_HASH_MISMATCH,
 * and the fetcher's VCON_FETCH_* codes, each message starting with the JSON pointer of the object.
 */
export async function packVcon(vcon: Vcon, options: PackOptions): Promise<PackResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new VconError('VCON_BAD_ARGUMENT', 'packVcon: concurrency must be a positive integer')
  }
  const entries = contentItems(vcon, selectedSections(options.only)).filter(isReference)
  for (const entry of entries) precheck(entry, options.allowUnhashed === true)
  const done = await mapLimited(entries, concurrency, (entry) => packOne(entry, options.fetcher))
  const replacements = entries.map((entry, i) => ({
    section: entry.section,
    index: entry.index,
    item: (done[i] as { item: Record<string, unknown> }).item,
  }))
  return { vcon: replaceItems(vcon, replacements), packed: done.map((d) => d.ref) }
}
