import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createVendorRateLimiter, type LimiterClock } from './rate-limiter.js'
import { rateLimitKey, vendorEndpoint } from './vendor-options.js'

/** A clock whose sleeps are recorded and do not wait; `advance` moves time. */
function fakeClock() {
  let now = 0
  const sleeps: number[] = []
  const clock: LimiterClock = {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw signal.reason
      sleeps.push(ms)
    },
  }
  return { clock, sleeps, advance: (ms: number) => (now += ms) }
}

const signal = new AbortController().signal

describe('vendor rate limiter', () => {
  test('a burst goes at once, then requests are spaced at the rate', async () => {
    const { clock, sleeps } = fakeClock()
    const limiter = createVendorRateLimiter(clock)
    const limit = { requestsPerSecond: 2, burst: 2 }
    for (let i = 0; i < 5; i++) await limiter.acquire('https://api.example/v1/', limit, signal)
    // Two from the burst; then each waits for its own token: 0.5 s, 1 s, 1.5 s from now.
    assert.deepEqual(sleeps, [500, 1000, 1500])
  })

  test('tokens refill with time, up to the burst', async () => {
    const { clock, sleeps, advance } = fakeClock()
    const limiter = createVendorRateLimiter(clock)
    const limit = { requestsPerSecond: 1, burst: 3 }
    for (let i = 0; i < 3; i++) await limiter.acquire('k', limit, signal)
    advance(10_000)
    for (let i = 0; i < 3; i++) await limiter.acquire('k', limit, signal)
    assert.deepEqual(sleeps, [])
    await limiter.acquire('k', limit, signal)
    assert.deepEqual(sleeps, [1000])
  })

  test('buckets are per vendor; steps sharing a vendor share the strictest limit', async () => {
    const { clock, sleeps } = fakeClock()
    const limiter = createVendorRateLimiter(clock)
    await limiter.acquire('a', { requestsPerSecond: 1, burst: 1 }, signal)
    await limiter.acquire('b', { requestsPerSecond: 1, burst: 1 }, signal)
    assert.deepEqual(sleeps, [])
    await limiter.acquire('a', { requestsPerSecond: 100, burst: 100 }, signal)
    assert.deepEqual(sleeps, [1000])
  })

  test('an aborted wait rejects and gives its token back', async () => {
    const { clock, sleeps } = fakeClock()
    const limiter = createVendorRateLimiter(clock)
    const limit = { requestsPerSecond: 1, burst: 1 }
    await limiter.acquire('k', limit, signal)
    const aborted = AbortSignal.abort(new Error('stop'))
    await assert.rejects(limiter.acquire('k', limit, aborted), /stop/)
    await limiter.acquire('k', limit, signal)
    // Without the refund this wait would be 2 s.
    assert.deepEqual(sleeps, [1000])
  })

  test('the real clock waits', async () => {
    const limiter = createVendorRateLimiter()
    const limit = { requestsPerSecond: 20, burst: 1 }
    const started = Date.now()
    for (let i = 0; i < 3; i++) await limiter.acquire('k', limit, signal)
    assert.ok(Date.now() - started >= 90, `took ${Date.now() - started} ms`)
  })

  test('one bucket per base URL, with or without /v1', () => {
    assert.equal(
      vendorEndpoint(new URL('https://api.openai.com'), '/v1/chat/completions').href,
      'https://api.openai.com/v1/chat/completions',
    )
    assert.equal(
      vendorEndpoint(new URL('http://127.0.0.1:8080/v1/'), '/v1/listen').href,
      'http://127.0.0.1:8080/v1/listen',
    )
    assert.equal(
      vendorEndpoint(new URL('https://proxy.example/openai'), '/v1/audio/transcriptions').href,
      'https://proxy.example/openai/v1/audio/transcriptions',
    )
    assert.equal(
      rateLimitKey(new URL('https://api.openai.com')),
      rateLimitKey(new URL('https://api.openai.com/v1')),
    )
  })
})
