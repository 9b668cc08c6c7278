/**
 * @module Inclusion proof verification exactly as RFC 9162 §2.1.3.2 writes it, plus the length checks the
 * RFC leaves implicit (every hash 32 bytes), which vcon-server's verifier lacked (scitt.md §3.2).
 */
import { bytesEqual, publicBytesEqual } from '../internal/bytes.js'
import { HASH_SIZE, isTreeCount, nodeHash } from './hash.js'

/** A walk of RFC 9162 §2.1.3.2 step 4: fn, sn and r as the RFC names them. */
interface Walk {
  fn: number
  sn: number
  r: Uint8Array
}

/** Step 4 for one path hash `p`; false at 4a (more path than tree). */
function climb(walk: Walk, p: Uint8Array): boolean {
  // 4a.
  if (walk.sn === 0) return false
  if (walk.fn % 2 === 1 || walk.fn === walk.sn) {
    // 4b.i
    walk.r = nodeHash(p, walk.r)
    // 4b.ii: skip the levels where this node is a lone right-edge child.
    while (walk.fn % 2 === 0 && walk.fn !== 0) {
      walk.fn /= 2
      walk.sn = Math.floor(walk.sn / 2)
    }
  } else {
    // 4b otherwise.
    walk.r = nodeHash(walk.r, p)
  }
  // 4c.
  walk.fn = Math.floor(walk.fn / 2)
  walk.sn = Math.floor(walk.sn / 2)
  return true
}

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
  // Steps 2-3.
  const walk: Walk = { fn: index, sn: size - 1, r: leafHash }
  // Step 4.
  for (const p of proof) if (!climb(walk, p)) return undefined
  // Step 5: the path must be fully consumed.
  return walk.sn === 0 ? walk.r : undefined
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
    const walk: Walk = { fn: index, sn: size - 1, r: leafHash }
    const walked: [string, Uint8Array, number][] = []
    for (let k = 0; k < proof.length; k++) {
      if (!climb(walk, proof[k] as Uint8Array)) return false
      const at = `${walk.fn}/${walk.sn}`
      const known = proved.get(at)
      if (known !== undefined) {
        if (
          !publicBytesEqual(known.hash, walk.r) ||
          !sameRest(proof, k + 1, known.proof, known.next)
        ) {
          return false
        }
        for (const [at, hash, next] of walked) proved.set(at, { hash, proof, next })
        return true
      }
      walked.push([at, walk.r, k + 1])
    }
    if (walk.sn !== 0 || root.length !== HASH_SIZE || !bytesEqual(walk.r, root)) return false
    for (const [at, hash, next] of walked) proved.set(at, { hash, proof, next })
    return true
  }
}
