import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodeSign1, encodeSign1, signSign1 } from '../cose/sign1.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { createLifecycleEvent } from '../events/lifecycle-event.js'
import { createLifecycleStatement } from '../events/lifecycle-statement.js'
import { LIFECYCLE_EVENT_MEDIA_TYPE } from '../events/vocabulary.js'
import { toHex } from '../internal/bytes.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { merkleTreeHash } from '../merkle/reference-mth.js'
import { verifyReceipt } from '../receipt/inclusion-receipt.js'
import { attachReceipt, verifyTransparentStatement } from '../receipt/transparent-statement.js'
import { hashPreimage } from '../statement/hash-envelope.js'
import { emptyUnprotected, statementLeafHash } from '../statement/leaf.js'
import { createSignedStatement } from '../statement/signed-statement.js'
import type { LedgerStorage } from './ledger-storage.js'
import { MemoryLedgerStorage } from './memory-ledger-storage.js'
import { createTransparencyLog, type TransparencyLogOptions } from './transparency-log.js'

const LOG = 'https://ledger.example'
const ISS = 'https://issuer.example'
const START = Date.UTC(2026, 4, 4, 10, 0, 0)
const issuerKey = generateSigningKey()
const logKey = generateSigningKey()
const issuerKeys = [publicPart(issuerKey)]
const logKeys = [publicPart(logKey)]

const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

function uuid(i: number): string {
  return `0190e5a8-7c4b-8d2e-9f10-${String(i).padStart(12, '0')}`
}

function statement(
  i: number,
  options: { iat?: number; contentType?: string; sub?: string; key?: typeof issuerKey } = {},
) {
  return createSignedStatement({
    payloadHash: hashPreimage(new TextEncoder().encode(`event ${i}`)),
    preimageContentType: options.contentType ?? 'application/vcon-lifecycle+json',
    iss: ISS,
    sub: options.sub ?? `urn:uuid:${uuid(i % 7)}`,
    iat: options.iat ?? Math.floor(START / 1000) - 5,
    key: options.key ?? issuerKey,
  })
}

/** `storage` with some methods replaced (a flaky or damaged database). */
function delegate(storage: LedgerStorage, overrides: Partial<LedgerStorage>): LedgerStorage {
  return {
    state: () => storage.state(),
    append: (ids, build) => storage.append(ids, build),
    entryById: (id) => storage.entryById(id),
    entryByIndex: (index) => storage.entryByIndex(index),
    entries: (start, limit) => storage.entries(start, limit),
    entriesBySubject: (sub, query) => storage.entriesBySubject(sub, query),
    nodes: (addresses) => storage.nodes(addresses),
    signedRoot: (size) => storage.signedRoot(size),
    putCheckpoint: (checkpoint) => storage.putCheckpoint(checkpoint),
    latestCheckpoint: () => storage.latestCheckpoint(),
    checkpointAt: (size) => storage.checkpointAt(size),
    keys: () => storage.keys(),
    activateKey: (key) => storage.activateKey(key),
    close: () => storage.close(),
    ...overrides,
  }
}

function open(storage: LedgerStorage, extra: Partial<TransparencyLogOptions> = {}) {
  let clock = START
  const now = () => clock
  return {
    tick(ms: number) {
      clock += ms
    },
    log: createTransparencyLog({ storage, issuer: LOG, logKey, issuerKeys, now, ...extra }),
  }
}

