/**
 * @module Generating RFC 9162 roots and proofs from perfect-subtree hashes. Written over a `NodeReader` so
 * that the same code serves the in-memory tree and any persistent store; the addresses a computation reads
 * depend only on sizes and indices, never on hash values, so `nodesFor*` can list them up front and a
 * database-backed store can fetch them in one query before running the computation.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { isPowerOfTwo, largestPowerOfTwoBelow, log2Exact, nodeHash } from './hash.js'
import type { NodeAddress } from './node-store.js'

/** Returns the hash of the perfect subtree at (level, index); throws when the store lacks it. */
export type NodeReader = (level: number, index: number) => Uint8Array

/**
 * MTH(D[start : start + count]) (RFC 9162 §2.1.1). Every range the RFC recursions produce starts at a
 * multiple of the largest power of two it contains, so a perfect range is one stored node and a ragged one
 * splits at k into a perfect left part and a smaller right part: O(log n) reads.
 */
export function subtreeHash(read: NodeReader, start: number, count: number): Uint8Array {
  if (isPowerOfTwo(count)) {
    if (start % count !== 0) {
      throw new LedgerError('LEDGER_BAD_ARGUMENT', `Range at ${start} is not aligned to ${count}.`)
    }
    return read(log2Exact(count), start / count)
  }
  const k = largestPowerOfTwoBelow(count)
  return nodeHash(subtreeHash(read, start, k), subtreeHash(read, start + k, count - k))
}

/** The root of the first `size` leaves (size >= 1). */
export function rootOf(read: NodeReader, size: number): Uint8Array {
  return subtreeHash(read, 0, size)
}

/**
 * PATH(m, D[n]) (RFC 9162 §2.1.3.1), for D[start : start + n]:
 *   PATH(0, {d(0)}) = {}
 *   m < k:  PATH(m, D[0:k]) : MTH(D[k:n])
 *   m >= k: PATH(m - k, D[k:n]) : MTH(D[0:k])
 * The list is built from the root down and reversed, which gives the RFC's leaf-to-root order.
 */
export function inclusionPath(read: NodeReader, m: number, n: number): Uint8Array[] {
  const reversed: Uint8Array[] = []
  let start = 0
  let index = m
  let count = n
  while (count > 1) {
    const k = largestPowerOfTwoBelow(count)
    if (index < k) {
      reversed.push(subtreeHash(read, start + k, count - k))
      count = k
    } else {
      reversed.push(subtreeHash(read, start, k))
      start += k
      index -= k
      count -= k
    }
  }
  return reversed.reverse()
}

/**
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1), 0 < m < n:
 *   SUBPROOF(m, D[m], true) = {}
 *   SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
 *   m > k:  SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
 */
export function consistencyPath(read: NodeReader, m: number, n: number): Uint8Array[] {
  const reversed: Uint8Array[] = []
  let start = 0
  let first = m
  let count = n
  let whole = true
  while (first !== count) {
    const k = largestPowerOfTwoBelow(count)
    if (first <= k) {
      reversed.push(subtreeHash(read, start + k, count - k))
      count = k
    } else {
      reversed.push(subtreeHash(read, start, k))
      start += k
      first -= k
      count -= k
      whole = false
    }
  }
  if (!whole) reversed.push(subtreeHash(read, start, count))
  return reversed.reverse()
}

const ZERO = new Uint8Array(32)

function recordReads(run: (read: NodeReader) => unknown): NodeAddress[] {
  const seen: NodeAddress[] = []
  run((level, index) => {
    seen.push({ level, index })
    return ZERO
  })
  return seen
}

/** The stored nodes `rootOf(read, size)` reads, for prefetching. */
export function nodesForRoot(size: number): NodeAddress[] {
  return recordReads((read) => rootOf(read, size))
}

/** The stored nodes an inclusion proof for leaf m in a tree of n leaves reads. */
export function nodesForInclusionProof(m: number, n: number): NodeAddress[] {
  return recordReads((read) => inclusionPath(read, m, n))
}

/** The stored nodes a consistency proof between sizes m and n reads. */
export function nodesForConsistencyProof(m: number, n: number): NodeAddress[] {
  return recordReads((read) => consistencyPath(read, m, n))
}
