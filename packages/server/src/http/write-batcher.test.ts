import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { JobInput, Queue } from '../ports/queue.js'
import type { InsertOptions, InsertOutcome, NewVcon, Store } from '../ports/store.js'
import { createWriteBatcher } from './write-batcher.js'

const silent: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silent,
}
const metrics: Metrics = { inc() {}, set() {}, observe() {}, render: async () => '' }

function record(uuid: string): NewVcon {
  return {
    uuid,
    json: `{"uuid":"${uuid}"}`,
    vcon: { uuid },
    index: {
      tels: [],
      mailtos: [],
      names: [],
      tags: [],
      subject: undefined,
      createdAt: '',
      text: '',
    },
  }
}

interface Fakes {
  store: Store
  queue: Queue
  batches: string[][]
  enqueued: JobInput[][]
  deleted: string[]
  failStore: boolean
  failQueue: boolean
}

function fakes(existing: readonly string[] = []): Fakes {
  const stored = new Set(existing)
  const f: Fakes = {
    batches: [],
    enqueued: [],
    deleted: [],
    failStore: false,
    failQueue: false,
    store: {
      async insertMany(records: readonly NewVcon[], _options?: readonly InsertOptions[]) {
        if (f.failStore) throw new Error('disk on fire')
        f.batches.push(records.map((r) => r.uuid))
        return records.map((r): InsertOutcome => {
          if (stored.has(r.uuid)) return { status: 'exists', uuid: r.uuid }
          stored.add(r.uuid)
          return { status: 'created', uuid: r.uuid }
        })
      },
      async delete(uuid: string) {
        f.deleted.push(uuid)
        return stored.delete(uuid)
      },
    } as unknown as Store,
    queue: {
      async enqueue(jobs: readonly JobInput[]) {
        if (f.failQueue) throw new Error('redis gone')
        f.enqueued.push([...jobs])
      },
    } as unknown as Queue,
  }
  return f
}

const job = (uuid: string): JobInput => ({ vconUuid: uuid, chain: 'c', step: 0, list: 'l' })

describe('write batcher', () => {
  test('concurrent creates are committed in one transaction and enqueued in one call', async () => {
    const f = fakes()
    const batcher = createWriteBatcher({ store: f.store, queue: f.queue, metrics, log: silent })
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((u) => batcher.submit({ record: record(u), jobs: [job(u)] })),
    )
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['created', 'created', 'created'],
    )
    assert.deepEqual(f.batches, [['a', 'b', 'c']])
    assert.deepEqual(f.enqueued, [[job('a'), job('b'), job('c')]])
  })

  test('a batch holds at most maxItems; the rest goes into the next transaction', async () => {
    const f = fakes()
    const batcher = createWriteBatcher({
      store: f.store,
      queue: f.queue,
      metrics,
      log: silent,
      maxItems: 2,
    })
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((u) => batcher.submit({ record: record(u), jobs: [] })),
    )
    assert.deepEqual(f.batches, [['a', 'b'], ['c', 'd'], ['e']])
    assert.deepEqual(f.enqueued, [])
  })

  test('an existing uuid is reported as exists and gets no job', async () => {
    const f = fakes(['old'])
    const batcher = createWriteBatcher({ store: f.store, queue: f.queue, metrics, log: silent })
    const [old, fresh] = await Promise.all([
      batcher.submit({ record: record('old'), jobs: [job('old')] }),
      batcher.submit({ record: record('new'), jobs: [job('new')] }),
    ])
    assert.equal(old?.status, 'exists')
    assert.equal(fresh?.status, 'created')
    assert.deepEqual(f.enqueued, [[job('new')]])
  })

  test('a failed commit rejects every request of the batch with UNAVAILABLE', async () => {
    const f = fakes()
    f.failStore = true
    const batcher = createWriteBatcher({ store: f.store, queue: f.queue, metrics, log: silent })
    const results = await Promise.allSettled(
      ['a', 'b'].map((u) => batcher.submit({ record: record(u), jobs: [] })),
    )
    for (const r of results) {
      assert.equal(r.status, 'rejected')
      assert.ok(
        r.status === 'rejected' &&
          r.reason instanceof ServerError &&
          r.reason.code === 'UNAVAILABLE',
      )
    }
  })

  test('a failed enqueue deletes the vCons that needed jobs and rejects only those', async () => {
    const f = fakes()
    f.failQueue = true
    const batcher = createWriteBatcher({ store: f.store, queue: f.queue, metrics, log: silent })
    const [queued, plain] = await Promise.allSettled([
      batcher.submit({ record: record('queued'), jobs: [job('queued')] }),
      batcher.submit({ record: record('plain'), jobs: [] }),
    ])
    assert.equal(queued?.status, 'rejected')
    assert.ok(
      queued?.status === 'rejected' &&
        queued.reason instanceof ServerError &&
        queued.reason.code === 'UNAVAILABLE' &&
        queued.reason.retryAfter !== undefined,
    )
    assert.equal(plain?.status, 'fulfilled')
    assert.deepEqual(f.deleted, ['queued'])
  })

  test('close commits what waits, then refuses new items', async () => {
    const f = fakes()
    const batcher = createWriteBatcher({
      store: f.store,
      queue: f.queue,
      metrics,
      log: silent,
      maxDelayMs: 60_000,
    })
    const pending = batcher.submit({ record: record('a'), jobs: [] })
    await batcher.close()
    assert.equal((await pending).status, 'created')
    await assert.rejects(
      batcher.submit({ record: record('b'), jobs: [] }),
      (e) => e instanceof ServerError && e.code === 'UNAVAILABLE',
    )
  })
})
