/**
 * @module The one way @vconkit/vcon fetches external content: HTTPS only, size-limited, time-limited, and
 * refusing internal addresses, because the urls come from vCons that anyone can craft (SSRF).
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import type { ClientRequest } from 'node:http'
import { type RequestOptions, request } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { rootCertificates } from 'node:tls'
import { isVconError, VconError, type VconErrorCode } from '../errors/vcon-error.js'
import { classifyAddress } from './address-policy.js'

/** What a fetch returns: the payload bytes exactly as received, and the response Content-Type if any. */
export interface FetchResult {
  readonly bytes: Uint8Array
  readonly mediatype?: string
}

/** Fetches one external reference. `createFetcher` makes the safe one; tests and servers may supply others. */
export interface Fetcher {
  fetch(url: string): Promise<FetchResult>
}

/** One resolved address, as `dns.lookup` with `all: true` gives it. */
export interface ResolvedAddress {
  readonly address: string
  readonly family: number
}

/** Resolves a host name to every address it has. The default is `dns.promises.lookup(name, { all: true })`. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>

/** Options of `createFetcher`. */
export interface FetcherOptions {
  /** Largest body accepted, in bytes. Default 100 MiB. */
  readonly maxBytes?: number
  /** Time allowed for the whole fetch (resolution, connection, TLS, redirects, body), in ms. Default 30 s. */
  readonly timeoutMs?: number
  /** Reach loopback, private, link-local and other non-public addresses. Default false: refuse them. */
  readonly allowPrivateAddresses?: boolean
  /**
   * Host names (or literal IPs) that may resolve to non-public addresses even when `allowPrivateAddresses` is
   * false, e.g. an internal media store. Matched exactly, case-insensitively. Other hosts stay restricted.
   */
  readonly allowHosts?: readonly string[]
  /** An extra trusted CA (PEM), added to Node's bundled roots: for tests and private PKI. */
  readonly ca?: string | Buffer
  /** How many redirects to follow, each re-checked like the first url. Default 0: a redirect is an error. */
  readonly maxRedirects?: number
  /** Replaces DNS resolution (tests, custom resolvers). Every address it returns is checked. */
  readonly resolve?: HostResolver
}

const DEFAULT_MAX_BYTES = 100 * 1024 * 1024
const DEFAULT_TIMEOUT_MS = 30_000
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

const defaultResolve: HostResolver = (hostname) => dnsLookup(hostname, { all: true })

/**
 * A url for error messages: credentials and the query string are left out because presigned media urls carry
 * access tokens there, and error messages end up in logs.
 */
export function describeUrl(url: string): string {
  if (!URL.canParse(url)) return JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url)
  const u = new URL(url)
  const hadQuery = u.search !== ''
  u.username = ''
  u.password = ''
  u.search = ''
  u.hash = ''
  return `${u.href}${hadQuery ? '?…' : ''}`
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new VconError('VCON_BAD_ARGUMENT', `createFetcher: ${name} must be a positive integer`)
  }
  return value
}

function bareHost(hostname: string): string {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  return host.toLowerCase().replace(/\.$/, '')
}

interface Context {
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly allowPrivate: boolean
  readonly allowHosts: ReadonlySet<string>
  readonly ca: readonly (string | Buffer)[] | undefined
  readonly maxRedirects: number
  readonly resolve: HostResolver
  /** How errors name the reference, e.g. `https://a/b` or `https://a/b (redirected to https://c/d)`. */
  label: string
}

function fail(code: VconErrorCode, ctx: Context, why: string, cause?: unknown): VconError {
  const verb =
    code === 'VCON_FETCH_REFUSED'
      ? 'refused'
      : code === 'VCON_FETCH_TIMEOUT'
        ? 'timed out'
        : 'failed'
  return new VconError(code, `fetch of ${ctx.label} ${verb}: ${why}`, { cause })
}

/** Why an address may not be reached, or undefined when it may. */
function addressRefusal(ctx: Context, host: string, address: string): string | undefined {
  if (ctx.allowPrivate || ctx.allowHosts.has(host)) return undefined
  const cls = classifyAddress(address)
  if (cls === 'public') return undefined
  return `${address} is a ${cls} address; only public addresses are fetched unless allowPrivateAddresses or allowHosts says otherwise`
}

