import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeStrict } from '../cbor/decode.js'
import { encodeDeterministic } from '../cbor/encode.js'
import type { Label } from '../cbor/label-map.js'
import { decodeSign1, signSign1 } from '../cose/sign1.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { emptyRoot } from '../merkle/hash.js'
import { MerkleTree } from '../merkle/tree.js'
import { createReceiptFromTree } from '../receipt/inclusion-receipt.js'
import { CHECKPOINT_TYPE, createCheckpoint, verifyCheckpoint } from './checkpoint.js'
import { checkCheckpointConsistency } from './checkpoint-consistency.js'

const LOG = 'https://ledger.example'
const key = generateSigningKey('EdDSA')
const logKeys = [{ ...publicPart(key), iss: LOG }]
const tree = new MerkleTree()
for (let i = 0; i < 21; i++) tree.append(new TextEncoder().encode(`entry ${i}`))

const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c
const at = (size: number, ms: number) =>
  createCheckpoint({ treeSize: size, root: tree.root(size), timestamp: ms, issuer: LOG, key })

describe('signed checkpoints', () => {
  test('round trip and exact payload layout', () => {
    const bytes = createCheckpoint({
      treeSize: 21,
      root: tree.root(),
      timestamp: new Date('2026-05-04T10:00:00.123Z'),
      issuer: LOG,
      key,
    })
    const verified = verifyCheckpoint(bytes, { logKeys, issuer: LOG })
    assert.equal(verified.treeSize, 21)
    assert.equal(toHex(verified.root), toHex(tree.root()))
    assert.equal(verified.timestamp, Date.parse('2026-05-04T10:00:00.123Z'))
    const message = decodeSign1(bytes)
    assert.deepEqual([...message.protectedHeader.keys()], [1, 4, 15, 16, 395])
    assert.equal(message.protectedHeader.get(16), CHECKPOINT_TYPE)
    const payload = decodeStrict(message.payload as Uint8Array) as Map<number, unknown>
    assert.deepEqual([...payload.keys()], [1, 2, 3])
  })

  test('the empty tree checkpoint carries SHA-256("")', () => {
    const verified = verifyCheckpoint(
      createCheckpoint({ treeSize: 0, root: emptyRoot(), timestamp: 0, issuer: LOG, key }),
      { logKeys },
    )
    assert.equal(
      toHex(verified.root),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  test('refusals: wrong typ, receipts passed as checkpoints, bad payloads, keys, issuer', () => {
    const header = (typ: string) =>
      new Map<Label, unknown>([
        [16, typ],
        [15, new Map([[1, LOG]])],
        [395, 1],
      ])
    const payload = (entries: [number, unknown][]) => encodeDeterministic(new Map(entries))
    const good: [number, unknown][] = [
      [1, 21],
      [2, tree.root()],
      [3, 5],
    ]
    const cases: [string, Uint8Array, LedgerErrorCode][] = [
      [
        'receipt typ',
        signSign1({
          key,
          protectedHeader: header('application/scitt-receipt+cose'),
          payload: payload(good),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'a receipt',
        createReceiptFromTree(tree, 3, { issuer: LOG, key }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'extra field',
        signSign1({
          key,
          protectedHeader: header(CHECKPOINT_TYPE),
          payload: payload([...good, [4, 1]]),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'short root',
        signSign1({
          key,
          protectedHeader: header(CHECKPOINT_TYPE),
          payload: payload([
            [1, 21],
            [2, new Uint8Array(31)],
            [3, 5],
          ]),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'size 0, other root',
        signSign1({
          key,
          protectedHeader: header(CHECKPOINT_TYPE),
          payload: payload([
            [1, 0],
            [2, tree.root()],
            [3, 5],
          ]),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'negative time',
        signSign1({
          key,
          protectedHeader: header(CHECKPOINT_TYPE),
          payload: payload([
            [1, 21],
            [2, tree.root()],
            [3, -5],
          ]),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
      [
        'unsorted payload',
        signSign1({
          key,
          protectedHeader: header(CHECKPOINT_TYPE),
          payload: Uint8Array.from([
            0xa3,
            0x03,
            0x05,
            0x01,
            0x15,
            0x02,
            0x58,
            0x20,
            ...tree.root(),
          ]),
        }),
        'LEDGER_CHECKPOINT_INVALID',
      ],
    ]
    for (const [name, bytes, expected] of cases) {
      assert.throws(() => verifyCheckpoint(bytes, { logKeys }), code(expected), name)
    }
    const ok = at(21, 5)
    assert.throws(
      () => verifyCheckpoint(ok, { logKeys: [generateSigningKey()] }),
      code('LEDGER_KEY_UNKNOWN'),
    )
    assert.throws(
      () => verifyCheckpoint(ok, { logKeys, issuer: 'https://other.example' }),
      code('LEDGER_CHECKPOINT_INVALID'),
    )
  })
})

describe('checkpoint consistency', () => {
  const v = (bytes: Uint8Array) => verifyCheckpoint(bytes, { logKeys })

  test('a growing log passes with its consistency proof', () => {
    checkCheckpointConsistency(v(at(8, 1000)), v(at(21, 2000)), tree.consistencyProof(8, 21))
    checkCheckpointConsistency(v(at(21, 1000)), v(at(21, 3000)), [])
    checkCheckpointConsistency(v(at(0, 0)), v(at(3, 1000)), [])
  })

  test('shrinking, going back in time, forks and bad proofs are refused', () => {
    const bad = code('LEDGER_CHECKPOINT_INVALID')
    assert.throws(() => checkCheckpointConsistency(v(at(21, 1000)), v(at(8, 2000)), []), bad)
    assert.throws(
      () =>
        checkCheckpointConsistency(v(at(8, 3000)), v(at(21, 2000)), tree.consistencyProof(8, 21)),
      bad,
    )
    assert.throws(
      () =>
        checkCheckpointConsistency(v(at(8, 1000)), v(at(21, 2000)), tree.consistencyProof(9, 21)),
      bad,
    )
    const fork = new MerkleTree()
    fork.append(new Uint8Array([1]))
    const forked = v(
      createCheckpoint({ treeSize: 1, root: fork.root(), timestamp: 5000, issuer: LOG, key }),
    )
    assert.throws(() => checkCheckpointConsistency(v(at(1, 1000)), forked, []), bad)
    const otherLog = createCheckpoint({
      treeSize: 21,
      root: tree.root(),
      timestamp: 9000,
      issuer: 'https://other.example',
      key,
    })
    assert.throws(
      () =>
        checkCheckpointConsistency(
          v(at(8, 1000)),
          verifyCheckpoint(otherLog, { logKeys: [publicPart(key)] }),
          tree.consistencyProof(8, 21),
        ),
      bad,
    )
  })
})
