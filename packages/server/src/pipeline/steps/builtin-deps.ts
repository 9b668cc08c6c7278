/**
 * @module What the built-in steps are handed besides their options: the environment (API keys are read from
 * it at start), the rate limiter shared by every vendor step, and how to fetch external media.
 */
import type { Fetcher, FetcherOptions } from '@vconkit/vcon'
import type { Env } from '../options/read-options.js'
import type { VendorRateLimiter } from '../vendor/rate-limiter.js'

export interface BuiltinStepDeps {
  readonly env: Env
  readonly limiter: VendorRateLimiter
  /** Makes the fetcher for media urls; the library's `createFetcher` (https only, SSRF-guarded) by default. */
  readonly createFetcher: (options: FetcherOptions) => Fetcher
}