/**
 * A `lookup` for node:net that resolves the name and refuses it when any of its addresses is not public. The
 * socket connects only to addresses this function returned, so there is no gap between the check and the
 * connection for DNS rebinding to use.
 */
function guardedLookup(ctx: Context, host: string): LookupFunction {
  return (hostname, options, callback) => {
    ctx.resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0
        const addresses = found.filter((a) => family === 0 || a.family === family)
        for (const a of addresses) {
          const refusal = addressRefusal(ctx, host, a.address)
          if (refusal !== undefined) {
            callback(fail('VCON_FETCH_REFUSED', ctx, `${hostname} resolves to ${refusal}`), '', 0)
            return
          }
        }
        const first = addresses[0]
        if (first === undefined) {
          const err = fail('VCON_FETCH_FAILED', ctx, `${hostname} has no address`)
          callback(err, '', 0)
        } else if (options.all === true) {
          // The callback's declared type covers the single-address form only; `all` wants the array.
          ;(callback as unknown as (e: null, a: ResolvedAddress[]) => void)(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          )
        } else {
          callback(null, first.address, first.family)
        }
      },
      (error: unknown) => {
        callback(fail('VCON_FETCH_FAILED', ctx, `cannot resolve ${hostname}`, error), '', 0)
      },
    )
  }
}

type Outcome =
  | { readonly kind: 'body'; readonly bytes: Uint8Array; readonly mediatype?: string }
  | { readonly kind: 'redirect'; readonly location: string }

/** Checks a url before anything touches the network: https, and a literal IP host must be allowed. */
function checkUrl(ctx: Context, url: string): URL {
  if (!URL.canParse(url)) throw fail('VCON_FETCH_REFUSED', ctx, 'not an absolute url')
  const target = new URL(url)
  if (target.protocol !== 'https:') {
    throw fail(
      'VCON_FETCH_REFUSED',
      ctx,
      `scheme ${target.protocol} is not https (core draft §2.4.2)`,
    )
  }
  const host = bareHost(target.hostname)
  // node:net does not call `lookup` for literal IPs, so they are checked here. WHATWG URL parsing has already
  // turned forms like 0x7f.1 or 2130706433 into dotted decimal.
  if (isIP(host) !== 0) {
    const refusal = addressRefusal(ctx, host, host)
    if (refusal !== undefined) throw fail('VCON_FETCH_REFUSED', ctx, refusal)
  }
  return target
}

