import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeStrict } from '../cbor/decode.js'
import { encodeDeterministic } from '../cbor/encode.js'
import type { Label } from '../cbor/label-map.js'
import { decodeSign1, encodeSign1, signSign1 } from '../cose/sign1.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { MerkleTree } from '../merkle/tree.js'
import { hashPreimage } from '../statement/hash-envelope.js'
import { statementLeafHash } from '../statement/leaf.js'
import { createSignedStatement } from '../statement/signed-statement.js'
import {
  createConsistencyReceiptFromTree,
  verifyConsistencyReceipt,
} from './consistency-receipt.js'
import { createReceipt, createReceiptFromTree, verifyReceipt } from './inclusion-receipt.js'
import { attachReceipt, receiptsOf, verifyTransparentStatement } from './transparent-statement.js'

const LOG = 'https://ledger.example'
const issuerKey = generateSigningKey()
const logKey = generateSigningKey()
const logKeys = [{ ...publicPart(logKey), iss: LOG }]
const issuerKeys = [publicPart(issuerKey)]
const signer = { issuer: LOG, key: logKey, issuedAt: new Date('2026-05-04T10:00:05Z') }

const statements = Array.from({ length: 13 }, (_, i) =>
  createSignedStatement({
    payloadHash: hashPreimage(new TextEncoder().encode(`event ${i}`)),
    preimageContentType: 'application/vcon-lifecycle+json',
    iss: 'https://issuer.example',
    sub: `urn:uuid:0190e5a8-7c4b-8d2e-9f10-${String(i).padStart(12, '0')}`,
    iat: new Date('2026-05-04T10:00:00Z'),
    key: issuerKey,
  }),
)
const tree = new MerkleTree()
for (const s of statements) tree.appendLeafHash(statementLeafHash(s))

const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

/** The receipt with its unprotected header replaced (the part a network attacker can rewrite freely). */
function withUnprotected(receipt: Uint8Array, unprotected: Map<Label, unknown>): Uint8Array {
  return encodeSign1({ ...decodeSign1(receipt), unprotectedHeader: unprotected })
}

function withProof(receipt: Uint8Array, proof: unknown[]): Uint8Array {
  return withUnprotected(receipt, new Map([[396, new Map([[-1, [encodeDeterministic(proof)]]])]]))
}

