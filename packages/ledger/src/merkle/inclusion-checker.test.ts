import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { MerkleTree } from './tree.js'
import { createInclusionChecker, verifyInclusion } from './verify-inclusion.js'

const MAX = 200
const tree = new MerkleTree()
for (let i = 0; i < MAX; i++) tree.append(randomBytes(8))

const flip = (bytes: Uint8Array, bit: number) => {
  const out = new Uint8Array(bytes)
  const at = Math.floor(bit / 8) % out.length
  out[at] = (out[at] as number) ^ (1 << (bit % 8))
  return out
}

/** Every leaf of the tree of `size`, in the order given by `order`. */
function allProofs(size: number) {
  return Array.from({ length: size }, (_, index) => ({
    index,
    leaf: tree.leafHash(index),
    proof: tree.inclusionProof(index, size),
  }))
}

test('a checker accepts every proof of its tree, in any order, hashing shared nodes once', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: MAX }), fc.integer(), (size, seed) => {
      const items = allProofs(size)
      const order = items.map((_, i) => i).sort((a, b) => ((a * seed) % 97) - ((b * seed) % 97))
      const check = createInclusionChecker(size, tree.root(size))
      for (const i of order) {
        const { index, leaf, proof } = items[i] as (typeof items)[number]
        assert.equal(check(leaf, index, proof), true)
      }
    }),
    { numRuns: 60 },
  )
})

test('a checker answers exactly as verifyInclusion for tampered proofs met after valid ones', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 2, max: MAX })
        .chain((size) =>
          fc.tuple(
            fc.constant(size),
            fc.integer({ min: 0, max: size - 1 }),
            fc.integer({ min: 0, max: 1_000_000 }),
            fc.constantFrom('path', 'leaf', 'index', 'extra', 'missing', 'size'),
          ),
        ),
      ([size, index, bit, how]) => {
        const root = tree.root(size)
        const check = createInclusionChecker(size, root)
        // Prove every other leaf first, so the tampered walk meets remembered nodes on its way up.
        for (const item of allProofs(size))
          if (item.index !== index) check(item.leaf, item.index, item.proof)
        let leaf = tree.leafHash(index)
        let proof = tree.inclusionProof(index, size)
        let at = index
        if (how === 'path' && proof.length > 0) {
          const k = bit % proof.length
          proof = proof.map((p, i) => (i === k ? flip(p, bit) : p))
        } else if (how === 'leaf') leaf = flip(leaf, bit)
        else if (how === 'index') at = (index + 1 + (bit % (size - 1))) % size
        else if (how === 'extra') proof = [...proof, randomBytes(32)]
        else if (how === 'missing') proof = proof.slice(0, -1)
        else if (how === 'size') proof = tree.inclusionProof(index, Math.max(index + 1, size - 1))
        assert.equal(check(leaf, at, proof), verifyInclusion(leaf, at, size, proof, root))
      },
    ),
    { numRuns: 300 },
  )
})

test('a checker refuses everything when given a root that is not the tree’s', () => {
  const size = 37
  const check = createInclusionChecker(size, randomBytes(32))
  for (const { index, leaf, proof } of allProofs(size))
    assert.equal(check(leaf, index, proof), false)
})
