/**
 * @module The options every vendor step shares (transcribe, analyse): where the API is, the environment
 * variable holding its key, a time limit, a rate limit and the vendor name written into the analysis. The
 * base URL is configurable so that a self-hosted model server speaking the same API works like the cloud one.
 */
import {
  checkKeys,
  type Env,
  nestedOptions,
  type Options,
  optBoolean,
  optEnvSecret,
  optHttpUrl,
  optionError,
  optNumber,
  optObject,
  optString,
} from '../options/read-options.js'
import type { RateLimit } from './rate-limiter.js'

/** The option keys read here (steps add their own). */
export const VENDOR_OPTION_KEYS = [
  'baseUrl',
  'apiKeyEnv',
  'timeoutMs',
  'rateLimit',
  'allowInsecure',
  'vendorName',
] as const

/** Resolved vendor options. */
export interface VendorOptions {
  readonly baseUrl: URL
  /** The API key read from the environment at start; undefined when no apiKeyEnv is set (local servers). */
  readonly apiKey: string | undefined
  readonly timeoutMs: number
  readonly rateLimit: RateLimit | undefined
  /** Written as the analysis `vendor` (core draft §4.5.5) and, lowercased, as the WTF `provider`. */
  readonly vendorName: string
}

/** Reads `rateLimit: { requestsPerSecond, burst }`; burst defaults to one second's worth (at least 1). */
export function readRateLimit(options: Options): RateLimit | undefined {
  const raw = optObject(options, 'rateLimit')
  if (raw === undefined) return undefined
  const o = nestedOptions('rateLimit', raw)
  checkKeys('rateLimit', o, ['rateLimit.requestsPerSecond', 'rateLimit.burst'])
  const rps = optNumber(o, 'rateLimit.requestsPerSecond', { min: 0.001 })
  if (rps === undefined) throw optionError('rateLimit.requestsPerSecond', 'is required')
  const burst = optNumber(o, 'rateLimit.burst', {
    min: 1,
    integer: true,
    fallback: Math.max(1, Math.ceil(rps)),
  })
  return { requestsPerSecond: rps, burst }
}

/** Reads the shared vendor options. */
export function readVendorOptions(
  options: Options,
  env: Env,
  defaults: { readonly baseUrl: string; readonly vendorName: string; readonly timeoutMs: number },
): VendorOptions {
  const allowInsecure = optBoolean(options, 'allowInsecure', false)
  const baseUrl = optHttpUrl(options, 'baseUrl', { fallback: defaults.baseUrl, allowInsecure })
  if (baseUrl.search !== '' || baseUrl.hash !== '') {
    throw optionError('baseUrl', 'must not carry a query string or fragment')
  }
  if (baseUrl.username !== '' || baseUrl.password !== '') {
    throw optionError('baseUrl', 'must not carry credentials; name the key in options.apiKeyEnv')
  }
  return {
    baseUrl,
    apiKey: optEnvSecret(options, 'apiKeyEnv', env),
    timeoutMs: optNumber(options, 'timeoutMs', {
      min: 1,
      max: 3_600_000,
      integer: true,
      fallback: defaults.timeoutMs,
    }),
    rateLimit: readRateLimit(options),
    vendorName: optString(options, 'vendorName') ?? defaults.vendorName,
  }
}

/**
 * The URL of an API path under the base URL. The base may be the server root (`https://api.openai.com`) or
 * already end in `/v1` (`http://127.0.0.1:8080/v1`, the form many self-hosted servers document).
 */
export function vendorEndpoint(base: URL, path: `/v1/${string}`): URL {
  const root = base.pathname.replace(/\/+$/, '')
  const prefix = root.endsWith('/v1') ? root.slice(0, -3) : root
  const url = new URL(base.href)
  url.pathname = `${prefix}${path}`
  return url
}

/** The rate limiter's key: one bucket per vendor base URL. */
export function rateLimitKey(base: URL): string {
  return vendorEndpoint(base, '/v1/').href
}