function requestOnce(ctx: Context, target: URL, signal: AbortSignal): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    let settled = false
    const host = bareHost(target.hostname)
    const onAbort = (): void => finish(signal.reason)
    const finish = (error: unknown, outcome?: Outcome): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      if (outcome !== undefined) resolve(outcome)
      else {
        const why = error instanceof Error ? error.message : String(error)
        reject(isVconError(error) ? error : fail('VCON_FETCH_FAILED', ctx, why, error))
        req?.destroy()
      }
    }
    const options: RequestOptions = {
      hostname: host,
      port: target.port === '' ? 443 : Number(target.port),
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { accept: '*/*', 'accept-encoding': 'identity', 'user-agent': 'vconkit' },
      // A fresh connection per request: no pooled socket, no proxy picked up from the environment.
      agent: false,
      lookup: guardedLookup(ctx, host),
    }
    if (ctx.ca !== undefined) options.ca = [...ctx.ca]
    let req: ClientRequest | undefined
    try {
      req = request(options)
    } catch (error) {
      finish(error)
      return
    }
    signal.addEventListener('abort', onAbort)
    if (signal.aborted) onAbort()
    req.on('error', (error) => finish(error))
    req.on('socket', (socket) => {
      // Belt and braces: whatever path led to this connection, the peer must be an allowed address.
      socket.once('connect', () => {
        const remote = socket.remoteAddress ?? ''
        const refusal = addressRefusal(ctx, host, remote)
        if (refusal !== undefined)
          finish(fail('VCON_FETCH_REFUSED', ctx, `connected to ${refusal}`))
      })
    })
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (REDIRECT_STATUSES.has(status) && typeof location === 'string') {
        res.destroy()
        finish(undefined, { kind: 'redirect', location })
        return
      }
      if (status < 200 || status > 299) {
        res.destroy()
        finish(fail('VCON_FETCH_FAILED', ctx, `the server answered HTTP ${status}`))
        return
      }
      const declared = res.headers['content-length']
      if (declared !== undefined && Number(declared) > ctx.maxBytes) {
        res.destroy()
        const why = `Content-Length ${declared} is above the limit of ${ctx.maxBytes} bytes`
        finish(fail('VCON_FETCH_TOO_LARGE', ctx, why))
        return
      }
      const chunks: Buffer[] = []
      let total = 0
      res.on('data', (chunk: Buffer) => {
        total += chunk.length
        if (total > ctx.maxBytes) {
          res.destroy()
          const why = `the body is above the limit of ${ctx.maxBytes} bytes`
          finish(fail('VCON_FETCH_TOO_LARGE', ctx, why))
          return
        }
        chunks.push(chunk)
      })
      res.on('error', (error) => finish(error))
      res.on('end', () => {
        if (!res.complete) {
          finish(
            fail('VCON_FETCH_FAILED', ctx, 'the connection closed before the body was complete'),
          )
          return
        }
        const bytes = new Uint8Array(total)
        let at = 0
        for (const chunk of chunks) {
          bytes.set(chunk, at)
          at += chunk.length
        }
        const type = res.headers['content-type']?.trim()
        finish(undefined, type ? { kind: 'body', bytes, mediatype: type } : { kind: 'body', bytes })
      })
      res.on('close', () => {
        if (!settled) finish(fail('VCON_FETCH_FAILED', ctx, 'the connection closed early'))
      })
    })
    req.end()
  })
}

async function fetchFollowing(base: Context, url: string): Promise<FetchResult> {
  const ctx: Context = { ...base, label: describeUrl(url) }
  const controller = new AbortController()
  const timer = setTimeout(() => {
    const why = `no complete answer within ${base.timeoutMs} ms (timeoutMs)`
    controller.abort(fail('VCON_FETCH_TIMEOUT', ctx, why))
  }, base.timeoutMs)
  try {
    let current = url
    for (let hop = 0; ; hop++) {
      const target = checkUrl(ctx, current)
      const outcome = await requestOnce(ctx, target, controller.signal)
      if (outcome.kind === 'body') {
        return outcome.mediatype === undefined
          ? { bytes: outcome.bytes }
          : { bytes: outcome.bytes, mediatype: outcome.mediatype }
      }
      if (!URL.canParse(outcome.location, target.href)) {
        throw fail('VCON_FETCH_FAILED', ctx, 'the server redirects to an unparsable Location')
      }
      const next = new URL(outcome.location, target).href
      if (hop >= base.maxRedirects) {
        const why = `the server redirects to ${describeUrl(next)}, and redirects are followed at most ${base.maxRedirects} time(s) (maxRedirects)`
        throw fail('VCON_FETCH_FAILED', ctx, why)
      }
      current = next
      ctx.label = `${describeUrl(url)} (redirected to ${describeUrl(current)})`
    }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Makes the fetcher that pack and the server use for external references (core draft §2.4.2, notes §b.4).
 * Every error is a `VconError` whose message names the url (without query string) and the reason:
 * VCON_FETCH_REFUSED (not https, or a non-public address), VCON_FETCH_TOO_LARGE, VCON_FETCH_TIMEOUT,
 * VCON_FETCH_FAILED (network, TLS, HTTP status, redirect not followed).
 */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const base: Context = {
    maxBytes: positiveInteger('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES),
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    allowPrivate: options.allowPrivateAddresses === true,
    allowHosts: new Set((options.allowHosts ?? []).map(bareHost)),
    ca: options.ca === undefined ? undefined : [...rootCertificates, options.ca],
    maxRedirects:
      options.maxRedirects === undefined || options.maxRedirects === 0
        ? 0
        : positiveInteger('maxRedirects', options.maxRedirects, 0),
    resolve: options.resolve ?? defaultResolve,
    label: '',
  }
  return { fetch: (url) => fetchFollowing(base, url) }
}
