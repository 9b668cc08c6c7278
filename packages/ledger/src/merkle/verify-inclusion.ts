/**
 * @module Inclusion proof verification exactly as RFC 9162 §2.1.3.2 writes it, plus the length checks the
 * RFC leaves implicit (every hash 32 bytes), which vcon-server's verifier lacked (scitt.md §3.2).
 */
import { bytesEqual, publicBytesEqual } from '../internal/bytes.js'
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

/** True when `proof` proves `leafHash` at `index` in the checker's tree. */
export type InclusionChecker = (
  leafHash: Uint8Array,
  index: number,
  proof: readonly Uint8Array[],
) => boolean

/**
 * A checker of many inclusion proofs against one tree size and root that shares the work between them: the
 * log checks every receipt it assembles, and the leaves of one batch share most of their paths. Two walks of
 * RFC 9162 §2.1.3.2 that reach the same (fn, sn) stand at the same node of the tree, with the same hashes still
 * to combine; once one walk from there reached `root`, a later walk that reaches that node with the same value
 * and the same hashes left reaches it too. Those are compared, not hashed again, so each interior node is
 * hashed once per checker, not once per leaf, and the answer is exactly that of `verifyInclusion`.
 */
export function createInclusionChecker(size: number, root: Uint8Array): InclusionChecker {
  /** "fn/sn" of a node proved to lead to root -> its hash, and the proof whose hashes from `next` on did it. */
  const proved = new Map<
    string,
    { readonly hash: Uint8Array; readonly proof: readonly Uint8Array[]; readonly next: number }
  >()
  const sameRest = (
    proof: readonly Uint8Array[],
    next: number,
    other: readonly Uint8Array[],
    from: number,
  ) => {
    if (proof.length - next !== other.length - from) return false
    for (let i = 0; next + i < proof.length; i++) {
      const a = proof[next + i] as Uint8Array
      const b = other[from + i] as Uint8Array
      if (!publicBytesEqual(a, b)) return false
    }
    return true
  }
  return (leafHash, index, proof) => {
    if (!isTreeCount(index) || !isTreeCount(size) || index >= size) return false
    if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false
    let fn = index
    let sn = size - 1
    let r = leafHash
    const walked: [string, Uint8Array, number][] = []
    for (let k = 0; k < proof.length; k++) {
      const p = proof[k] as Uint8Array
      if (sn === 0) return false
      if (fn % 2 === 1 || fn === sn) {
        r = nodeHash(p, r)
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn /= 2
            sn = Math.floor(sn / 2)
          }
        }
      } else {
        r = nodeHash(r, p)
      }
      fn = Math.floor(fn / 2)
      sn = Math.floor(sn / 2)
      const at = `${fn}/${sn}`
      const known = proved.get(at)
      if (known !== undefined) {
        if (!publicBytesEqual(known.hash, r) || !sameRest(proof, k + 1, known.proof, known.next)) {
          return false
        }
        for (const [at, hash, next] of walked) proved.set(at, { hash, proof, next })
        return true
      }
      walked.push([at, r, k + 1])
    }
    if (sn !== 0 || root.length !== HASH_SIZE || !bytesEqual(r, root)) return false
    for (const [at, hash, next] of walked) proved.set(at, { hash, proof, next })
    return true
  }
}
