/**
 * @module The contract every LedgerStorage adapter passes, through the TransparencyLog service that uses it: run
 * by ledger-storage-memory.test.ts, ledger-storage-sqlite.test.ts and ledger-storage-postgres.test.ts. Each test
 * gets fresh data; `open()` opens a storage on it (again after `close()`: a restart; twice at once: two server
 * processes on one database).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  checkCheckpointConsistency,
  createSignedStatement,
  createTransparencyLog,
  decodeCoseKeySet,
  decodeSign1,
  emptyUnprotected,
  generateSigningKey,
  hashPreimage,
  isLedgerError,
  type LedgerErrorCode,
  type LedgerStorage,
  merkleTreeHash,
  publicPart,
  type SigningKey,
  signSign1,
  type TransparencyLog,
  verifyCheckpoint,
  verifyConsistencyReceipt,
  verifyReceipt,
  verifyTransparentStatement,
} from '@vconkit/ledger'

export interface LedgerStorageFixture {
  /** A migrated storage on this fixture's data; call again after closing it to "restart". */
  readonly open: () => Promise<LedgerStorage>
  /** Closes what is still open and deletes the data. */
  readonly cleanup: () => Promise<void>
}

const LOG = 'https://ledger.example'
const ISS = 'https://conserver.example'
const START = Date.UTC(2026, 4, 4, 10, 0, 0)
const issuerKey = generateSigningKey('EdDSA')
const issuerKeys = [publicPart(issuerKey)]
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

/** n distinct statements about 10 vCons. */
function statements(n: number, tag: string): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    createSignedStatement({
      payloadHash: hashPreimage(new TextEncoder().encode(`${tag} ${i}`)),
      preimageContentType: 'application/vcon-lifecycle+json',
      iss: ISS,
      sub: `urn:uuid:0190e5a8-7c4b-8d2e-9f10-${String(i % 10).padStart(12, '0')}`,
      iat: Math.floor(START / 1000),
      key: issuerKey,
    }),
  )
}

function service(storage: LedgerStorage, logKey: SigningKey, maxBatch = 64) {
  return createTransparencyLog({
    storage,
    issuer: LOG,
    logKey,
    issuerKeys,
    now: () => START,
    maxBatch,
  })
}

/** Registers in waves of `wave` concurrent requests (what an HTTP server sees), in order. */
async function registerAll(log: TransparencyLog, list: readonly Uint8Array[], wave = 100) {
  const out = []
  for (let i = 0; i < list.length; i += wave) {
    out.push(...(await Promise.all(list.slice(i, i + wave).map((s) => log.register(s)))))
  }
  return out
}

/** Every entry of the log, in index order. */
async function allEntries(log: TransparencyLog) {
  const out = []
  for (let start = 0; ; start += 250) {
    const page = await log.entries(start, 250)
    out.push(...page)
    if (page.length < 250) return out
  }
}