describe('receipts of inclusion (RFC 9942 §5.2)', () => {
  test('every entry of a 13-leaf log gets a receipt that verifies from its statement', () => {
    statements.forEach((statement, index) => {
      const receipt = createReceiptFromTree(tree, index, signer)
      const verified = verifyReceipt(receipt, { statement, logKeys, issuer: LOG })
      assert.equal(verified.leafIndex, index)
      assert.equal(verified.treeSize, 13)
      assert.equal(toHex(verified.root), toHex(tree.root()))
      assert.equal(verified.iss, LOG)
      assert.equal(verified.iat, Date.parse('2026-05-04T10:00:05Z') / 1000)
    })
  })

  test('layout: vds 395 = 1 protected, one bstr-wrapped proof under 396 / -1, detached payload', () => {
    const receipt = createReceiptFromTree(tree, 4, signer)
    const message = decodeSign1(receipt)
    assert.equal(message.tagged, true)
    assert.deepEqual([...message.protectedHeader.keys()], [1, 4, 15, 16, 395])
    assert.equal(message.protectedHeader.get(395), 1)
    assert.equal(message.protectedHeader.get(16), 'application/scitt-receipt+cose')
    assert.equal(message.payload, null)
    const vdp = message.unprotectedHeader.get(396) as Map<number, unknown[]>
    assert.deepEqual([...vdp.keys()], [-1])
    const [size, index, path] = decodeStrict(vdp.get(-1)?.[0] as Uint8Array) as [
      number,
      number,
      Uint8Array[],
    ]
    assert.equal(size, 13)
    assert.equal(index, 4)
    assert.deepEqual(path.map(toHex), tree.inclusionProof(4).map(toHex))
  })

  test('a one-entry log gives an empty path, which verifies', () => {
    const single = new MerkleTree()
    single.appendLeafHash(statementLeafHash(statements[0] as Uint8Array))
    const receipt = createReceiptFromTree(single, 0, signer)
    assert.equal(
      verifyReceipt(receipt, { statement: statements[0], logKeys }).inclusionPath.length,
      0,
    )
  })

  test('the receipt of one statement does not verify for another', () => {
    const receipt = createReceiptFromTree(tree, 3, signer)
    assert.throws(
      () => verifyReceipt(receipt, { statement: statements[4], logKeys }),
      code('LEDGER_SIGNATURE_INVALID'),
    )
  })

  test('rewriting the unsigned proof is caught: path, index, size, lengths', () => {
    const receipt = createReceiptFromTree(tree, 5, signer)
    const path = tree.inclusionProof(5)
    const flipped = path.map((p, i) =>
      i === 1 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 1 : b)) : p,
    )
    const leaf = statementLeafHash(statements[5] as Uint8Array)
    const cases: [string, unknown[], LedgerErrorCode][] = [
      ['flipped path element', [13, 5, flipped], 'LEDGER_SIGNATURE_INVALID'],
      ['other index', [13, 4, path], 'LEDGER_SIGNATURE_INVALID'],
      ['index = size', [13, 13, path], 'LEDGER_PROOF_INVALID'],
      ['extra element', [13, 5, [...path, path[0]]], 'LEDGER_PROOF_INVALID'],
      ['missing element', [13, 5, path.slice(1)], 'LEDGER_PROOF_INVALID'],
      ['short hash', [13, 5, [...path.slice(0, -1), new Uint8Array(31)]], 'LEDGER_PROOF_INVALID'],
      ['two elements only', [13, 5], 'LEDGER_PROOF_INVALID'],
      ['size as text', ['13', 5, path], 'LEDGER_PROOF_INVALID'],
    ]
    for (const [name, proof, expected] of cases) {
      assert.throws(
        () => verifyReceipt(withProof(receipt, proof), { leafHash: leaf, logKeys }),
        code(expected),
        name,
      )
    }
  })

  test('structural refusals: vds, payload, proof counts, keys, issuer, tag', () => {
    const leafHash = statementLeafHash(statements[2] as Uint8Array)
    const receipt = createReceiptFromTree(tree, 2, signer)
    const proof = (decodeSign1(receipt).unprotectedHeader.get(396) as Map<number, unknown[]>).get(
      -1,
    )?.[0]
    const signed = (protectedHeader: [Label, unknown][], detached = true) =>
      signSign1({
        key: logKey,
        protectedHeader: new Map(protectedHeader),
        unprotectedHeader: new Map([[396, new Map([[-1, [proof]]])]]),
        payload: tree.root(),
        detached,
      })
    const claims = new Map([[1, LOG]])
    const cases: [string, Uint8Array, LedgerErrorCode][] = [
      [
        'vds 2 (CCF)',
        signed([
          [15, claims],
          [395, 2],
        ]),
        'LEDGER_VDS_UNSUPPORTED',
      ],
      ['no vds', signed([[15, claims]]), 'LEDGER_VDS_UNSUPPORTED'],
      ['no CWT claims', signed([[395, 1]]), 'LEDGER_PROOF_INVALID'],
      [
        'attached payload',
        signed(
          [
            [15, claims],
            [395, 1],
          ],
          false,
        ),
        'LEDGER_PROOF_INVALID',
      ],
      [
        'two proofs',
        withUnprotected(receipt, new Map([[396, new Map([[-1, [proof, proof]]])]])),
        'LEDGER_PROOF_INVALID',
      ],
      [
        'a consistency proof too',
        withUnprotected(
          receipt,
          new Map([
            [
              396,
              new Map([
                [-1, [proof]],
                [-2, [proof]],
              ]),
            ],
          ]),
        ),
        'LEDGER_PROOF_INVALID',
      ],
      ['no proofs', withUnprotected(receipt, new Map()), 'LEDGER_PROOF_INVALID'],
      ['untagged', encodeSign1(decodeSign1(receipt), false), 'LEDGER_COSE_MALFORMED'],
    ]
    for (const [name, bytes, expected] of cases) {
      assert.throws(() => verifyReceipt(bytes, { leafHash, logKeys }), code(expected), name)
    }
    // A well-formed receipt built by hand with the same headers verifies: the cases above fail for their reason.
    verifyReceipt(
      signed([
        [15, claims],
        [395, 1],
      ]),
      { leafHash, logKeys },
    )
    assert.throws(
      () => verifyReceipt(receipt, { leafHash, logKeys: [generateSigningKey()] }),
      code('LEDGER_KEY_UNKNOWN'),
    )
    assert.throws(
      () => verifyReceipt(receipt, { leafHash, logKeys, issuer: 'https://other.example' }),
      code('LEDGER_PROOF_INVALID'),
    )
    assert.throws(
      () =>
        verifyReceipt(receipt, {
          leafHash,
          logKeys: [{ ...publicPart(logKey), iss: 'https://other.example' }],
        }),
      code('LEDGER_PROOF_INVALID'),
    )
    assert.throws(() => verifyReceipt(receipt, { logKeys }), code('LEDGER_BAD_ARGUMENT'))
  })

  test('createReceipt refuses a path that does not lead to the given root', () => {
    const leafHash = tree.leafHash(1)
    const base = {
      ...signer,
      treeSize: 13,
      leafIndex: 1,
      leafHash,
      inclusionPath: tree.inclusionProof(1),
      root: tree.root(),
    }
    assert.throws(
      () => createReceipt({ ...base, inclusionPath: tree.inclusionProof(2) }),
      code('LEDGER_BAD_ARGUMENT'),
    )
    assert.throws(
      () => createReceipt({ ...base, root: tree.root(12) }),
      code('LEDGER_BAD_ARGUMENT'),
    )
    createReceipt(base)
  })
})

