/**
 * @module UUIDv8 for vCon identifiers (core draft §4.1.2): the UUIDv7 layout (48-bit Unix-ms timestamp, then
 * 12 sub-millisecond bits) with version 8, and the low 62 bits (`custom_c`) taken from the SHA-1 of a domain name.
 */
import { createHash } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'

/** Options of the UUIDv8 generator. Clocks are injected so that tests are reproducible (design §2). */
export interface Uuid8Options {
  /** The domain name whose SHA-1 supplies the low 62 bits; SHOULD match the signing certificate (§4.1.2). */
  readonly domain: string
  /** Unix time in milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number
  /**
   * Sub-millisecond fraction as an integer in [0, 4095] (12 bits, RFC 9562 §6.2 method 3). Defaults to the
   * fraction of `performance.now()` when `now` is not given, and to 0 when it is (so that injected clocks give
   * reproducible output).
   */
  readonly subMs?: () => number
}

const MAX_TIMESTAMP = 2 ** 48 - 1
const MAX_COUNTER = 0xfff

/** The low 62 bits of the first 8 bytes (big-endian) of SHA-1(domain), as 16 hex digits with the variant set. */
function domainBits(domain: string): string {
  if (typeof domain !== 'string' || domain.length === 0) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'uuid8: `domain` must be a non-empty domain name (e.g. the domain of the signing certificate).',
    )
  }
  const digest = createHash('sha1').update(domain, 'utf8').digest()
  const bytes = Uint8Array.from(digest.subarray(0, 8))
  // RFC 9562 §4.1: variant 10xx in the top two bits of octet 8; the other 62 bits are the hash's.
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x80
  return Buffer.from(bytes).toString('hex')
}

function defaultSubMs(): number {
  const t = performance.now()
  return Math.floor((t - Math.floor(t)) * 4096) & MAX_COUNTER
}

function checkTimestamp(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIMESTAMP) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `uuid8: the clock returned ${ms}; \`now\` must return Unix milliseconds between 0 and 2^48-1.`,
    )
  }
  return Math.floor(ms)
}

function checkCounter(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_COUNTER) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `uuid8: \`subMs\` returned ${value}; it must return an integer between 0 and 4095.`,
    )
  }
  return value
}

function format(ms: number, counter: number, low: string): string {
  const time = ms.toString(16).padStart(12, '0')
  const randA = counter.toString(16).padStart(3, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-8${randA}-${low.slice(0, 4)}-${low.slice(4)}`
}

/** Monotonic state shared by the generators that use the real clock. */
interface ClockState {
  lastMs: number
  lastCounter: number
}

function next(state: ClockState, ms: number, sub: number): { ms: number; counter: number } {
  // RFC 9562 §6.2: keep ids ordered within a millisecond and across a clock that steps back; when the
  // 12-bit counter runs out, borrow from the next millisecond rather than wrap.
  let outMs = ms
  let counter = sub
  if (outMs <= state.lastMs) {
    outMs = state.lastMs
    counter = Math.max(sub, state.lastCounter + 1)
    if (counter > MAX_COUNTER) {
      outMs = state.lastMs + 1
      counter = 0
    }
  }
  if (outMs > MAX_TIMESTAMP) {
    throw new VconError('VCON_BAD_ARGUMENT', 'uuid8: the 48-bit timestamp overflowed.')
  }
  state.lastMs = outMs
  state.lastCounter = counter
  return { ms: outMs, counter }
}

/**
 * A generator of time-ordered UUIDv8 for one domain: ids from one generator sort ascending (as strings and
 * as 128-bit numbers) even when the clock does not advance between calls.
 */
export function createUuid8Generator(options: Uuid8Options): () => string {
  const low = domainBits(options.domain)
  const now = options.now ?? Date.now
  const subMs = options.subMs ?? (options.now === undefined ? defaultSubMs : () => 0)
  const state: ClockState = { lastMs: -1, lastCounter: -1 }
  return () => {
    const { ms, counter } = next(state, checkTimestamp(now()), checkCounter(subMs()))
    return format(ms, counter, low)
  }
}

/** Shared by `uuid8()` calls on the real clock, so consecutive calls in one process stay ordered. */
const processClock: ClockState = { lastMs: -1, lastCounter: -1 }

/**
 * One UUIDv8 for `domain` (core draft §4.1.2). Calls that use the real clock share one monotonic counter, so
 * they sort in call order; with an injected `now` the result depends only on the options.
 */
export function uuid8(options: Uuid8Options): string {
  const low = domainBits(options.domain)
  if (options.now === undefined) {
    const sub = checkCounter((options.subMs ?? defaultSubMs)())
    const { ms, counter } = next(processClock, checkTimestamp(Date.now()), sub)
    return format(ms, counter, low)
  }
  const ms = checkTimestamp(options.now())
  const counter = checkCounter(options.subMs === undefined ? 0 : options.subMs())
  return format(ms, counter, low)
}

/** The parts of a UUIDv8 made by `uuid8`, for tests and diagnostics. */
export interface Uuid8Fields {
  /** Unix milliseconds of the 48-bit timestamp. */
  readonly timestamp: number
  readonly version: number
  /** The 12 sub-millisecond / counter bits. */
  readonly counter: number
  /** The two variant bits (2 = binary 10). */
  readonly variant: number
  /** The low 62 bits as a bigint. */
  readonly low62: bigint
}

/** Splits a UUID string into the fields of the draft's UUIDv8 layout. */
export function decodeUuid8(uuid: string): Uuid8Fields {
  const hex = uuid.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `decodeUuid8: "${uuid}" is not an 8-4-4-4-12 hex UUID.`,
    )
  }
  const value = BigInt(`0x${hex}`)
  return {
    timestamp: Number(value >> 80n),
    version: Number((value >> 76n) & 0xfn),
    counter: Number((value >> 64n) & 0xfffn),
    variant: Number((value >> 62n) & 0x3n),
    low62: value & ((1n << 62n) - 1n),
  }
}

/** The low 62 bits a UUIDv8 for `domain` carries (the first 8 bytes of SHA-1(domain), top 2 bits dropped). */
export function uuid8DomainBits(domain: string): bigint {
  return BigInt(`0x${domainBits(domain)}`) & ((1n << 62n) - 1n)
}