export function runLedgerStorageContract(
  name: string,
  makeFixture: () => Promise<LedgerStorageFixture>,
): void {
  const withFixture = (title: string, body: (f: LedgerStorageFixture) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const fixture = await makeFixture()
      try {
        await body(fixture)
      } finally {
        await fixture.cleanup()
      }
    })

  describe(`${name} ledger storage contract`, () => {
    withFixture(
      '1,000 registrations verify; after a restart every receipt is the same bytes and verifies',
      async (fixture) => {
        const logKey = generateSigningKey()
        const logKeys = [publicPart(logKey)]
        const list = statements(1000, 'restart')
        const storage = await fixture.open()
        const log = await service(storage, logKey)
        const first = await registerAll(log, list.slice(0, 980))
        // Some one at a time, as a lone conserver would send them.
        for (const s of list.slice(980)) first.push(await log.register(s))
        assert.deepEqual(
          first.map((r) => r.index),
          list.map((_, i) => i),
        )
        first.forEach((r, i) => {
          const verified = verifyReceipt(r.receipt, {
            statement: list[i] as Uint8Array,
            logKeys,
            issuer: LOG,
          })
          assert.equal(verified.leafIndex, i)
        })
        const head = await log.treeHead()
        assert.equal(head.treeSize, 1000)
        assert.equal(
          hex(head.root),
          hex(merkleTreeHash(list.map((s) => emptyUnprotected(s)))),
          'the root is the RFC 9162 hash of the published leaf inputs',
        )
        await log.close()
        await storage.close()

        const reopened = await fixture.open()
        const again = await service(reopened, logKey)
        for (const [i, r] of first.entries()) {
          const receipt = await again.getReceipt(r.entryId)
          assert.ok(receipt, `receipt of entry ${i} after the restart`)
          assert.equal(hex(receipt), hex(r.receipt), `entry ${i}`)
          verifyReceipt(receipt, { statement: list[i] as Uint8Array, logKeys, issuer: LOG })
        }
        const transparent = await again.getTransparentStatement(first[500]?.entryId as string)
        assert.ok(transparent)
        assert.equal(verifyTransparentStatement(transparent, { issuerKeys, logKeys }).valid, true)
        // The same statement again is answered from storage, not appended twice.
        const repeat = await again.register(list[7] as Uint8Array)
        assert.equal(repeat.alreadyRegistered, true)
        assert.equal(hex(repeat.receipt), hex(first[7]?.receipt as Uint8Array))
        assert.equal((await again.treeHead()).treeSize, 1000)
        const history = await again.entriesBySubject(
          'urn:uuid:0190e5a8-7c4b-8d2e-9f10-000000000003',
          { limit: 1000 },
        )
        assert.equal(history.length, 100)
        assert.ok(history.every((e, k) => e.index === 3 + 10 * k))
        await again.close()
      },
    )

    withFixture(
      'checkpoints before and after more appends (across a restart) are consistent',
      async (fixture) => {
        const logKey = generateSigningKey()
        const logKeys = [publicPart(logKey)]
        const storage = await fixture.open()
        const log = await service(storage, logKey, 16)
        await registerAll(log, statements(37, 'before'), 10)
        const c1 = await log.checkpoint()
        assert.deepEqual(await log.checkpoint(), c1, 'one checkpoint per size')
        await storage.close()
        const reopened = await fixture.open()
        const again = await service(reopened, logKey, 16)
        assert.deepEqual(await again.checkpointAt(37), c1)
        await registerAll(again, statements(100, 'after'), 30)
        const c2 = await again.checkpoint()
        const v1 = verifyCheckpoint(c1.bytes, { logKeys, issuer: LOG })
        const v2 = verifyCheckpoint(c2.bytes, { logKeys, issuer: LOG })
        assert.deepEqual([v1.treeSize, v2.treeSize], [37, 137])
        const proof = await again.consistencyProof(37, 137)
        checkCheckpointConsistency(v1, v2, proof.consistencyPath)
        const receipt = await again.consistencyReceipt(37, 137)
        const verified = verifyConsistencyReceipt(receipt, { root1: v1.root, logKeys, issuer: LOG })
        assert.equal(hex(verified.root2), hex(v2.root))
        const tampered = proof.consistencyPath.map((h, i) =>
          i === proof.consistencyPath.length - 1 ? Uint8Array.from(h, (b) => b ^ 1) : h,
        )
        assert.throws(
          () => checkCheckpointConsistency(v1, v2, tampered),
          code('LEDGER_CHECKPOINT_INVALID'),
        )
        await reopened.close()
      },
    )

    withFixture(
      'key rotation keeps old receipts verifiable through the key set, after a restart too',
      async (fixture) => {
        const key1 = generateSigningKey()
        const key2 = generateSigningKey('ES384')
        const list = statements(20, 'rotation')
        const storage = await fixture.open()
        const log = await service(storage, key1)
        const old = await registerAll(log, list.slice(0, 10))
        await log.rotateKey(key2)
        const fresh = await registerAll(log, list.slice(10))
        await storage.close()
        const reopened = await fixture.open()
        await assert.rejects(service(reopened, key1), code('LEDGER_KEY_RETIRED'))
        const again = await service(reopened, key2)
        const keySet = decodeCoseKeySet(await again.keySet())
        assert.deepEqual(
          keySet.map((k) => hex(k.kid)),
          [hex(key2.kid), hex(key1.kid)],
        )
        for (const [i, r] of [...old, ...fresh].entries()) {
          const receipt = await again.getReceipt(r.entryId)
          assert.ok(receipt)
          assert.equal(hex(receipt), hex(r.receipt))
          const verified = verifyReceipt(receipt, {
            statement: list[i] as Uint8Array,
            logKeys: keySet,
          })
          assert.equal(hex(verified.kid), hex(i < 10 ? key1.kid : key2.kid))
          // Against the new key alone, an old receipt does not verify: the key set is what keeps it alive.
          if (i < 10) {
            assert.throws(
              () =>
                verifyReceipt(receipt, {
                  statement: list[i] as Uint8Array,
                  logKeys: [publicPart(key2)],
                }),
              code('LEDGER_KEY_UNKNOWN'),
            )
          }
        }
        const stored = await reopened.keys()
        assert.deepEqual(
          stored.map((k) => k.status),
          ['retired', 'current'],
        )
        assert.ok(stored[0]?.retiredAt !== undefined)
        await reopened.close()
      },
    )

    withFixture(
      'two service instances registering at once never fork the tree',
      async (fixture) => {
        const logKey = generateSigningKey()
        const logKeys = [publicPart(logKey)]
        const storageA = await fixture.open()
        const storageB = await fixture.open()
        const a = await service(storageA, logKey, 8)
        const b = await service(storageB, logKey, 8)
        const listA = statements(150, 'process a')
        const listB = statements(150, 'process b')
        const checkpoints = [await a.checkpoint()]
        const [fromA, fromB] = await Promise.all([
          registerAll(a, listA, 25),
          (async () => {
            const out = await registerAll(b, listB.slice(0, 75), 25)
            checkpoints.push(await b.checkpoint())
            out.push(...(await registerAll(b, listB.slice(75), 25)))
            return out
          })(),
        ])
        checkpoints.push(await a.checkpoint())
        const indices = [...fromA, ...fromB].map((r) => r.index).sort((x, y) => x - y)
        assert.deepEqual(
          indices,
          Array.from({ length: 300 }, (_, i) => i),
          'every index once',
        )
        const byId = new Map([...listA, ...listB].map((s, i) => [i, s]))
        for (const [i, r] of [...fromA, ...fromB].entries()) {
          verifyReceipt(r.receipt, { statement: byId.get(i) as Uint8Array, logKeys })
        }
        // Both processes see one tree: the same head, and the root of all entries in index order.
        const [headA, headB] = await Promise.all([a.treeHead(), b.treeHead()])
        assert.equal(headA.treeSize, 300)
        assert.equal(hex(headA.root), hex(headB.root))
        const entries = await allEntries(a)
        assert.equal(hex(merkleTreeHash(entries.map((e) => e.statement))), hex(headA.root))
        const verified = checkpoints.map((c) => verifyCheckpoint(c.bytes, { logKeys }))
        for (let i = 1; i < verified.length; i++) {
          const older = verified[i - 1]
          const newer = verified[i]
          assert.ok(older && newer)
          const proof = await b.consistencyProof(older.treeSize, newer.treeSize)
          checkCheckpointConsistency(older, newer, proof.consistencyPath)
        }
        await Promise.all([a.close(), b.close()])
        await storageA.close()
        await storageB.close()
      },
    )

    withFixture('an append whose build throws or is malformed writes nothing', async (fixture) => {
      const storage = await fixture.open()
      const log = await service(storage, generateSigningKey())
      await log.register(statements(1, 'kept')[0] as Uint8Array)
      const before = await storage.state()
      await assert.rejects(
        storage.append(['x'], () => {
          throw new Error('build failed')
        }),
        /build failed/,
      )
      const hash = new Uint8Array(32)
      await assert.rejects(
        storage.append([], (state) => ({
          result: undefined,
          batch: {
            // Index 5 would leave a gap: the storage must refuse it.
            entries: [
              {
                entryId: 'gap',
                index: state.size + 4,
                statement: hash,
                leafHash: hash,
                iss: ISS,
                sub: 'urn:uuid:x',
                iat: undefined,
                registeredAt: START,
                receiptTreeSize: state.size + 1,
              },
            ],
            nodes: [],
            signedRoot: {
              treeSize: state.size + 1,
              root: hash,
              protectedHeader: hash,
              signature: hash,
              kid: hash,
            },
          },
        })),
        code('LEDGER_STORE_CORRUPT'),
      )
      const after = await storage.state()
      assert.equal(after.size, before.size)
      assert.deepEqual(after.frontier, before.frontier)
      assert.equal(await storage.entryById('gap'), undefined)
      assert.equal(await storage.entryByIndex(1), undefined)
      assert.equal(await storage.signedRoot(5), undefined)
      assert.deepEqual(await storage.nodes([{ level: 9, index: 0 }]), [undefined])
      await log.close()
      await storage.close()
    })

    withFixture('a statement without iat (allowed by policy) keeps iat absent', async (fixture) => {
      const storage = await fixture.open()
      const logKey = generateSigningKey()
      const log = await createTransparencyLog({
        storage,
        issuer: LOG,
        logKey,
        issuerKeys,
        policy: { requireIat: false },
        now: () => START,
      })
      const statement = signSign1({
        key: issuerKey,
        protectedHeader: new Map<number, unknown>([
          [16, 'application/scitt-statement+cose'],
          [
            15,
            new Map<number, unknown>([
              [1, ISS],
              [2, 'urn:uuid:no-iat'],
            ]),
          ],
          [258, -16],
          [259, 'application/json'],
        ]),
        payload: hash(7),
      })
      const { entryId, receipt } = await log.register(statement)
      await storage.close()
      const reopened = await fixture.open()
      const entry = await reopened.entryById(entryId)
      assert.equal(entry?.iat, undefined)
      assert.equal(entry?.sub, 'urn:uuid:no-iat')
      verifyReceipt(receipt, { statement, logKeys: [publicPart(logKey)] })
      await reopened.close()
    })

    withFixture('storage reads: ranges, subjects, checkpoints, keys', async (fixture) => {
      const storage = await fixture.open()
      const key = generateSigningKey()
      const log = await service(storage, key, 4)
      const registered = await registerAll(log, statements(23, 'reads'), 23)
      const range = await storage.entries(20, 10)
      assert.deepEqual(
        range.map((e) => e.index),
        [20, 21, 22],
      )
      const entry = await storage.entryByIndex(21)
      assert.equal(entry?.entryId, registered[21]?.entryId)
      assert.equal(entry?.receiptTreeSize, 23)
      assert.equal(entry?.registeredAt, START)
      assert.equal(entry?.iat, Math.floor(START / 1000))
      const page = await storage.entriesBySubject('urn:uuid:0190e5a8-7c4b-8d2e-9f10-000000000002', {
        afterIndex: 2,
        limit: 1,
      })
      assert.deepEqual(
        page.map((e) => e.index),
        [12],
      )
      const signed = await storage.signedRoot(23)
      assert.ok(signed)
      assert.equal(hex(signed.root), hex((await log.treeHead()).root))
      assert.equal(
        hex(signed.signature),
        hex(decodeSign1(registered[22]?.receipt as Uint8Array).signature),
      )
      const checkpoint = { treeSize: 23, root: signed.root, timestamp: START, bytes: hash(1) }
      assert.deepEqual(await storage.putCheckpoint(checkpoint), checkpoint)
      const second = await storage.putCheckpoint({ ...checkpoint, bytes: hash(2) })
      assert.equal(hex(second.bytes), hex(hash(1)), 'the first one stays')
      assert.equal((await storage.latestCheckpoint())?.treeSize, 23)
      assert.equal(await storage.checkpointAt(22), undefined)
      await storage.activateKey({ kid: key.kid, coseKey: hash(3), activatedAt: START + 5 })
      const keys = await storage.keys()
      assert.equal(keys.length, 1, 'activating the current key again changes nothing')
      assert.equal(keys[0]?.activatedAt, START)
      await log.close()
      await storage.close()
    })
  })
}

function hash(fill: number): Uint8Array {
  return new Uint8Array(32).fill(fill)
}