describe('receipts of consistency (RFC 9942 §5.3)', () => {
  test('from every older size to the current one', () => {
    for (let size1 = 1; size1 < 13; size1++) {
      const receipt = createConsistencyReceiptFromTree(tree, size1, signer)
      const verified = verifyConsistencyReceipt(receipt, {
        root1: tree.root(size1),
        treeSize1: size1,
        logKeys,
        issuer: LOG,
      })
      assert.equal(verified.treeSize2, 13)
      assert.equal(toHex(verified.root2), toHex(tree.root()))
    }
  })

  test('a different old root, a different old size, or an inclusion receipt are refused', () => {
    const receipt = createConsistencyReceiptFromTree(tree, 5, signer)
    assert.throws(
      () => verifyConsistencyReceipt(receipt, { root1: tree.root(6), logKeys }),
      code('LEDGER_PROOF_INVALID'),
    )
    assert.throws(
      () => verifyConsistencyReceipt(receipt, { root1: tree.root(5), treeSize1: 6, logKeys }),
      code('LEDGER_PROOF_INVALID'),
    )
    const inclusion = createReceiptFromTree(tree, 5, signer)
    assert.throws(
      () => verifyConsistencyReceipt(inclusion, { root1: tree.root(5), logKeys }),
      code('LEDGER_PROOF_INVALID'),
    )
    assert.throws(
      () => verifyReceipt(receipt, { leafHash: tree.leafHash(5), logKeys }),
      code('LEDGER_PROOF_INVALID'),
    )
  })

  test('a consistency receipt to a forked tree does not verify', () => {
    const fork = new MerkleTree()
    fork.appendLeafHashes(Array.from({ length: 5 }, (_, i) => tree.leafHash(i)))
    fork.append(new Uint8Array([9]))
    const receipt = createConsistencyReceiptFromTree(fork, 5, signer)
    // Same prefix: consistent with our size-5 root; but its newer root is not ours.
    const verified = verifyConsistencyReceipt(receipt, { root1: tree.root(5), logKeys })
    assert.notEqual(toHex(verified.root2), toHex(tree.root(6)))
    // A tree that rewrote entry 2 is not consistent with our size-5 root.
    const rewritten = new MerkleTree()
    rewritten.appendLeafHashes([0, 1, 3, 3, 4, 5].map((i) => tree.leafHash(i)))
    assert.throws(
      () =>
        verifyConsistencyReceipt(createConsistencyReceiptFromTree(rewritten, 5, signer), {
          root1: tree.root(5),
          logKeys,
        }),
      code('LEDGER_PROOF_INVALID'),
    )
  })
})

