import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, test } from 'node:test'
import { decodeSign1 } from '../cose/sign1.js'
import { createVerifyPool } from '../cose/verify-pool.js'
import { isLedgerError } from '../errors/ledger-error.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { MerkleTree } from '../merkle/tree.js'
import {
  createReceiptFromTree,
  encodeInclusionReceipt,
  verifyReceipt,
} from './inclusion-receipt.js'
import { encodeInclusionProof } from './proof-codec.js'
import { type ReceiptCheck, type ReceiptToVerify, verifyReceipts } from './receipt-verifier.js'

const logKey = generateSigningKey('ES256')
const logKeys = [publicPart(logKey)]
const signer = { issuer: 'https://ledger.example', key: logKey, issuedAt: 1777888800 }
const tree = new MerkleTree()
for (let i = 0; i < 300; i++) tree.append(randomBytes(12))
const pool = createVerifyPool({ threads: 1 })
after(() => pool.close())

/** Receipts as the log issues them: the leaves [end - n, end) under one signature over the root at `end`. */
function batchReceipts(end: number, n: number): ReceiptToVerify[] {
  const signed = decodeSign1(createReceiptFromTree(tree, end - 1, { ...signer, treeSize: end }))
  const out: ReceiptToVerify[] = []
  for (let leafIndex = end - n; leafIndex < end; leafIndex++) {
    const proof = encodeInclusionProof({
      treeSize: end,
      leafIndex,
      inclusionPath: tree.inclusionProof(leafIndex, end),
    })
    out.push({
      receipt: encodeInclusionReceipt(signed.protectedBytes, proof, signed.signature),
      leafHash: tree.leafHash(leafIndex),
    })
  }
  return out
}

/** What verifyReceipt says of one item, as a verdict. */
function oneByOne(item: ReceiptToVerify): ReceiptCheck {
  try {
    const receipt = verifyReceipt(item.receipt, {
      logKeys,
      ...(item.leafHash === undefined ? {} : { leafHash: item.leafHash }),
    })
    return { valid: true, receipt }
  } catch (error) {
    if (!isLedgerError(error)) throw error
    return { valid: false, code: error.code, reason: error.message }
  }
}

const flipByte = (bytes: Uint8Array, at: number) => {
  const out = new Uint8Array(bytes)
  out[at] = (out[at] as number) ^ 1
  return out
}

test('verdicts equal verifyReceipt one by one, for batches mixed with tampered receipts', async () => {
  const good = [...batchReceipts(300, 64), ...batchReceipts(200, 40), ...batchReceipts(77, 1)]
  const own = [10, 150, 299].map((i) => ({
    receipt: createReceiptFromTree(tree, i, signer),
    leafHash: tree.leafHash(i),
  }))
  const [first, second] = good as [ReceiptToVerify, ReceiptToVerify]
  const firstBytes = first.receipt as Uint8Array
  const tampered: ReceiptToVerify[] = [
    // Same signed batch, but the leaf of another entry: its path cannot lead to the signed root.
    { receipt: firstBytes, leafHash: second.leafHash as Uint8Array },
    // A flipped byte near the end: the signature.
    {
      receipt: flipByte(firstBytes, firstBytes.length - 3),
      leafHash: first.leafHash as Uint8Array,
    },
    // A flipped byte in the middle: a hash of the proof.
    {
      receipt: flipByte(firstBytes, Math.floor(firstBytes.length / 2)),
      leafHash: first.leafHash as Uint8Array,
    },
    // A leaf that is in no batch.
    { receipt: firstBytes, leafHash: randomBytes(32) },
    // Not a receipt at all.
    { receipt: randomBytes(40), leafHash: randomBytes(32) },
  ]
  // Tampered ones before, between and after the good ones: no verdict may depend on the order.
  const items = [...tampered, ...good, ...tampered, ...own, ...tampered.reverse()]
  for (const options of [{ logKeys }, { logKeys, pool }, { logKeys, pool, concurrency: 1 }]) {
    const verdicts = await verifyReceipts(items, options)
    assert.deepEqual(verdicts, items.map(oneByOne))
  }
  const verdicts = await verifyReceipts(items, { logKeys, pool })
  assert.equal(verdicts.filter((v) => v.valid).length, good.length + own.length)
})

test('a receipt signed by a key that is not pinned, or of another service, is refused', async () => {
  const other = generateSigningKey('ES256')
  const foreign = {
    receipt: createReceiptFromTree(tree, 5, { ...signer, key: other }),
    leafHash: tree.leafHash(5),
  }
  const [verdict] = await verifyReceipts([foreign], { logKeys, pool })
  assert.equal(verdict?.valid, false)
  assert.equal(verdict?.valid === false && verdict.code, 'LEDGER_KEY_UNKNOWN')
  const [wrongIssuer] = await verifyReceipts(batchReceipts(100, 2), {
    logKeys,
    issuer: 'https://other.example',
  })
  assert.equal(wrongIssuer?.valid === false && wrongIssuer.code, 'LEDGER_PROOF_INVALID')
})
