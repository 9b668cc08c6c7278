/**
 * @module The SQLite queue against the Queue contract, plus what only this adapter promises: its own versioned
 * migrations beside the store's tables, and lease tokens that stop a worker whose lease expired from
 * acknowledging a job that another worker now holds.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import Database from 'better-sqlite3'
import type { Job, JobOutcome, Queue } from '../src/ports/queue.js'
import { createSqliteQueue, type SqliteQueueOptions } from '../src/queue/sqlite/sqlite-queue.js'
import { type QueueTestBackend, runQueueContract, waitFor } from './queue-contract.js'

function sqliteBackend(
  extra: Partial<SqliteQueueOptions> = {},
): QueueTestBackend & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-queue-'))
  const file = join(dir, 'queue.db')
  const opened: Queue[] = []
  return {
    file,
    async open() {
      const queue = createSqliteQueue({ file, pollMs: 10, ...extra })
      opened.push(queue)
      return queue
    },
    async cleanup() {
      for (const queue of opened) await queue.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

runQueueContract('sqlite', async () => sqliteBackend(), { leaseMs: 300 })

describe('SQLite queue: schema', () => {
  test('runs its migrations once, beside the store tables of the same file', async () => {
    const backend = sqliteBackend()
    try {
      const db = new Database(backend.file)
      db.exec(
        'CREATE TABLE vcons (uuid TEXT PRIMARY KEY); CREATE TABLE schema_migrations (version INTEGER)',
      )
      const first = createSqliteQueue({ db })
      const second = createSqliteQueue({ db })
      const versions = db.prepare('SELECT version FROM queue_migrations').pluck().all()
      assert.deepEqual(versions, [1])
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all()
      assert.deepEqual(tables, [
        'dead_letters',
        'egress',
        'jobs',
        'queue_migrations',
        'schema_migrations',
        'vcons',
      ])
      await first.enqueue([{ vconUuid: 'u', chain: 'c', step: 0, list: 'l' }])
      assert.equal(await second.depth(), 1)
      // A shared connection belongs to its owner: closing the queue leaves it open.
      await first.close()
      await second.close()
      assert.equal(db.prepare('SELECT count(*) FROM jobs').pluck().get(), 1)
      db.close()
    } finally {
      await backend.cleanup()
    }
  })

  test('needs exactly one of file or db', () => {
    assert.throws(() => createSqliteQueue({}), /exactly one of `file` or `db`/)
  })
})

describe('SQLite queue: lease tokens', () => {
  test("a worker whose lease expired cannot acknowledge the new holder's job", async () => {
    let clock = 1_000_000
    const backend = sqliteBackend({ now: () => clock })
    try {
      const a = await backend.open()
      const b = await backend.open()
      const options = {
        lists: ['in'],
        concurrency: 1,
        leaseMs: 60_000, // extensions every 20 s of real time: never during this test
        retry: { maxAttempts: 5, backoffMs: 10 },
        worker: 'w',
      }
      let releaseA: () => void = () => {}
      let releaseB: () => void = () => {}
      const gateA = new Promise<void>((r) => {
        releaseA = r
      })
      const gateB = new Promise<void>((r) => {
        releaseB = r
      })
      const seenA: Job[] = []
      const seenB: Job[] = []
      const next = (j: Job): JobOutcome => ({ kind: 'done', next: [{ ...j, step: j.step + 1 }] })
      const consumerA = a.consume(options, async (j) => {
        seenA.push(j)
        await gateA
        return next(j)
      })
      await a.enqueue([{ vconUuid: 'v', chain: 'c', step: 0, list: 'in' }])
      await waitFor('A leased', () => seenA.length === 1)
      clock += 120_000 // A's lease is long gone
      const consumerB = b.consume(options, async (j) => {
        seenB.push(j)
        if (j.step === 0) await gateB
        return j.step === 0 ? next(j) : { kind: 'done' }
      })
      await waitFor('B leased', () => seenB.length === 1)
      assert.equal(seenB[0]?.attempt, 2)
      releaseA()
      await consumerA.stop(1_000)
      const db = new Database(backend.file, { readonly: true })
      const rows = () => db.prepare('SELECT step, state FROM jobs').all()
      assert.deepEqual(
        rows(),
        [{ step: 0, state: 'leased' }],
        "A's late acknowledgement was applied",
      )
      releaseB()
      await waitFor('B ran step 1', () => seenB.length === 2)
      await waitFor('empty', async () => (await b.depth()) === 0)
      await consumerB.stop(1_000)
      assert.deepEqual(
        seenB.map((j) => j.step),
        [0, 1],
      )
      assert.deepEqual(seenA.length, 1)
      db.close()
    } finally {
      await backend.cleanup()
    }
  })

  test('a job whose every delivery lapsed becomes a dead letter without running again', async () => {
    let clock = 5_000_000
    const backend = sqliteBackend({ now: () => clock })
    try {
      const dying = await backend.open()
      const survivor = await backend.open()
      const options = {
        lists: ['in'],
        concurrency: 1,
        leaseMs: 60_000,
        retry: { maxAttempts: 1, backoffMs: 10 },
        worker: 'w',
      }
      let started = 0
      dying.consume(options, async () => {
        started += 1
        return new Promise<JobOutcome>(() => {})
      })
      await dying.enqueue([{ vconUuid: 'v', chain: 'c', step: 4, list: 'in' }])
      await waitFor('leased', () => started === 1)
      await dying.close()
      clock += 61_000
      let ran = 0
      const consumer = survivor.consume(options, async () => {
        ran += 1
        return { kind: 'done' }
      })
      await waitFor(
        'dead letter',
        async () => (await survivor.deadLetters({ limit: 5 })).length === 1,
      )
      await consumer.stop(1_000)
      const [dead] = await survivor.deadLetters({ limit: 5 })
      assert.equal(ran, 0)
      assert.equal(dead?.attempt, 1)
      assert.equal(dead?.failedStep, '#4')
      assert.match(dead?.error ?? '', /not acknowledged/)
      assert.equal(await survivor.depth(), 0)
    } finally {
      await backend.cleanup()
    }
  })
})
