/**
 * @module Benchmark of the ledger core. Prints one JSON object:
 * - receipt verifications per second, beside raw node:crypto ES256 verify of the same ToBeSigned bytes and
 *   signature (the ratio says what decoding, the proof walk and the checks cost on top of the curve);
 * - `verifyReceipts` over many receipts (wall clock, both cores: signatures checked in a worker thread of a
 *   verify pool): receipts that each carry a signature of their own, and receipts as this log issues them,
 *   one signature per append batch of 512;
 * - signed statements created per second (ES256);
 * - in-memory Merkle appends per second while building a tree of 10^6 entries;
 * - inclusion and consistency proof sizes at 10^6 entries (raw path bytes, the CBOR proof of a receipt and
 *   the whole receipt), and proof generation per second.
 * Rates are operations per CPU-second of this process (median of rounds), because the machine is shared.
 * Run: npm run bench -w @vconkit/ledger
 */
import { verify } from 'node:crypto'
import { decodeSign1, sigStructure } from '../src/cose/sign1.js'
import { createVerifyPool } from '../src/cose/verify-pool.js'
import { generateSigningKey, publicPart } from '../src/keys/generate-key.js'
import { MerkleTree } from '../src/merkle/tree.js'
import { verifyInclusion } from '../src/merkle/verify-inclusion.js'
import { createConsistencyReceiptFromTree } from '../src/receipt/consistency-receipt.js'
import {
  createReceiptFromTree,
  encodeInclusionReceipt,
  verifyReceipt,
} from '../src/receipt/inclusion-receipt.js'
import { encodeConsistencyProof, encodeInclusionProof } from '../src/receipt/proof-codec.js'
import { type ReceiptToVerify, verifyReceipts } from '../src/receipt/receipt-verifier.js'
import { hashPreimage } from '../src/statement/hash-envelope.js'
import { createSignedStatement } from '../src/statement/signed-statement.js'

const ENTRIES = 1_000_000
const ROUNDS = 7
const ROUND_MS = 250

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Operations per CPU-second of `fn` over one round of about ROUND_MS. */
function opsPerSec(fn: () => unknown): number {
  let n = 0
  const start = performance.now()
  const cpu = process.cpuUsage()
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 16; i++) fn()
    n += 16
  }
  const used = process.cpuUsage(cpu)
  return (n * 1e6) / (used.user + used.system)
}

/** Interleaves rounds of several functions so that a slow moment of the machine hits them all alike. */
function compare(fns: Record<string, () => unknown>): Record<string, number> {
  for (const fn of Object.values(fns)) opsPerSec(fn)
  const rates: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) rates[name]?.push(opsPerSec(fn))
  }
  return Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(median(v))]))
}

const issuerKey = generateSigningKey('ES256')
const logKey = generateSigningKey('ES256')
const logKeys = [publicPart(logKey)]
const signer = { issuer: 'https://ledger.example', key: logKey, issuedAt: 1777888800 }

// 1. Merkle appends (in memory) while building the 10^6-entry tree.
const tree = new MerkleTree()
const leaves = Array.from({ length: 1024 }, (_, i) => new TextEncoder().encode(`leaf input ${i}`))
const cpu = process.cpuUsage()
for (let i = 0; i < ENTRIES; i++) tree.append(leaves[i % 1024] as Uint8Array)
const used = process.cpuUsage(cpu)
const appendsPerSec = Math.round((ENTRIES * 1e6) / (used.user + used.system))

// 2. A statement registered as the last entry, and its receipt at 10^6.
const statement = createSignedStatement({
  payloadHash: hashPreimage(new TextEncoder().encode('{"event":"vcon_created"}')),
  preimageContentType: 'application/vcon-lifecycle+json',
  iss: 'https://issuer.example',
  sub: 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc',
  iat: 1777888800,
  key: issuerKey,
})
const index = 123_457
const receipt = createReceiptFromTree(tree, index, signer)
const leaf = tree.leafHash(index)
const message = decodeSign1(receipt)
const tbs = sigStructure(message.protectedBytes, new Uint8Array(), tree.root())

const verifyRates = compare({
  receiptVerify: () => verifyReceipt(receipt, { leafHash: leaf, logKeys }),
  rawEs256Verify: () =>
    verify('sha256', tbs, { key: logKey.publicKey, dsaEncoding: 'ieee-p1363' }, message.signature),
})

