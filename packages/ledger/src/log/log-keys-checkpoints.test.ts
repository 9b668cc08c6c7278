import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { verifyCheckpoint } from '../checkpoint/checkpoint.js'
import { checkCheckpointConsistency } from '../checkpoint/checkpoint-consistency.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { decodeCoseKey } from '../keys/cose-key.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { decodeCoseKeySet } from '../keys/key-set.js'
import { emptyRoot } from '../merkle/hash.js'
import type { StoredNode } from '../merkle/node-store.js'
import { verifyConsistencyReceipt } from '../receipt/consistency-receipt.js'
import { verifyReceipt } from '../receipt/inclusion-receipt.js'
import { hashPreimage } from '../statement/hash-envelope.js'
import { createSignedStatement } from '../statement/signed-statement.js'
import { checkAppendBatch, frontierAddresses, type LogState } from './ledger-storage.js'
import { MemoryLedgerStorage } from './memory-ledger-storage.js'
import { createTransparencyLog } from './transparency-log.js'

const LOG = 'https://ledger.example'
const START = Date.UTC(2026, 4, 4, 10, 0, 0)
const issuerKey = generateSigningKey()
const issuerKeys = [publicPart(issuerKey)]
const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

function statement(i: number): Uint8Array {
  return createSignedStatement({
    payloadHash: hashPreimage(new TextEncoder().encode(`checkpoint test ${i}`)),
    preimageContentType: 'application/json',
    iss: 'https://issuer.example',
    sub: `urn:uuid:0190e5a8-7c4b-8d2e-9f10-${String(i).padStart(12, '0')}`,
    iat: Math.floor(START / 1000),
    key: issuerKey,
  })
}

function open(storage: MemoryLedgerStorage, key = generateSigningKey(), clock = { now: START }) {
  return createTransparencyLog({
    storage,
    issuer: LOG,
    logKey: key,
    issuerKeys,
    now: () => clock.now,
  })
}

describe('checkpoints and consistency', () => {
  test('checkpoints sign size and root; proofs link them; one checkpoint per size', async () => {
    const clock = { now: START }
    const key = generateSigningKey()
    const log = await open(new MemoryLedgerStorage(), key, clock)
    const empty = await log.checkpoint()
    assert.equal(empty.treeSize, 0)
    assert.deepEqual(empty.root, emptyRoot())
    for (let i = 0; i < 5; i++) await log.register(statement(i))
    clock.now += 1000
    const c1 = await log.checkpoint()
    assert.deepEqual(await log.checkpoint(), c1, 'the stored checkpoint of that size is reused')
    await Promise.all([5, 6, 7, 8, 9, 10, 11].map((i) => log.register(statement(i))))
    clock.now += 1000
    const c2 = await log.checkpoint()
    const keys = [publicPart(key)]
    const v0 = verifyCheckpoint(empty.bytes, { logKeys: keys, issuer: LOG })
    const v1 = verifyCheckpoint(c1.bytes, { logKeys: keys, issuer: LOG })
    const v2 = verifyCheckpoint(c2.bytes, { logKeys: keys, issuer: LOG })
    assert.equal(v1.treeSize, 5)
    assert.equal(v2.treeSize, 12)
    assert.equal(v2.timestamp, START + 2000)
    assert.deepEqual(v2.root, (await log.treeHead()).root)
    const proof = await log.consistencyProof(5, 12)
    assert.deepEqual(proof.root1, v1.root)
    assert.deepEqual(proof.root2, v2.root)
    checkCheckpointConsistency(v1, v2, proof.consistencyPath)
    checkCheckpointConsistency(v0, v2, (await log.consistencyProof(0, 12)).consistencyPath)
    // A wrong proof is caught: the check can fail.
    const bad = proof.consistencyPath.map((h, i) => (i === 0 ? new Uint8Array(32) : h))
    assert.throws(() => checkCheckpointConsistency(v1, v2, bad), code('LEDGER_CHECKPOINT_INVALID'))
    const receipt = await log.consistencyReceipt(5, 12)
    const verified = verifyConsistencyReceipt(receipt, {
      root1: v1.root,
      logKeys: keys,
      issuer: LOG,
    })
    assert.deepEqual(verified.root2, v2.root)
    assert.deepEqual((await log.checkpointAt(5))?.bytes, c1.bytes)
  })

  test('proof sizes are checked', async () => {
    const log = await open(new MemoryLedgerStorage())
    for (let i = 0; i < 3; i++) await log.register(statement(i))
    await assert.rejects(log.consistencyProof(2, 4), code('LEDGER_BAD_ARGUMENT'))
    await assert.rejects(log.consistencyProof(3, 2), code('LEDGER_BAD_ARGUMENT'))
    await assert.rejects(log.consistencyReceipt(0, 3), code('LEDGER_BAD_ARGUMENT'))
    assert.deepEqual((await log.consistencyProof(3, 3)).consistencyPath, [])
  })
})