describe('registration', () => {
  test('a registered statement gets an entry and a receipt that verifies offline', async () => {
    const log = await open(new MemoryLedgerStorage()).log
    const s = statement(1)
    const registration = await log.register(s)
    assert.equal(registration.index, 0)
    assert.equal(registration.alreadyRegistered, false)
    assert.equal(registration.entryId, toHex(statementLeafHash(s)))
    const verified = verifyReceipt(registration.receipt, { statement: s, logKeys, issuer: LOG })
    assert.equal(verified.treeSize, 1)
    assert.equal(verified.leafIndex, 0)
    assert.equal(verified.iat, Math.floor(START / 1000))
    const entry = await log.getEntry(registration.entryId)
    assert.ok(entry)
    assert.deepEqual(entry.statement, emptyUnprotected(s))
    assert.equal(entry.sub, `urn:uuid:${uuid(1)}`)
    assert.equal(entry.iss, ISS)
    assert.equal(entry.registeredAt, START)
    const transparent = await log.getTransparentStatement(registration.entryId)
    assert.ok(transparent)
    const verdict = verifyTransparentStatement(transparent, { issuerKeys, logKeys })
    assert.equal(verdict.valid, true)
  })

  test('concurrent registrations are appended in batches under one signature each', async () => {
    const log = await open(new MemoryLedgerStorage(), { maxBatch: 8 }).log
    const statements = Array.from({ length: 50 }, (_, i) => statement(i))
    const registrations = await Promise.all(statements.map((s) => log.register(s)))
    assert.deepEqual(
      registrations.map((r) => r.index),
      statements.map((_, i) => i),
    )
    const sizes = registrations.map(
      (r, i) =>
        verifyReceipt(r.receipt, { statement: statements[i] as Uint8Array, logKeys }).treeSize,
    )
    assert.deepEqual([...new Set(sizes)], [8, 16, 24, 32, 40, 48, 50])
    // One signature per batch: receipts of one batch differ only in their unprotected proof.
    const signatures = registrations.map((r) => toHex(decodeSign1(r.receipt).signature))
    assert.equal(new Set(signatures).size, 7)
    const head = await log.treeHead()
    assert.equal(head.treeSize, 50)
    assert.equal(
      toHex(head.root),
      toHex(merkleTreeHash(statements.map((s) => emptyUnprotected(s)))),
    )
  })

  test('a restarted service rebuilds every receipt byte for byte', async () => {
    const storage = new MemoryLedgerStorage()
    const first = await open(storage, { maxBatch: 5 }).log
    const statements = Array.from({ length: 23 }, (_, i) => statement(i))
    const registrations = await Promise.all(statements.map((s) => first.register(s)))
    await first.register(statement(100))
    await first.close()
    const second = await open(storage).log
    for (const [i, r] of registrations.entries()) {
      const again = await second.getReceipt(r.entryId)
      assert.ok(again)
      assert.deepEqual(again, r.receipt)
      verifyReceipt(again, { statement: statements[i] as Uint8Array, logKeys })
    }
    assert.equal(await second.getReceipt('00'.repeat(32)), undefined)
    assert.equal(await second.getTransparentStatement('nope'), undefined)
  })

  test('the same statement twice is one entry, also with receipts attached and in one batch', async () => {
    const log = await open(new MemoryLedgerStorage()).log
    const s = statement(3)
    const [a, b] = await Promise.all([log.register(s), log.register(s)])
    assert.ok(a && b)
    assert.equal(a.alreadyRegistered, false)
    assert.equal(b.alreadyRegistered, true)
    assert.equal(a.entryId, b.entryId)
    assert.deepEqual(a.receipt, b.receipt)
    // A transparent statement (receipt under 394) has the same leaf: the unprotected header is emptied.
    const c = await log.register(attachReceipt(s, a.receipt))
    assert.equal(c.alreadyRegistered, true)
    assert.equal(c.index, 0)
    assert.deepEqual(c.receipt, a.receipt)
    assert.equal((await log.treeHead()).treeSize, 1)
  })

  test('lifecycle statements under a lifecycle policy; history by subject and replay by range', async () => {
    const log = await open(new MemoryLedgerStorage(), {
      policy: { contentTypes: [LIFECYCLE_EVENT_MEDIA_TYPE], subjectPattern: /^urn:uuid:/ },
    }).log
    let prev: string | null = null
    const ids: string[] = []
    for (const event of ['vcon_created', 'vcon_enhanced', 'vcon_deleted'] as const) {
      const created = createLifecycleEvent({
        event,
        vconUuid: uuid(42),
        vconHash: 'ab'.repeat(32),
        prev,
        occurredAt: new Date(START),
        ...(event === 'vcon_deleted' ? { reason: 'erasure_request' } : {}),
      })
      prev = toHex(created.payloadHash)
      const s = createLifecycleStatement(created, {
        iss: ISS,
        key: issuerKey,
        iat: new Date(START),
      })
      ids.push((await log.register(s)).entryId)
      await log.register(statement(ids.length))
    }
    const history = await log.entriesBySubject(`urn:uuid:${uuid(42)}`, { limit: 10 })
    assert.deepEqual(
      history.map((e) => e.entryId),
      ids,
    )
    const page = await log.entriesBySubject(`urn:uuid:${uuid(42)}`, {
      afterIndex: history[0]?.index ?? 0,
      limit: 1,
    })
    assert.deepEqual(
      page.map((e) => e.entryId),
      [ids[1]],
    )
    const range = await log.entries(2, 3)
    assert.deepEqual(
      range.map((e) => e.index),
      [2, 3, 4],
    )
    assert.equal((await log.getEntryByIndex(5))?.index, 5)
    assert.equal(await log.getEntryByIndex(6), undefined)
  })

  test('registration times never go backwards, and receipts carry them as iat', async () => {
    const opened = open(new MemoryLedgerStorage())
    const log = await opened.log
    await log.register(statement(1))
    opened.tick(-10_000)
    const r = await log.register(statement(2))
    const entry = await log.getEntry(r.entryId)
    assert.equal(entry?.registeredAt, START)
  })
})