// 2b. Many receipts through verifyReceipts: wall-clock rate over VERIFY_COUNT receipts, median of 3 runs.
const VERIFY_COUNT = 8192
const BATCH = 512
const ownSignature: ReceiptToVerify[] = []
for (let i = 0; i < VERIFY_COUNT; i++) {
  const leafIndex = (i * 97) % ENTRIES
  ownSignature.push({
    receipt: createReceiptFromTree(tree, leafIndex, signer),
    leafHash: tree.leafHash(leafIndex),
  })
}
// As the log issues them: batch b appended leaves [end - 512, end) and signed the root at `end` once.
const perBatch: ReceiptToVerify[] = []
for (let b = 0; perBatch.length < VERIFY_COUNT; b++) {
  const end = ENTRIES - b * BATCH
  const signed = decodeSign1(createReceiptFromTree(tree, end - 1, { ...signer, treeSize: end }))
  for (let leafIndex = end - BATCH; leafIndex < end; leafIndex++) {
    const proof = encodeInclusionProof({
      treeSize: end,
      leafIndex,
      inclusionPath: tree.inclusionProof(leafIndex, end),
    })
    perBatch.push({
      receipt: encodeInclusionReceipt(signed.protectedBytes, proof, signed.signature),
      leafHash: tree.leafHash(leafIndex),
    })
  }
}

async function verifyManyPerSec(items: readonly ReceiptToVerify[]) {
  const rates: number[] = []
  const cpuRates: number[] = []
  for (let run = 0; run < 3; run++) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    const verdicts = await verifyReceipts(items, { logKeys, pool })
    const seconds = (performance.now() - start) / 1000
    const used = process.cpuUsage(cpu)
    if (!verdicts.every((v) => v.valid)) throw new Error('a benchmark receipt did not verify')
    rates.push(items.length / seconds)
    cpuRates.push((items.length * 1e6) / (used.user + used.system))
  }
  return { wallPerSec: Math.round(median(rates)), perCpuSecond: Math.round(median(cpuRates)) }
}
const pool = createVerifyPool()
const manyOwnSignature = await verifyManyPerSec(ownSignature)
const manyPerBatch = await verifyManyPerSec(perBatch)
await pool.close()

const signRates = compare({
  statementSign: () =>
    createSignedStatement({
      payloadHash: hashPreimage(new Uint8Array([1])),
      preimageContentType: 'application/vcon-lifecycle+json',
      iss: 'https://issuer.example',
      sub: 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc',
      iat: 1777888800,
      key: issuerKey,
    }),
})

// 3. Proof sizes and generation at 10^6 entries.
const inclusion = tree.inclusionProof(index)
const consistency = tree.consistencyProof(ENTRIES / 2 + 1)
const proofRates = compare({
  inclusionProof: () => tree.inclusionProof(index),
  consistencyProof: () => tree.consistencyProof(ENTRIES / 2 + 1),
  inclusionVerify: () => verifyInclusion(leaf, index, ENTRIES, inclusion, tree.root()),
})

const result = {
  node: process.version,
  entries: ENTRIES,
  receiptVerificationsPerSec: verifyRates.receiptVerify,
  rawEs256VerificationsPerSec: verifyRates.rawEs256Verify,
  receiptToRawRatio: Number(
    ((verifyRates.receiptVerify ?? 0) / (verifyRates.rawEs256Verify ?? 1)).toFixed(3),
  ),
  verifyReceipts: {
    receipts: VERIFY_COUNT,
    eachWithOwnSignature: manyOwnSignature,
    oneSignaturePerBatchOf512: manyPerBatch,
  },
  statementSigningsPerSec: signRates.statementSign,
  merkleAppendsPerSec: appendsPerSec,
  inclusionProofsPerSec: proofRates.inclusionProof,
  consistencyProofsPerSec: proofRates.consistencyProof,
  inclusionVerificationsPerSec: proofRates.inclusionVerify,
  inclusionProof: {
    leafIndex: index,
    hashes: inclusion.length,
    pathBytes: inclusion.length * 32,
    cborBytes: encodeInclusionProof({
      treeSize: ENTRIES,
      leafIndex: index,
      inclusionPath: inclusion,
    }).length,
    receiptBytes: receipt.length,
  },
  consistencyProof: {
    treeSize1: ENTRIES / 2 + 1,
    hashes: consistency.length,
    pathBytes: consistency.length * 32,
    cborBytes: encodeConsistencyProof({
      treeSize1: ENTRIES / 2 + 1,
      treeSize2: ENTRIES,
      consistencyPath: consistency,
    }).length,
    receiptBytes: createConsistencyReceiptFromTree(tree, ENTRIES / 2 + 1, signer).length,
  },
  statementBytes: statement.length,
}
console.log(JSON.stringify(result, null, 2))
