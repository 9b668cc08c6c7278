/**
 * @module Benchmark of the embedded ledger as the conserver runs it: registrations per second WITH receipts on
 * the SQLite LedgerStorage (a temp file, WAL, synchronous FULL and NORMAL), with many registrations in flight
 * all the time (after a warm-up of 2,000; the log's group commit appends the waiting ones in one transaction under one signature), receipt
 * retrievals per second (rebuilt from storage), and lifecycle statements signed per second (the conserver's
 * side). Prints one JSON object. Wall-clock rates, on a shared machine: treat them as orders of magnitude.
 * Run: node --conditions=vconkit-source --import tsx packages/server/bench/ledger-sqlite.bench.ts
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createLifecycleEvent,
  createLifecycleStatement,
  createTransparencyLog,
  generateSigningKey,
  LIFECYCLE_EVENT_MEDIA_TYPE,
  publicPart,
} from '@vconkit/ledger'
import { createSqliteLedgerStorage } from '../src/ledger/sqlite-ledger-storage.js'

const COUNT = Number(process.env.LEDGER_BENCH_COUNT ?? 20_000)
const IN_FLIGHT = 2_000

const issuer = generateSigningKey('ES256')
const iss = 'urn:vconkit:conserver:bench'

function statements(n: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const created = createLifecycleEvent({
      event: 'vcon_created',
      vconUuid: randomUUID(),
      vconHash: 'ab'.repeat(32),
      prev: null,
      occurredAt: new Date(),
    })
    out.push(createLifecycleStatement(created, { iss, key: issuer, iat: new Date() }))
  }
  return out
}

async function run(synchronous: 'FULL' | 'NORMAL', batch: readonly Uint8Array[]) {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-ledger-bench-'))
  const storage = createSqliteLedgerStorage({ file: join(dir, 'ledger.db'), synchronous })
  await storage.migrate()
  const log = await createTransparencyLog({
    storage,
    issuer: 'urn:vconkit:ledger:bench',
    logKey: generateSigningKey('ES256'),
    issuerKeys: [publicPart(issuer)],
    policy: { contentTypes: [LIFECYCLE_EVENT_MEDIA_TYPE] },
  })
  // Warm-up (JIT, SQLite page cache), not timed.
  await Promise.all(warmUp.map((s) => log.register(s)))
  // Sustained load: IN_FLIGHT registrations outstanding at every moment, a new one as soon as one answers.
  const ids: string[] = []
  let next = 0
  const start = performance.now()
  const lane = async () => {
    while (next < batch.length) {
      const statement = batch[next++] as Uint8Array
      ids.push((await log.register(statement)).entryId)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
  const seconds = (performance.now() - start) / 1000
  const sample = ids.filter((_, i) => i % 10 === 0)
  const t0 = performance.now()
  for (const id of sample) await log.getReceipt(id)
  const receiptSeconds = (performance.now() - t0) / 1000
  await log.close()
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
  return {
    registrationsPerSecond: Math.round(batch.length / seconds),
    receiptRetrievalsPerSecond: Math.round(sample.length / receiptSeconds),
  }
}

const warmUp = statements(2_000)
const t = performance.now()
const batch = statements(COUNT)
const signingPerSecond = Math.round(COUNT / ((performance.now() - t) / 1000))
const full = await run('FULL', batch)
const normal = await run('NORMAL', batch)
console.log(
  JSON.stringify(
    {
      entries: COUNT,
      inFlight: IN_FLIGHT,
      lifecycleStatementsSignedPerSecond: signingPerSecond,
      sqliteSynchronousFull: full,
      sqliteSynchronousNormal: normal,
    },
    null,
    2,
  ),
)
