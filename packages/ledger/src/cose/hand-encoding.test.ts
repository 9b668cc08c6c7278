import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { encodeDeterministic } from '../cbor/encode.js'
import type { Label } from '../cbor/label-map.js'
import { encodeInclusionReceipt } from '../receipt/inclusion-receipt.js'
import { encodeConsistencyProof, encodeInclusionProof } from '../receipt/proof-codec.js'
import { HEADER, VDP } from './header-labels.js'
import { encodeSign1 } from './sign1.js'

/** Byte equality shown as hex (the generic encoder may answer a Buffer, the hand-written ones a Uint8Array). */
const same = (actual: Uint8Array, expected: Uint8Array) =>
  assert.equal(Buffer.from(actual).toString('hex'), Buffer.from(expected).toString('hex'))

// The log writes COSE_Sign1 arrays, receipts and proofs by hand for speed; these properties pin them to the
// generic deterministic encoder (RFC 8949 §4.2.1), byte for byte.

const bytes = (max: number) => fc.uint8Array({ maxLength: max })
const count = fc.oneof(
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 0, max: 70_000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
)
const hashes = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 })

test('COSE_Sign1: the hand-written array equals the generic encoding, tagged or not', () => {
  fc.assert(
    fc.property(
      bytes(300),
      fc.option(bytes(400), { nil: null }),
      bytes(96),
      fc.array(fc.tuple(fc.integer({ min: -300, max: 300 }), bytes(40)), { maxLength: 4 }),
      fc.boolean(),
      (protectedBytes, payload, signature, pairs, tagged) => {
        const unprotectedHeader = new Map<Label, unknown>(pairs)
        const generic = encodeDeterministic([protectedBytes, unprotectedHeader, payload, signature])
        const expected = tagged ? Uint8Array.of(0xd2, ...generic) : generic
        const parts = { protectedBytes, unprotectedHeader, payload, signature }
        same(encodeSign1(parts, tagged), expected)
      },
    ),
  )
})

test('proofs: the hand-written triples equal the generic encoding', () => {
  fc.assert(
    fc.property(count, count, hashes, (a, b, path) => {
      same(
        encodeInclusionProof({ treeSize: a, leafIndex: b, inclusionPath: path }),
        encodeDeterministic([a, b, path]),
      )
      same(
        encodeConsistencyProof({ treeSize1: a, treeSize2: b, consistencyPath: path }),
        encodeDeterministic([a, b, path]),
      )
    }),
  )
})

test('receipts of inclusion: the hand-written receipt equals encodeSign1 of {396: {-1: [proof]}}', () => {
  fc.assert(
    fc.property(bytes(120), bytes(800), bytes(96), (protectedBytes, proof, signature) => {
      const unprotectedHeader = new Map([[HEADER.vdp, new Map([[VDP.inclusion, [proof]]])]])
      same(
        encodeInclusionReceipt(protectedBytes, proof, signature),
        encodeSign1({ protectedBytes, unprotectedHeader, payload: null, signature }),
      )
    }),
  )
})
