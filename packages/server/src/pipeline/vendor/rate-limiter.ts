/**
 * @module Per-vendor rate limits: one token bucket per vendor base URL, shared by every step of every chain
 * that calls it, so that two transcribe steps pointed at the same account stay under its quota together.
 * A request reserves the next token (the balance may go below zero) and waits until that token is due, which
 * serves waiters in order without a queue.
 */

/** A limit: steady requests per second, and how many may go at once after a quiet period. */
export interface RateLimit {
  readonly requestsPerSecond: number
  readonly burst: number
}

/** The shared limiter handed to vendor steps. */
export interface VendorRateLimiter {
  /**
   * Resolves when a request to `key` (a vendor base URL) may start. Rejects with the signal's reason when it
   * is aborted while waiting, and gives the reserved token back.
   */
  acquire(key: string, limit: RateLimit, signal: AbortSignal): Promise<void>
}

/** Time source and sleeper (tests use a fake clock). */
export interface LimiterClock {
  readonly now: () => number
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

interface Bucket {
  tokens: number
  updatedAt: number
  rate: number
  burst: number
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const systemClock: LimiterClock = { now: () => Date.now(), sleep: realSleep }

/** Makes a limiter; the builtin step registry makes one and shares it among its steps. */
export function createVendorRateLimiter(clock: LimiterClock = systemClock): VendorRateLimiter {
  const buckets = new Map<string, Bucket>()
  return {
    async acquire(key, limit, signal) {
      const now = clock.now()
      let bucket = buckets.get(key)
      if (bucket === undefined) {
        bucket = {
          tokens: limit.burst,
          updatedAt: now,
          rate: limit.requestsPerSecond,
          burst: limit.burst,
        }
        buckets.set(key, bucket)
      } else {
        // Steps that configure the same vendor differently share the strictest limit.
        bucket.rate = Math.min(bucket.rate, limit.requestsPerSecond)
        bucket.burst = Math.min(bucket.burst, limit.burst)
      }
      const elapsed = Math.max(0, now - bucket.updatedAt) / 1000
      bucket.tokens = Math.min(bucket.burst, bucket.tokens + elapsed * bucket.rate)
      bucket.updatedAt = now
      bucket.tokens -= 1
      if (bucket.tokens >= 0) return
      const waitMs = Math.ceil((-bucket.tokens / bucket.rate) * 1000)
      try {
        await clock.sleep(waitMs, signal)
      } catch (error) {
        bucket.tokens += 1
        throw error
      }
    },
  }
}
