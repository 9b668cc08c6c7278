import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isLedgerError } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { leafHash, nodeHash } from './hash.js'
import { MemoryNodeStore, type NodeStore } from './node-store.js'
import {
  consistencyPath,
  inclusionPath,
  type NodeReader,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  nodesForRoot,
  rootOf,
} from './proofs.js'
import { merkleTreeHash } from './reference-mth.js'
import { MerkleTree } from './tree.js'
import { rootFromConsistencyProof, verifyConsistency } from './verify-consistency.js'
import { rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js'

const MAX = 300
const leaves = Array.from({ length: MAX }, (_, i) => randomBytes(i % 7))
const store = new MemoryNodeStore()
const tree = new MerkleTree(store)
for (const leaf of leaves) tree.append(leaf)

const flip = (bytes: Uint8Array, bit: number) => {
  const out = new Uint8Array(bytes)
  const at = Math.floor(bit / 8) % out.length
  out[at] = (out[at] as number) ^ (1 << (bit % 8))
  return out
}

/** The largest power of two below n (RFC 9162 §2.1.1's k), for n > 1. */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1))

/**
 * The shape of PATH(m, D[n]) as RFC 9162 §2.1.3.1 defines it, leaf first: R where the sibling subtree is on the
 * right (m < k), L where it is on the left. It is built from the definition, not from the verifier, so it can
 * judge the verifier: §2.1.3.2 combines the i-th proof element on the side the i-th letter says, and nothing
 * else about the size enters the hashes.
 */
function inclusionShape(m: number, n: number): string {
  if (n === 1) return ''
  const k = split(n)
  return m < k ? `${inclusionShape(m, k)}R` : `${inclusionShape(m - k, n - k)}L`
}

/**
 * The shape of SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1, first element first: '' when the walk ends on the old
 * tree itself (b true: the verifier seeds with root1, §2.1.4.2 step 2), N when it ends on a node the proof
 * carries, then R / L for each sibling on the right / left. §2.1.4.2 folds the elements into the old root only
 * at L and into the new root at every letter, so two size pairs with the same shape compute the same roots.
 */
function consistencyShape(m: number, n: number, b = true): string {
  if (m === n) return b ? '' : 'N'
  const k = split(n)
  return m <= k ? `${consistencyShape(m, k, b)}R` : `${consistencyShape(m - k, n - k, false)}L`
}

/** Another tree size: n with one bit flipped (may be 0 or past the tree), or any size up to 2^20. */
const otherSize = (n: number) =>
  fc.oneof(
    fc.nat(20).map((bit) => n ^ (1 << bit)),
    fc.integer({ min: 1, max: 2 ** 20 }),
  )

const sizeAndIndex = fc
  .integer({ min: 1, max: MAX })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))
const sizes = fc
  .integer({ min: 1, max: MAX })
  .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)))

