/**
 * @module The Merkle Tree Hash written literally from its recursive definition (RFC 9162 §2.1.1), over a list
 * of leaf inputs. O(n) hashes and O(log n) stack: for small lists, tests, and anyone checking the tree code
 * against the RFC's own words.
 */
import { emptyRoot, largestPowerOfTwoBelow, leafHash, nodeHash } from './hash.js'

/**
 * MTH(D[n]):
 *   MTH({}) = SHA-256()
 *   MTH({d(0)}) = SHA-256(0x00 || d(0))
 *   MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two < n.
 */
export function merkleTreeHash(leafInputs: readonly Uint8Array[]): Uint8Array {
  const n = leafInputs.length
  if (n === 0) return emptyRoot()
  if (n === 1) return leafHash(leafInputs[0] as Uint8Array)
  const k = largestPowerOfTwoBelow(n)
  return nodeHash(merkleTreeHash(leafInputs.slice(0, k)), merkleTreeHash(leafInputs.slice(k)))
}
