/**
 * @module Consistency proof verification exactly as RFC 9162 §2.1.4.2 writes it, with the edge cases made
 * explicit: a proof from the empty tree is refused (it proves nothing, and the transparency-dev vectors
 * expect an error), equal sizes need an empty proof and equal roots, and every hash is 32 bytes.
 */
import { bytesEqual } from '../internal/bytes.js'
import { HASH_SIZE, isPowerOfTwo, isTreeCount, nodeHash } from './hash.js'

/**
 * The newer root that `proof` leads to from `root1` (tree of size1 leaves) to a tree of size2 leaves, or
 * undefined when the proof is malformed or does not reproduce `root1` (RFC 9162 §2.1.4.2 steps 1-7, less the
 * final comparison of the second root). For size1 = size2 the proof must be empty and root1 is returned.
 */
export function rootFromConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): Uint8Array | undefined {
  if (!isTreeCount(size1) || !isTreeCount(size2) || size1 === 0 || size1 > size2) return undefined
  if (size1 === size2) return proof.length === 0 ? root1 : undefined
  if (root1.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return undefined
  // Step 1.
  if (proof.length === 0) return undefined
  // Step 2: a power-of-two old tree is itself a node of the new one, so its root starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof
  // Step 3.
  let fn = size1 - 1
  let sn = size2 - 1
  // Step 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 5.
  let fr = path[0] as Uint8Array
  let sr = fr
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array
    // 6a.
    if (sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      // 6b.i, 6b.ii
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      // 6b.iii
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      // 6b otherwise.
      sr = nodeHash(sr, c)
    }
    // 6c.
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 7 (first half): fr must be the old root and the path fully consumed.
  return sn === 0 && bytesEqual(fr, root1) ? sr : undefined
}

/** RFC 9162 §2.1.4.2: true when `proof` shows the tree of size1 with root1 is a prefix of size2 with root2. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (isTreeCount(size1) && size1 > 0 && size1 === size2) {
    // Same tree: nothing to prove but equality (the vectors compare roots of any length here).
    return proof.length === 0 && root1.length === root2.length && bytesEqual(root1, root2)
  }
  const computed = rootFromConsistencyProof(size1, size2, proof, root1)
  return computed !== undefined && root2.length === HASH_SIZE && bytesEqual(computed, root2)
}