describe('MerkleTree roots', () => {
  test('root(m) equals the literal RFC 9162 §2.1.1 recursion for every m up to 300', () => {
    for (let m = 0; m <= MAX; m++) {
      assert.equal(toHex(tree.root(m)), toHex(merkleTreeHash(leaves.slice(0, m))), `size ${m}`)
    }
  })

  test('a tree reopened over the same store has the same root and proofs (no lost nodes)', () => {
    const reopened = new MerkleTree(store)
    assert.equal(reopened.size, MAX)
    assert.equal(toHex(reopened.root()), toHex(tree.root()))
    assert.deepEqual(
      reopened.inclusionProof(3, 200).map(toHex),
      tree.inclusionProof(3, 200).map(toHex),
    )
    reopened.append(new Uint8Array([1]))
    const fresh = new MerkleTree()
    fresh.appendLeafHashes([...leaves.map(leafHash), leafHash(new Uint8Array([1]))])
    assert.equal(toHex(reopened.root()), toHex(fresh.root()))
  })

  test('batch appends give the same tree as single appends', () => {
    const batch = new MerkleTree()
    assert.equal(batch.appendLeafHashes(leaves.slice(0, 150).map(leafHash)), 0)
    assert.equal(batch.appendLeafHashes(leaves.slice(150).map(leafHash)), 150)
    assert.equal(toHex(batch.root()), toHex(tree.root()))
    assert.equal(toHex(batch.leafHash(299)), toHex(leafHash(leaves[299] as Uint8Array)))
  })
})

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  test('every proof the tree produces verifies, for random sizes and indices', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([n, m]) => {
        const proof = tree.inclusionProof(m, n)
        assert.equal(verifyInclusion(tree.leafHash(m), m, n, proof, tree.root(n)), true)
      }),
      { numRuns: 500 },
    )
  })

  test('a single-bit flip in a proof element, the root or the leaf hash fails', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(255), ([n, m], which, bit) => {
        const proof = tree.inclusionProof(m, n)
        const leaf = tree.leafHash(m)
        const root = tree.root(n)
        assert.equal(verifyInclusion(flip(leaf, bit), m, n, proof, root), false)
        assert.equal(verifyInclusion(leaf, m, n, proof, flip(root, bit)), false)
        if (proof.length > 0) {
          const i = which % proof.length
          const bad = proof.map((p, j) => (j === i ? flip(p, bit) : p))
          assert.equal(verifyInclusion(leaf, m, n, bad, root), false)
        }
      }),
      { numRuns: 500 },
    )
  })

  test('another index fails; another size fails against the root of that size', () => {
    fc.assert(
      fc.property(
        sizeAndIndex,
        fc.integer({ min: 0, max: MAX }),
        fc.integer({ min: 1, max: MAX }),
        ([n, m], m2, n2) => {
          const proof = tree.inclusionProof(m, n)
          const leaf = tree.leafHash(m)
          if (m2 !== m) assert.equal(verifyInclusion(leaf, m2, n, proof, tree.root(n)), false)
          if (n2 !== n) assert.equal(verifyInclusion(leaf, m, n2, proof, tree.root(n2)), false)
        },
      ),
      { numRuns: 500 },
    )
  })

  test('size alone is not bound by an inclusion proof: (0, 3) and (0, 4) walk the same path', () => {
    // RFC 9162 §2.1.3.2 consumes both proofs with the same left/right steps, so a proof for size 3 also
    // "verifies" as size 4 against the size-3 root. Receipts sign only the root (RFC 9942): trust sizes from
    // signed checkpoints, which bind size and root together.
    const proof = tree.inclusionProof(0, 3)
    assert.equal(inclusionShape(0, 3), inclusionShape(0, 4))
    assert.equal(verifyInclusion(tree.leafHash(0), 0, 4, proof, tree.root(3)), true)
    assert.equal(verifyInclusion(tree.leafHash(0), 0, 4, proof, tree.root(4)), false)
  })

  test('another size with a different path shape fails against the unchanged root', () => {
    // The attack the exception above leaves open is narrow: RFC 9162 §2.1.3.2 binds the size through the walk
    // it prescribes (step 4's left/right choices and step 5's "sn is 0"), so any size whose §2.1.3.1 path has
    // another length or another direction anywhere fails. Only a size with the very same shape verifies, and
    // that is the documented exception, asserted here too so the oracle and the verifier cannot drift apart.
    fc.assert(
      fc.property(
        sizeAndIndex.chain(([n, m]) => fc.tuple(fc.constant(n), fc.constant(m), otherSize(n))),
        ([n, m, n2]) => {
          fc.pre(n2 !== n)
          const proof = tree.inclusionProof(m, n)
          const sameShape = m < n2 && inclusionShape(m, n2) === inclusionShape(m, n)
          assert.equal(inclusionShape(m, n).length, proof.length)
          assert.equal(
            verifyInclusion(tree.leafHash(m), m, n2, proof, tree.root(n)),
            sameShape,
            `index ${m}: size ${n} (${inclusionShape(m, n)}) presented as ${n2}`,
          )
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('exhaustively for small trees: a proof verifies at another size exactly when the shape is the same', () => {
    let exceptions = 0
    for (let n = 1; n <= 32; n++) {
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n)
        for (let n2 = m + 1; n2 <= 64; n2++) {
          if (n2 === n) continue
          const same = inclusionShape(m, n2) === inclusionShape(m, n)
          if (same) exceptions++
          const ok = verifyInclusion(tree.leafHash(m), m, n2, proof, tree.root(n))
          assert.equal(ok, same, `(${m}, ${n}) as size ${n2}`)
        }
      }
    }
    // The exception is real (e.g. (0, 3) as size 4), not an artefact of an oracle that never says "same".
    assert.ok(exceptions > 0)
  })

  test('extra, missing or wrong-length elements fail', () => {
    const proof = tree.inclusionProof(5, 77)
    const leaf = tree.leafHash(5)
    const root = tree.root(77)
    assert.equal(verifyInclusion(leaf, 5, 77, [...proof, root], root), false)
    assert.equal(verifyInclusion(leaf, 5, 77, proof.slice(1), root), false)
    assert.equal(
      verifyInclusion(leaf, 5, 77, [...proof.slice(0, -1), new Uint8Array(31)], root),
      false,
    )
    assert.equal(verifyInclusion(leaf.subarray(1), 5, 77, proof, root), false)
    assert.equal(rootFromInclusionProof(leaf, 77, 77, proof), undefined)
    assert.equal(rootFromInclusionProof(leaf, -1, 77, proof), undefined)
    assert.equal(rootFromInclusionProof(leaf, 1.5, 77, proof), undefined)
  })

  test('an element past the top of the tree fails even against the root it would lead to', () => {
    // RFC 9162 §2.1.3.2 step 4a: once sn is 0 the path is spent, so a longer proof must fail outright. Without
    // 4a the extra element would fold in as a left sibling and the proof would "verify" against that new root.
    const proof = tree.inclusionProof(5, 77)
    const extra = new Uint8Array(32).fill(7)
    const taller = nodeHash(extra, tree.root(77))
    assert.equal(verifyInclusion(tree.leafHash(5), 5, 77, [...proof, extra], taller), false)
  })
})

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  test('every proof the tree produces verifies, for random size pairs', () => {
    fc.assert(
      fc.property(sizes, ([m, n]) => {
        const proof = tree.consistencyProof(m, n)
        assert.equal(verifyConsistency(m, n, proof, tree.root(m), tree.root(n)), true)
        assert.equal(
          toHex(rootFromConsistencyProof(m, n, proof, tree.root(m)) ?? new Uint8Array()),
          toHex(tree.root(n)),
        )
      }),
      { numRuns: 500 },
    )
  })

  test('a single-bit flip in a proof element or either root fails', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.nat(255), ([m, n], which, bit) => {
        fc.pre(m < n)
        const proof = tree.consistencyProof(m, n)
        const r1 = tree.root(m)
        const r2 = tree.root(n)
        assert.equal(verifyConsistency(m, n, proof, flip(r1, bit), r2), false)
        assert.equal(verifyConsistency(m, n, proof, r1, flip(r2, bit)), false)
        const i = which % proof.length
        const bad = proof.map((p, j) => (j === i ? flip(p, bit) : p))
        assert.equal(verifyConsistency(m, n, bad, r1, r2), false)
      }),
      { numRuns: 500 },
    )
  })

  test('other sizes fail against the roots of those sizes', () => {
    fc.assert(
      fc.property(
        sizes,
        fc.integer({ min: 0, max: MAX }),
        fc.integer({ min: 0, max: MAX }),
        ([m, n], m2, n2) => {
          fc.pre(m < n)
          const proof = tree.consistencyProof(m, n)
          if (m2 !== m)
            assert.equal(verifyConsistency(m2, n, proof, tree.root(m2), tree.root(n)), false)
          if (n2 !== n)
            assert.equal(verifyConsistency(m, n2, proof, tree.root(m), tree.root(n2)), false)
        },
      ),
      { numRuns: 500 },
    )
  })

  test('a single-bit change of tree_size1 fails with the roots unchanged', () => {
    // Given size2, the shape of SUBPROOF (RFC 9162 §2.1.4.1) determines size1: replaying it from n, each R
    // descends to (m, k), each L adds k to m and descends to (m - k, n - k), and the walk ends where m equals
    // what is left. So any other size1 means another shape, and §2.1.4.2 step 7 no longer rebuilds root1 (nor
    // root2). Unlike size2 below, size1 is always bound.
    fc.assert(
      fc.property(sizes, fc.nat(30), ([m, n], bit) => {
        const m2 = m ^ (1 << bit)
        const proof = tree.consistencyProof(m, n)
        if (m2 > 0 && m2 <= n) assert.notEqual(consistencyShape(m2, n), consistencyShape(m, n))
        assert.equal(verifyConsistency(m2, n, proof, tree.root(m), tree.root(n)), false)
      }),
      { numRuns: 1000 },
    )
  })

  test('a single-bit change of tree_size2 fails unless the walk is the same (the size is then unbound)', () => {
    // As with inclusion proofs, §2.1.4.2 reads size2 only through the walk: (1, 5) and (1, 7) have the same
    // shape RRR, so the proof from 1 to 5 also "verifies" from 1 to 7 with root(1) and root(5). What binds
    // size2 to root2 is the log's signature over the two together (a signed checkpoint, which `vcon audit
    // history` compares the proven root with), never the proof alone.
    assert.equal(consistencyShape(1, 5), consistencyShape(1, 7))
    const example = tree.consistencyProof(1, 5)
    assert.equal(verifyConsistency(1, 7, example, tree.root(1), tree.root(5)), true)
    fc.assert(
      fc.property(
        sizes.chain(([m, n]) => fc.tuple(fc.constant(m), fc.constant(n), fc.nat(30))),
        ([m, n, bit]) => {
          fc.pre(m < n)
          const n2 = n ^ (1 << bit)
          const proof = tree.consistencyProof(m, n)
          const sameShape = m < n2 && consistencyShape(m, n2) === consistencyShape(m, n)
          assert.equal(
            verifyConsistency(m, n2, proof, tree.root(m), tree.root(n)),
            sameShape,
            `(${m}, ${n}) presented as (${m}, ${n2})`,
          )
        },
      ),
      { numRuns: 1000 },
    )
  })

  test('exhaustively for small trees: another size2 verifies exactly when the shape is the same', () => {
    let exceptions = 0
    for (let n = 2; n <= 32; n++) {
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n)
        for (let n2 = m + 1; n2 <= 64; n2++) {
          if (n2 === n) continue
          const same = consistencyShape(m, n2) === consistencyShape(m, n)
          if (same) exceptions++
          const ok = verifyConsistency(m, n2, proof, tree.root(m), tree.root(n))
          assert.equal(ok, same, `(${m}, ${n}) as (${m}, ${n2})`)
        }
      }
    }
    assert.ok(exceptions > 0)
  })

  test('the tree refuses proofs from size 0 and past its size', () => {
    const bad = (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_BAD_ARGUMENT'
    assert.throws(() => tree.consistencyProof(0, 5), bad)
    assert.throws(() => tree.consistencyProof(6, 5), bad)
    assert.throws(() => tree.consistencyProof(1, MAX + 1), bad)
    assert.throws(() => tree.inclusionProof(5, 5), bad)
    assert.throws(() => tree.root(MAX + 1), bad)
    assert.deepEqual(tree.consistencyProof(7, 7), [])
  })
})

