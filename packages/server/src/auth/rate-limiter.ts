/**
 * @module Per-token rate limits: a token bucket per key (the token id) that refills at `ratePerSecond` up to
 * `burst`. Keys are authenticated token ids, so the map is bounded by the number of tokens; full buckets are
 * dropped when it grows anyway.
 */

export interface RateLimiterOptions {
  /** Sustained requests per second; 0 or less (or Infinity) disables the limit. */
  readonly ratePerSecond: number
  /** Bucket size: requests allowed at once after a quiet period. At least 1. */
  readonly burst: number
  readonly now: () => number
}

/** The outcome of one take: allowed, or refused with the whole seconds to wait (for Retry-After). */
export type RateDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterSeconds: number }

export interface RateLimiter {
  take(key: string): RateDecision
}

const MAX_KEYS = 10_000

/** A token-bucket limiter. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const rate = options.ratePerSecond
  if (!(rate > 0) || rate === Number.POSITIVE_INFINITY) return { take: () => ({ ok: true }) }
  const burst = Math.max(1, options.burst)
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refill = (bucket: { tokens: number; at: number }, now: number): void => {
    const elapsed = Math.max(0, now - bucket.at) / 1000
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * rate)
    bucket.at = now
  }
  return {
    take(key) {
      const now = options.now()
      let bucket = buckets.get(key)
      if (bucket === undefined) {
        if (buckets.size >= MAX_KEYS) {
          for (const [k, b] of buckets) {
            refill(b, now)
            if (b.tokens >= burst) buckets.delete(k)
          }
        }
        bucket = { tokens: burst, at: now }
        buckets.set(key, bucket)
      } else refill(bucket, now)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return { ok: true }
      }
      const wait = (1 - bucket.tokens) / rate
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) }
    },
  }
}