describe('log keys', () => {
  test('rotation retires the old key, which stays in the key set so old receipts still verify', async () => {
    const storage = new MemoryLedgerStorage()
    const key1 = generateSigningKey()
    const key2 = generateSigningKey('EdDSA')
    const log = await open(storage, key1)
    const statements = [0, 1, 2, 3].map(statement)
    const before = await Promise.all(statements.slice(0, 3).map((s) => log.register(s)))
    await log.rotateKey(key2)
    const after = await log.register(statements[3] as Uint8Array)
    const set = decodeCoseKeySet(await log.keySet())
    assert.deepEqual(
      set.map((k) => toHex(k.kid)),
      [toHex(key2.kid), toHex(key1.kid)],
      'current first, then retired',
    )
    for (const [i, r] of [...before, after].entries()) {
      const verified = verifyReceipt(r.receipt, {
        statement: statements[i] as Uint8Array,
        logKeys: set,
      })
      assert.equal(toHex(verified.kid), toHex(i < 3 ? key1.kid : key2.kid))
    }
    const stored = await storage.keys()
    assert.deepEqual(
      stored.map((k) => k.status),
      ['retired', 'current'],
    )
    const one = await log.logKey(key1.kid)
    assert.ok(one)
    assert.equal(toHex(decodeCoseKey(one).kid), toHex(key1.kid))
    assert.equal(await log.logKey(new Uint8Array(32)), undefined)
    // A restart keeps the old receipts byte for byte, and a retired key can never come back.
    const restarted = await open(storage, key2)
    assert.deepEqual(await restarted.getReceipt(before[0]?.entryId as string), before[0]?.receipt)
    await assert.rejects(open(storage, key1), code('LEDGER_KEY_RETIRED'))
  })

  test('a service whose key another process rotated refuses to sign with it', async () => {
    const storage = new MemoryLedgerStorage()
    const key1 = generateSigningKey()
    const a = await open(storage, key1)
    const b = await open(storage, key1)
    await a.register(statement(0))
    await b.rotateKey(generateSigningKey())
    await assert.rejects(a.register(statement(1)), code('LEDGER_KEY_RETIRED'))
    assert.equal((await b.register(statement(1))).index, 1)
  })

  test('configuring a new key at start is a rotation', async () => {
    const storage = new MemoryLedgerStorage()
    const key1 = generateSigningKey()
    await open(storage, key1)
    const key2 = generateSigningKey()
    const log = await open(storage, key2)
    const kids = (await log.logKeys()).map((k) => toHex(k.kid))
    assert.deepEqual(kids, [toHex(key2.kid), toHex(key1.kid)])
  })
})

describe('storage helpers', () => {
  test('frontierAddresses lists one perfect subtree per set bit', () => {
    assert.deepEqual(frontierAddresses(0), [])
    assert.deepEqual(frontierAddresses(1), [{ level: 0, index: 0 }])
    assert.deepEqual(frontierAddresses(6), [
      { level: 1, index: 2 },
      { level: 2, index: 0 },
    ])
    assert.deepEqual(frontierAddresses(13), [
      { level: 0, index: 12 },
      { level: 2, index: 2 },
      { level: 3, index: 0 },
    ])
  })

  test('checkAppendBatch refuses gaps, wrong sizes and nodes the append did not complete', () => {
    const state: LogState = { size: 2, frontier: [], lastRegisteredAt: 0, currentKid: undefined }
    const hash = new Uint8Array(32)
    const entry = (index: number, receiptTreeSize = 3) => ({
      entryId: String(index),
      index,
      statement: new Uint8Array(1),
      leafHash: hash,
      iss: 'i',
      sub: 's',
      iat: undefined,
      registeredAt: 0,
      receiptTreeSize,
    })
    const signedRoot = {
      treeSize: 3,
      root: hash,
      protectedHeader: new Uint8Array(1),
      signature: new Uint8Array(64),
      kid: new Uint8Array(32),
    }
    const node = (level: number, index: number): StoredNode => ({ level, index, hash })
    const ok = { entries: [entry(2)], nodes: [node(0, 2)], signedRoot }
    checkAppendBatch(state, ok)
    const corrupt = code('LEDGER_STORE_CORRUPT')
    assert.throws(() => checkAppendBatch(state, { ...ok, entries: [entry(3)] }), corrupt)
    assert.throws(() => checkAppendBatch(state, { ...ok, entries: [entry(2, 4)] }), corrupt)
    assert.throws(() => checkAppendBatch(state, { ...ok, nodes: [node(0, 1)] }), corrupt)
    assert.throws(() => checkAppendBatch(state, { ...ok, nodes: [node(1, 1)] }), corrupt)
    assert.throws(() => checkAppendBatch(state, { ...ok, entries: [] }), corrupt)
    assert.throws(
      () => checkAppendBatch(state, { ...ok, signedRoot: { ...signedRoot, treeSize: 2 } }),
      corrupt,
    )
  })
})