describe('node stores', () => {
  test('a rejected commit changes nothing', () => {
    const s = new MemoryNodeStore()
    const t = new MerkleTree(s)
    t.append(new Uint8Array([1]))
    assert.throws(
      () =>
        s.commit(
          [
            { level: 0, index: 1, hash: new Uint8Array(32) },
            { level: 0, index: 5, hash: new Uint8Array(32) },
          ],
          2,
        ),
      (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_STORE_CORRUPT',
    )
    assert.equal(s.leafCount(), 1)
    assert.equal(s.getNode(0, 1), undefined)
    assert.throws(
      () => s.commit([], 0),
      (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_STORE_CORRUPT',
    )
  })

  test('a store whose count runs ahead of its nodes is reported as corrupt', () => {
    const broken: NodeStore = {
      leafCount: () => 3,
      getNode: () => undefined,
      commit: () => undefined,
    }
    assert.throws(
      () => new MerkleTree(broken),
      (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_STORE_CORRUPT',
    )
  })

  test('nodesFor* list exactly the nodes a computation reads, so a database can prefetch them', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), ([m, n], seed) => {
        const index = seed % n
        const only = (addresses: { level: number; index: number }[]): NodeReader => {
          const allowed = new Set(addresses.map((a) => `${a.level}/${a.index}`))
          return (level, i) => {
            assert.ok(allowed.has(`${level}/${i}`), `read of unplanned node ${level}/${i}`)
            return store.getNode(level, i) as Uint8Array
          }
        }
        assert.equal(toHex(rootOf(only(nodesForRoot(n)), n)), toHex(tree.root(n)))
        assert.deepEqual(
          inclusionPath(only(nodesForInclusionProof(index, n)), index, n).map(toHex),
          tree.inclusionProof(index, n).map(toHex),
        )
        if (m < n) {
          assert.deepEqual(
            consistencyPath(only(nodesForConsistencyProof(m, n)), m, n).map(toHex),
            tree.consistencyProof(m, n).map(toHex),
          )
        }
        assert.ok(nodesForInclusionProof(index, n).length <= 2 * Math.ceil(Math.log2(n + 1)) + 1)
      }),
      { numRuns: 200 },
    )
  })
})