describe('refusals', () => {
  async function refused(
    bytes: Uint8Array,
    expected: LedgerErrorCode,
    extra: Partial<TransparencyLogOptions> = {},
  ) {
    const log = await open(new MemoryLedgerStorage(), extra).log
    await assert.rejects(log.register(bytes), code(expected))
    assert.equal((await log.treeHead()).treeSize, 0, 'nothing is appended')
  }

  test('an issuer whose key is not pinned', async () => {
    await refused(statement(1, { key: generateSigningKey() }), 'LEDGER_KEY_UNKNOWN')
  })

  test('a signature that does not verify', async () => {
    const message = decodeSign1(statement(1))
    const signature = new Uint8Array(message.signature)
    signature[5] = (signature[5] as number) ^ 1
    await refused(encodeSign1({ ...message, signature }), 'LEDGER_SIGNATURE_INVALID')
  })

  test('bytes that are not a signed statement', async () => {
    await refused(Uint8Array.of(0x01, 0x02), 'LEDGER_COSE_MALFORMED')
    const noClaims = signSign1({ key: issuerKey, payload: new Uint8Array(32) })
    await refused(noClaims, 'LEDGER_STATEMENT_INVALID')
  })

  test('policy: size, content type, subject, issuer, algorithm, custom check', async () => {
    await refused(statement(1), 'LEDGER_POLICY_REFUSED', { policy: { maxStatementBytes: 100 } })
    await refused(statement(1, { contentType: 'text/plain' }), 'LEDGER_POLICY_REFUSED', {
      policy: { contentTypes: [LIFECYCLE_EVENT_MEDIA_TYPE] },
    })
    await refused(statement(1, { sub: 'tel:+15551234567' }), 'LEDGER_POLICY_REFUSED', {
      policy: { subjectPattern: /^urn:uuid:/ },
    })
    await refused(statement(1), 'LEDGER_POLICY_REFUSED', { policy: { issuers: ['https://other'] } })
    await refused(statement(1), 'LEDGER_POLICY_REFUSED', { policy: { algorithms: ['EdDSA'] } })
    await refused(statement(1), 'LEDGER_POLICY_REFUSED', {
      policy: { check: (s) => (s.sub.endsWith('1') ? 'no subjects ending in 1' : undefined) },
    })
  })

  test('policy: iat ahead of the clock beyond the skew, or too old', async () => {
    const seconds = Math.floor(START / 1000)
    await refused(statement(1, { iat: seconds + 61 }), 'LEDGER_POLICY_REFUSED')
    await refused(statement(1, { iat: seconds - 3601 }), 'LEDGER_POLICY_REFUSED', {
      policy: { maxAgeSeconds: 3600 },
    })
    const log = await open(new MemoryLedgerStorage()).log
    assert.equal((await log.register(statement(1, { iat: seconds + 60 }))).index, 0)
  })

  test('a storage failure rejects the whole batch and leaves the log as it was', async () => {
    const storage = new MemoryLedgerStorage()
    let fail = true
    const flaky = delegate(storage, {
      append: ((ids, build) =>
        fail
          ? Promise.reject(new Error('disk full'))
          : storage.append(ids, build)) as LedgerStorage['append'],
    })
    const log = await open(flaky).log
    const results = await Promise.allSettled([
      log.register(statement(1)),
      log.register(statement(2)),
    ])
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    )
    fail = false
    assert.equal((await log.register(statement(3))).index, 0)
  })

  test('damaged nodes are reported as LEDGER_STORE_CORRUPT, never as a bad receipt', async () => {
    const storage = new MemoryLedgerStorage()
    const log = await open(storage).log
    // One by one: the last receipt (tree size 3) has a path of stored nodes, whatever the batching.
    const registrations = []
    for (const i of [1, 2, 3]) registrations.push(await log.register(statement(i)))
    const damaged = delegate(storage, {
      nodes: async (addresses) =>
        (await storage.nodes(addresses)).map((h) => h && new Uint8Array(32)),
    })
    const reopened = await open(damaged).log
    await assert.rejects(
      reopened.getReceipt(registrations[2]?.entryId as string),
      code('LEDGER_STORE_CORRUPT'),
    )
  })

  test('a closed log refuses new registrations after finishing the ones in flight', async () => {
    const log = await open(new MemoryLedgerStorage()).log
    const inFlight = log.register(statement(1))
    await log.close()
    assert.equal((await inFlight).index, 0)
    await assert.rejects(log.register(statement(2)), code('LEDGER_BAD_ARGUMENT'))
  })
})