describe('transparent statements (394)', () => {
  test('attach receipts, verify one verdict per receipt', () => {
    const other = generateSigningKey()
    const statement = statements[7] as Uint8Array
    const good = createReceiptFromTree(tree, 7, signer)
    const unknownLog = createReceiptFromTree(tree, 7, { ...signer, key: other })
    const wrongEntry = createReceiptFromTree(tree, 8, signer)
    let transparent = attachReceipt(statement, good)
    transparent = attachReceipt(transparent, unknownLog)
    transparent = attachReceipt(transparent, wrongEntry)
    assert.equal(receiptsOf(transparent).length, 3)
    const verdict = verifyTransparentStatement(transparent, { issuerKeys, logKeys, logIssuer: LOG })
    assert.equal(verdict.valid, false)
    assert.deepEqual(
      verdict.receipts.map((r) => (r.valid ? 'ok' : r.code)),
      ['ok', 'LEDGER_KEY_UNKNOWN', 'LEDGER_SIGNATURE_INVALID'],
    )
    const failed = verdict.receipts[1]
    assert.ok(failed && !failed.valid && failed.reason.includes('kid'))
    assert.equal(toHex(verdict.leafHash), toHex(statementLeafHash(statement)))
    const onlyGood = verifyTransparentStatement(attachReceipt(statement, good), {
      issuerKeys,
      logKeys,
    })
    assert.equal(onlyGood.valid, true)
    assert.equal(onlyGood.statement.iss, 'https://issuer.example')
  })

  test('attaching does not touch the signed parts, so the leaf stays the same', () => {
    const statement = statements[0] as Uint8Array
    const transparent = attachReceipt(statement, createReceiptFromTree(tree, 0, signer))
    assert.equal(toHex(statementLeafHash(transparent)), toHex(statementLeafHash(statement)))
    const a = decodeSign1(statement)
    const b = decodeSign1(transparent)
    assert.deepEqual(
      [b.protectedBytes, b.payload, b.signature],
      [a.protectedBytes, a.payload, a.signature],
    )
  })

  test('no receipts is not valid; foreign and malformed entries get their own verdicts', () => {
    const statement = statements[1] as Uint8Array
    assert.equal(verifyTransparentStatement(statement, { issuerKeys, logKeys }).valid, false)
    const message = decodeSign1(attachReceipt(statement, createReceiptFromTree(tree, 1, signer)))
    const receipts = message.unprotectedHeader.get(394) as unknown[]
    const ccf = signSign1({
      key: logKey,
      protectedHeader: new Map<Label, unknown>([
        [15, new Map([[1, LOG]])],
        [395, 2],
      ]),
      payload: new Uint8Array(32),
      detached: true,
    })
    const odd = encodeSign1({
      ...message,
      unprotectedHeader: new Map([[394, [...receipts, ccf, 'not bytes']]]),
    })
    const verdict = verifyTransparentStatement(odd, { issuerKeys, logKeys })
    assert.deepEqual(
      verdict.receipts.map((r) => (r.valid ? 'ok' : r.code)),
      ['ok', 'LEDGER_VDS_UNSUPPORTED', 'LEDGER_COSE_MALFORMED'],
    )
  })

  test('a statement that does not verify throws: its receipts mean nothing', () => {
    const transparent = attachReceipt(
      statements[2] as Uint8Array,
      createReceiptFromTree(tree, 2, signer),
    )
    assert.throws(
      () =>
        verifyTransparentStatement(transparent, { issuerKeys: [generateSigningKey()], logKeys }),
      code('LEDGER_KEY_UNKNOWN'),
    )
    assert.throws(
      () => attachReceipt(statements[2] as Uint8Array, new Uint8Array([1])),
      code('LEDGER_COSE_MALFORMED'),
    )
  })
})
