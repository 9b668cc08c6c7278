/**
 * @module Computing and verifying `content_hash` tokens, `<alg>-<unpadded base64url digest>` (core draft §2.4
 * "ContentHash", notes §b.3).
 */
import { createHash, type Hash } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import { parseContentHashToken } from '../validate/primitives.js'

/**
 * The algorithms this library computes and verifies. sha512 MUST be supported (core draft §2.4); sha256 and
 * sha384 are the other COSE "Recommended: Yes" hashes (notes §b.3). The names are also node:crypto's.
 */
export type ContentHashAlgorithm = 'sha512' | 'sha256' | 'sha384'

/** The known algorithms, strongest first (the order `verifyContentHash` reports them in does not depend on it). */
export const CONTENT_HASH_ALGORITHMS: readonly ContentHashAlgorithm[] = [
  'sha512',
  'sha384',
  'sha256',
]

function isKnownAlgorithm(alg: string): alg is ContentHashAlgorithm {
  return alg === 'sha512' || alg === 'sha256' || alg === 'sha384'
}

function assertAlgorithm(alg: string): asserts alg is ContentHashAlgorithm {
  if (!isKnownAlgorithm(alg)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `content_hash algorithm "${alg}" is not supported; use one of ${CONTENT_HASH_ALGORITHMS.join(', ')}`,
    )
  }
}

/**
 * The `content_hash` token of `bytes`: the unpadded base64url digest (RFC 7515 §2) behind the algorithm name.
 * Hashes the exact bytes given: for external content, the HTTP payload body as retrieved (core draft §2.4).
 */
export function computeContentHash(
  bytes: Uint8Array,
  alg: ContentHashAlgorithm = 'sha512',
): string {
  assertAlgorithm(alg)
  // node:crypto encodes base64url without padding, which is the draft's digest form.
  return `${alg}-${createHash(alg).update(bytes).digest('base64url')}`
}

/** What `verifyContentHash` found. */
export interface ContentHashVerification {
  /** True when every token with a known algorithm matched and there was at least one such token. */
  readonly ok: boolean
  /** The tokens that were compared (known algorithms), in the order given. */
  readonly checked: string[]
  /** The tokens that were skipped: unknown algorithms, or not `<alg>-<digest>` at all. */
  readonly ignored: string[]
  /** Why `ok` is false; absent when it is true. */
  readonly reason?: string
}

/**
 * Checks `bytes` against a `content_hash` (one token or an array of them). Following notes §b.3, every token
 * whose algorithm is known must match, tokens with unknown algorithms are ignored, and a value with no known
 * algorithm fails (nothing was verified). Digests are compared as canonical unpadded base64url strings, so a
 * padded or standard-base64 digest does not match.
 */
export function verifyContentHash(
  bytes: Uint8Array,
  contentHash: string | readonly string[],
): ContentHashVerification {
  const tokens: readonly unknown[] = typeof contentHash === 'string' ? [contentHash] : contentHash
  const checked: string[] = []
  const ignored: string[] = []
  const computed = new Map<ContentHashAlgorithm, string>()
  const mismatched: string[] = []
  for (const token of tokens) {
    if (typeof token !== 'string') {
      ignored.push(String(token))
      continue
    }
    const parsed = parseContentHashToken(token)
    if (parsed === undefined || !isKnownAlgorithm(parsed.alg)) {
      ignored.push(token)
      continue
    }
    checked.push(token)
    let expected = computed.get(parsed.alg)
    if (expected === undefined) {
      expected = createHash(parsed.alg).update(bytes).digest('base64url')
      computed.set(parsed.alg, expected)
    }
    if (parsed.digest !== expected) mismatched.push(parsed.alg)
  }
  if (checked.length === 0) {
    const seen = ignored.length === 0 ? 'the value is empty' : `got ${ignored.join(', ')}`
    return {
      ok: false,
      checked,
      ignored,
      reason: `no content_hash token uses a supported algorithm (${CONTENT_HASH_ALGORITHMS.join(', ')}); ${seen}`,
    }
  }
  if (mismatched.length > 0) {
    return {
      ok: false,
      checked,
      ignored,
      reason: `the ${[...new Set(mismatched)].join(', ')} digest does not match the content`,
    }
  }
  return { ok: true, checked, ignored }
}

/** An incremental hasher for content too large to hold at once. */
export interface ContentHasher {
  /** Feeds the next chunk; returns the hasher so calls chain. */
  update(chunk: Uint8Array): ContentHasher
  /** The tokens, one per algorithm in the order asked for. The hasher cannot be used afterwards. */
  digest(): string[]
}

/**
 * Hashes a stream of chunks with one or more algorithms at once (one pass over the data), giving the same
 * tokens as `computeContentHash` over the concatenated chunks.
 */
export function createContentHasher(
  algs: ContentHashAlgorithm | readonly ContentHashAlgorithm[] = 'sha512',
): ContentHasher {
  const list: readonly ContentHashAlgorithm[] = typeof algs === 'string' ? [algs] : algs
  if (list.length === 0) {
    throw new VconError('VCON_BAD_ARGUMENT', 'createContentHasher needs at least one algorithm')
  }
  for (const alg of list) assertAlgorithm(alg)
  const hashes: { alg: ContentHashAlgorithm; hash: Hash }[] = list.map((alg) => ({
    alg,
    hash: createHash(alg),
  }))
  let done = false
  const hasher: ContentHasher = {
    update(chunk) {
      if (done) throw new VconError('VCON_BAD_ARGUMENT', 'content hasher used after digest()')
      for (const h of hashes) h.hash.update(chunk)
      return hasher
    },
    digest() {
      if (done) throw new VconError('VCON_BAD_ARGUMENT', 'content hasher digest() called twice')
      done = true
      return hashes.map((h) => `${h.alg}-${h.hash.digest('base64url')}`)
    },
  }
  return hasher
}
