/**
 * @module Inclusion proof verification exactly as RFC 9162 §2.1.3.2 writes it, plus the length checks the
 * RFC leaves implicit (every hash 32 bytes), which vcon-server's verifier lacked (scitt.md §3.2).
 */
import { bytesEqual } from '../internal/bytes.js'
import { HASH_SIZE, isTreeCount, nodeHash } from './hash.js'

/**
 * The root that `proof` leads to from `leafHash` at `index` in a tree of `size` leaves, or undefined when the
 * proof is malformed (RFC 9162 §2.1.3.2 steps 1-5, without the final comparison with a known root).
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  // Step 1: leaf_index must be below tree_size.
  if (!isTreeCount(index) || !isTreeCount(size) || index >= size) return undefined
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return undefined
  // Step 2-3.
  let fn = index
  let sn = size - 1
  let r = leafHash
  // Step 4.
  for (const p of proof) {
    // 4a: more path than tree.
    if (sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      // 4b.i
      r = nodeHash(p, r)
      // 4b.ii: skip the levels where this node is a lone right-edge child.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      // 4b otherwise.
      r = nodeHash(r, p)
    }
    // 4c.
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 5: the path must be fully consumed.
  return sn === 0 ? r : undefined
}

/** RFC 9162 §2.1.3.2: true when `proof` proves `leafHash` at `index` in the tree of `size` with `root`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leafHash, index, size, proof)
  return computed !== undefined && root.length === HASH_SIZE && bytesEqual(computed, root)
}
