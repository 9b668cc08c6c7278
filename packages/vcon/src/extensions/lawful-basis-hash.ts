/**
 * @module The lawful_basis `content_hash`: a hex digest over the RFC 8785 (JCS) canonical form of the attachment
 * body (lawful-basis-00 §5.2.2 and §6.1). The draft does not say how the member excludes itself; the body is
 * hashed without its `content_hash` member (notes §e.1), the only reading under which the hash can be written.
 */
import { createHash } from 'node:crypto'
import { isVconError } from '../errors/vcon-error.js'
import { canonicalJson } from '../serialize/canonical-json.js'

/** The node:crypto names of the algorithms this library computes; blake2b-256 is not among them. */
const NODE_HASH_NAMES: Readonly<Record<string, string>> = {
  'sha-256': 'sha256',
  'sha-3-256': 'sha3-256',
}

/** The algorithms `lawfulBasisContentHash` and verification can compute. */
export type ComputableLawfulBasisHash = 'sha-256' | 'sha-3-256'

/** The `content_hash` object of a lawful_basis body. */
export interface LawfulBasisContentHash {
  readonly algorithm: string
  readonly canonicalization: string
  readonly value: string
}

/** The outcome of checking a body's `content_hash`. */
export type LawfulBasisHashCheck =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'unchecked'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }

/** The body without its own `content_hash` member (a new object; the input is not touched). */
function withoutHash(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key of Object.keys(body)) if (key !== 'content_hash') rest[key] = body[key]
  return rest
}

/**
 * Computes the `content_hash` object to store in a lawful_basis body (any `content_hash` already there is left
 * out of the hash). Throws VconError (VCON_BAD_ARGUMENT, VCON_TOO_DEEP) when the body is not I-JSON.
 */
export function lawfulBasisContentHash(
  body: Readonly<Record<string, unknown>>,
  algorithm: ComputableLawfulBasisHash = 'sha-256',
): LawfulBasisContentHash {
  const nodeName = NODE_HASH_NAMES[algorithm] as string
  const value = createHash(nodeName)
    .update(canonicalJson(withoutHash(body)), 'utf8')
    .digest('hex')
  return { algorithm, canonicalization: 'jcs', value }
}

/**
 * Checks the body's `content_hash` (which must be an object with string members; the caller checks shape).
 * Never throws: a body that cannot be canonicalised gives `failed`.
 */
export function checkLawfulBasisHash(
  body: Readonly<Record<string, unknown>>,
  hash: LawfulBasisContentHash,
): LawfulBasisHashCheck {
  if (hash.canonicalization !== 'jcs') {
    return {
      kind: 'unchecked',
      reason: `canonicalization "${hash.canonicalization}" is not supported (only "jcs", RFC 8785)`,
    }
  }
  const nodeName = NODE_HASH_NAMES[hash.algorithm]
  if (nodeName === undefined) {
    const why =
      hash.algorithm === 'blake2b-256'
        ? 'blake2b-256 is not available in node:crypto'
        : `algorithm "${hash.algorithm}" is not one this library computes (sha-256, sha-3-256)`
    return { kind: 'unchecked', reason: why }
  }
  let actual: string
  try {
    actual = createHash(nodeName)
      .update(canonicalJson(withoutHash(body)), 'utf8')
      .digest('hex')
  } catch (err) {
    return {
      kind: 'failed',
      reason: isVconError(err) ? err.message : 'the body could not be hashed',
    }
  }
  const expected = hash.value.toLowerCase()
  return actual === expected ? { kind: 'match' } : { kind: 'mismatch', expected, actual }
}
