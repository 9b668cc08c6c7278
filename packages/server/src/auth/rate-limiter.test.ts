import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRateLimiter } from './rate-limiter.js'

test('a bucket allows `burst` at once, then refills at the rate, per key', () => {
  let now = 0
  const limiter = createRateLimiter({ ratePerSecond: 2, burst: 3, now: () => now })
  assert.deepEqual(
    [1, 2, 3, 4].map(() => limiter.take('a').ok),
    [true, true, true, false],
  )
  assert.equal(limiter.take('b').ok, true)
  const refused = limiter.take('a')
  assert.deepEqual(refused, { ok: false, retryAfterSeconds: 1 })
  now = 500
  assert.equal(limiter.take('a').ok, true)
  assert.equal(limiter.take('a').ok, false)
  now = 10_000
  assert.deepEqual(
    [1, 2, 3, 4].map(() => limiter.take('a').ok),
    [true, true, true, false],
  )
})

test('Retry-After rounds the wait up to whole seconds', () => {
  const limiter = createRateLimiter({ ratePerSecond: 0.25, burst: 1, now: () => 0 })
  assert.equal(limiter.take('a').ok, true)
  assert.deepEqual(limiter.take('a'), { ok: false, retryAfterSeconds: 4 })
})

test('a rate of 0 turns the limit off', () => {
  const limiter = createRateLimiter({ ratePerSecond: 0, burst: 1, now: () => 0 })
  for (let i = 0; i < 100; i++) assert.equal(limiter.take('a').ok, true)
})
