import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import type { Metrics } from '../observability/metrics.js'
import type { Queue } from '../ports/queue.js'
import { createAdmission } from './admission.js'

const metrics: Metrics = { inc() {}, set() {}, observe() {}, render: async () => '' }

test('the depth is read at most once per ttl, in the background, and gates ingest', async () => {
  let depth = 0
  let reads = 0
  let now = 0
  const queue = {
    async depth() {
      reads++
      return depth
    },
  } as unknown as Queue
  const admission = createAdmission({
    queue,
    maxQueueDepth: 10,
    metrics,
    now: () => now,
    ttlMs: 100,
  })
  admission.check()
  admission.check()
  await admission.refresh() // joins the reading already under way
  assert.equal(reads, 1)
  depth = 11
  admission.check() // within the ttl: no new reading, the old depth (0) admits
  assert.equal(reads, 1)
  now = 150
  admission.check() // starts a reading; this request still sees the old value
  assert.equal(reads, 2)
  await new Promise((r) => setImmediate(r))
  assert.throws(
    () => admission.check(),
    (e) => e instanceof ServerError && e.code === 'UNAVAILABLE' && (e.retryAfter ?? 0) > 0,
  )
})

test('a failing depth reading keeps the last value', async () => {
  let fail = false
  const queue = {
    async depth() {
      if (fail) throw new Error('down')
      return 50
    },
  } as unknown as Queue
  let now = 0
  const admission = createAdmission({ queue, maxQueueDepth: 10, metrics, now: () => now })
  await admission.refresh()
  fail = true
  now = 1000
  await admission.refresh()
  assert.throws(() => admission.check())
})
