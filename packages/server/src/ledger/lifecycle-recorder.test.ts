import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import {
  attachReceipt,
  createTransparencyLog,
  generateSigningKey,
  lifecycleEventDigest,
  MemoryLedgerStorage,
  publicPart,
  type TransparencyLog,
  verifyTransparentStatement,
} from '@vconkit/ledger'
import Database from 'better-sqlite3'
import { silentLogger } from '../observability/json-logger.js'
import { createLifecycleRecorder, type LedgerRegistrar } from './lifecycle-recorder.js'
import { createSqliteLifecycleOutbox } from './sqlite-lifecycle-outbox.js'

const vcon = (uuid: string, subject: string) => ({ vcon: '0.4.0', uuid, subject, parties: [] })

async function setup(failFirst: number) {
  const issuer = generateSigningKey()
  const logKey = generateSigningKey()
  const log: TransparencyLog = await createTransparencyLog({
    storage: new MemoryLedgerStorage(),
    issuer: 'urn:test:ledger',
    logKey,
    issuerKeys: [publicPart(issuer)],
  })
  let failures = failFirst
  let calls = 0
  const registrar: LedgerRegistrar = {
    register(statement) {
      calls++
      if (failures > 0) {
        failures--
        return Promise.reject(new Error('ledger away'))
      }
      return log.register(statement)
    },
  }
  const db = new Database(':memory:')
  const outbox = createSqliteLifecycleOutbox({ db })
  await outbox.migrate()
  const recorder = createLifecycleRecorder({
    outbox,
    registrar,
    issuer: 'urn:test:conserver',
    key: issuer,
    log: silentLogger(),
    retryMs: 20,
  })
  return { recorder, issuer, logKey, db, outbox, calls: () => calls }
}

test('events are chained per vCon, signed and registered with verifying receipts', async () => {
  const { recorder, issuer, logKey } = await setup(0)
  const uuid = randomUUID()
  recorder.record({ event: 'vcon_created', vconUuid: uuid, vcon: JSON.stringify(vcon(uuid, 'a')) })
  recorder.record({
    event: 'vcon_enhanced',
    vconUuid: uuid,
    vcon: vcon(uuid, 'b'),
    reason: 'analysis',
  })
  recorder.record({ event: 'vcon_deleted', vconUuid: uuid, reason: 'erasure_request' })
  await recorder.flush()
  const events = await recorder.events(uuid)
  assert.deepEqual(
    events.map((e) => e.event),
    ['vcon_created', 'vcon_enhanced', 'vcon_deleted'],
  )
  assert.equal(events[0]?.document.prev, null)
  assert.equal(events[1]?.document.prev, events[0]?.digest)
  assert.equal(events[2]?.document.prev, events[1]?.digest)
  // Deletion carries the last known vCon hash.
  assert.equal(events[2]?.document.vcon_hash, events[1]?.document.vcon_hash)
  assert.notEqual(events[0]?.document.vcon_hash, events[1]?.document.vcon_hash)
  for (const e of events) {
    assert.equal(lifecycleEventDigest(e.document as never), e.digest)
    const verdict = verifyTransparentStatement(
      attachReceipt(e.statement, e.receipt as Uint8Array),
      { issuerKeys: [publicPart(issuer)], logKeys: [publicPart(logKey)] },
    )
    assert.equal(verdict.valid, true)
  }
  await recorder.close()
})

test('a failed registration is kept and retried, not lost', async () => {
  const { recorder, calls } = await setup(3)
  const uuid = randomUUID()
  recorder.record({ event: 'vcon_created', vconUuid: uuid, vcon: vcon(uuid, 'x') })
  await recorder.flush()
  assert.equal(await recorder.pendingCount(), 1)
  assert.equal((await recorder.events(uuid))[0]?.receipt, undefined)
  const deadline = Date.now() + 5000
  while ((await recorder.pendingCount()) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20))
  }
  assert.equal(await recorder.pendingCount(), 0)
  assert.ok(calls() >= 4)
  assert.ok((await recorder.events(uuid))[0]?.receipt instanceof Uint8Array)
  await recorder.close()
})

test('events left pending are registered by the next recorder on the same database', async () => {
  const first = await setup(1_000)
  const uuid = randomUUID()
  first.recorder.record({ event: 'vcon_created', vconUuid: uuid, vcon: vcon(uuid, 'y') })
  await first.recorder.flush()
  await first.recorder.close()
  assert.equal(await first.recorder.pendingCount(), 1)
  const log = await createTransparencyLog({
    storage: new MemoryLedgerStorage(),
    issuer: 'urn:test:ledger',
    logKey: generateSigningKey(),
    issuerKeys: [publicPart(first.issuer)],
  })
  // A new process on the same file: an outbox of its own over it.
  const outbox = createSqliteLifecycleOutbox({ db: first.db })
  await outbox.migrate()
  const second = createLifecycleRecorder({
    outbox,
    registrar: log,
    issuer: 'urn:test:conserver',
    key: first.issuer,
    log: silentLogger(),
  })
  await second.flush()
  assert.equal(await second.pendingCount(), 0)
  assert.ok((await second.events(uuid))[0]?.entryId !== undefined)
  await second.close()
})

test('flush returns under sustained recording, with everything recorded before it registered', async () => {
  const { recorder } = await setup(0)
  const first = randomUUID()
  recorder.record({ event: 'vcon_created', vconUuid: first, vcon: vcon(first, 'f') })
  let stop = false
  const background = (async () => {
    while (!stop) {
      const uuid = randomUUID()
      recorder.record({ event: 'vcon_created', vconUuid: uuid, vcon: vcon(uuid, 'z') })
      await new Promise((r) => setImmediate(r))
    }
  })()
  const started = Date.now()
  await recorder.flush()
  const took = Date.now() - started
  stop = true
  await background
  assert.ok(took < 5000, `flush took ${took} ms`)
  assert.ok((await recorder.events(first))[0]?.entryId !== undefined)
  await recorder.close()
})
