/**
 * @module The HTTP API on node:http (no framework: the ingest path must be fast, and body limits and streaming
 * NDJSON are ours to control). Every request: route → authenticate (fails closed) → scope → per-token rate limit
 * → admission control (ingest routes) → handler; any error becomes the JSON error model with the status from the
 * one table. Request lines are logged at debug level, without secrets or vCon content.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppContext } from '../app/context.js'
import { authenticate, requireScope } from '../auth/authenticate.js'
import { cachedTokenStore } from '../auth/cached-token-store.js'
import { createRateLimiter } from '../auth/rate-limiter.js'
import { ServerError } from '../errors/server-error.js'
import {
  HTTP_RATE_LIMITED,
  HTTP_REQUEST_SECONDS,
  HTTP_REQUESTS,
} from '../observability/metric-names.js'
import type { TokenRecord } from '../ports/token-store.js'
import { createAdmission } from './admission.js'
import { guardQueue, guardStore } from './guard-backends.js'
import { createKeyedLock } from './keyed-lock.js'
import { sendError } from './respond.js'
import type { HttpServices, Route } from './route.js'
import { createRouter } from './router.js'
import { ALL_ROUTES } from './routes.js'
import { toServerError } from './to-server-error.js'
import { createWriteBatcher } from './write-batcher.js'

export interface HttpServer {
  /** Starts listening; resolves with the port actually bound (useful with port 0). */
  listen(port: number, host: string): Promise<{ port: number }>
  /** Stops accepting connections, finishes the requests in flight, then flushes the write batcher. */
  close(): Promise<void>
  /** The request handler, for mounting on another server. */
  handler: (req: IncomingMessage, res: ServerResponse) => void
}

/** How long `close()` waits for requests in flight before cutting their connections. */
const DRAIN_MS = 10_000

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
])

/** Whether the request carries a body (RFC 9112 §6.3: Content-Length or Transfer-Encoding). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined
}

export function createHttpServer(ctx: AppContext): HttpServer {
  const { config, log, metrics } = ctx
  const services: HttpServices = {
    store: guardStore(ctx.store),
    queue: guardQueue(ctx.queue),
    // The batcher gets the raw adapters: it maps their failures itself and logs the real cause.
    batcher: createWriteBatcher({ store: ctx.store, queue: ctx.queue, metrics, log }),
    admission: createAdmission({
      queue: ctx.queue,
      maxQueueDepth: config.limits.maxQueueDepth,
      metrics,
      now: ctx.now,
    }),
    locks: createKeyedLock(),
  }
  const tokens = cachedTokenStore(ctx.tokens, { now: ctx.now })
  const limiter = createRateLimiter({
    ratePerSecond: config.limits.ratePerSecond,
    burst: config.limits.burst,
    now: ctx.now,
  })
  const router = createRouter<Route>(ALL_ROUTES)

  // Request ids: a random prefix per server and a counter (no random bytes per request on the hot path).
  const idPrefix = randomBytes(4).toString('hex')
  let requestCount = 0
  let inflight = 0
  let closing = false
  const drained: (() => void)[] = []

  async function authorise(req: IncomingMessage, route: Route): Promise<TokenRecord | undefined> {
    if (route.access === 'public') return undefined
    let token: TokenRecord | undefined
    try {
      token = await authenticate(req.headers, tokens, config.tokens)
    } catch (cause) {
      throw new ServerError(
        'UNAVAILABLE',
        'Tokens cannot be checked right now (the token store is unavailable); retry shortly.',
        { retryAfter: 2, cause },
      )
    }
    if (token === undefined) {
      throw new ServerError(
        'UNAUTHENTICATED',
        'This route needs a token: send Authorization: Bearer <token> (or x-conserver-api-token: <token>). Create one with `vcon token create`.',
      )
    }
    if (token.scope !== 'admin' && token.scope !== route.access) requireScope(token, route.access)
    const decision = limiter.take(token.id)
    if (!decision.ok) {
      metrics.inc(HTTP_RATE_LIMITED)
      throw new ServerError(
        'RATE_LIMITED',
        `Token ${token.id} is over its rate limit of ${config.limits.ratePerSecond} requests per second; retry after ${decision.retryAfterSeconds} s.`,
        { retryAfter: decision.retryAfterSeconds },
      )
    }
    return token
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const requestId = `${idPrefix}-${(++requestCount).toString(36)}`
    const method = req.method ?? 'GET'
    let routeLabel = 'unmatched'
    let tokenId: string | undefined
    let allow: readonly string[] | undefined
    res.setHeader('x-request-id', requestId)
    if (closing) res.setHeader('connection', 'close')
    try {
      let url: URL
      try {
        url = new URL(req.url ?? '/', 'http://localhost')
      } catch {
        throw new ServerError('BAD_REQUEST', 'The request target is not a valid URL path.')
      }
      const match = router.match(method, url.pathname)
      if (match.kind === 'bad-path') {
        throw new ServerError('BAD_REQUEST', 'The path has an invalid percent-encoding.')
      }
      if (match.kind === 'not-found') {
        throw new ServerError('NOT_FOUND', `No route ${url.pathname}; see /docs for the API.`)
      }
      if (match.kind === 'method-not-allowed') {
        allow = match.allow
        throw new ServerError(
          'METHOD_NOT_ALLOWED',
          `${method} is not allowed on ${url.pathname}; allowed: ${match.allow.join(', ')}.`,
        )
      }
      const route = match.route
      routeLabel = route.path
      const token = await authorise(req, route)
      tokenId = token?.id
      if (route.admission === true) services.admission.check()
      await route.handle({
        app: ctx,
        services,
        req,
        res,
        url,
        params: match.params,
        token,
        requestId,
      })
    } catch (thrown) {
      const { error, unexpected } = toServerError(thrown, requestId)
      if (unexpected) {
        log.error('request failed', {
          requestId,
          method,
          route: routeLabel,
          error: thrown instanceof Error ? thrown.message : String(thrown),
          stack: thrown instanceof Error ? thrown.stack : undefined,
        })
      } else if (error.code === 'UNAVAILABLE' && error.cause !== undefined) {
        log.warn('backend unavailable', {
          requestId,
          route: routeLabel,
          error: error.cause instanceof Error ? error.cause.message : String(error.cause),
        })
      }
      sendError(res, error, {
        // A body that was refused before it was read is not drained: the connection closes after the answer.
        closeConnection: hasBody(req) && !req.complete,
        ...(allow === undefined ? {} : { headers: { allow: allow.join(', ') } }),
      })
    } finally {
      const seconds = (performance.now() - started) / 1000
      const status = String(res.statusCode)
      // Labels from a closed set only: route patterns, known methods, status codes.
      const methodLabel = KNOWN_METHODS.has(method) ? method : 'OTHER'
      metrics.inc(HTTP_REQUESTS, { method: methodLabel, route: routeLabel, status })
      metrics.observe(HTTP_REQUEST_SECONDS, { method: methodLabel, route: routeLabel }, seconds)
      log.debug('request', {
        requestId,
        method,
        route: routeLabel,
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        ...(tokenId === undefined ? {} : { token: tokenId }),
      })
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    inflight++
    handle(req, res)
      .catch((thrown: unknown) => {
        // handle() answers every error itself; this is the last guard against a crash of the process.
        log.error('request handler crashed', { error: String(thrown) })
        if (!res.headersSent) res.writeHead(500).end()
        else res.destroy()
      })
      .finally(() => {
        inflight--
        if (inflight === 0) for (const done of drained.splice(0)) done()
      })
  }

  const server = createServer(handler)
  // Requests of slow clients: headers within 30 s (slowloris); keep-alive sockets idle for 5 s.
  server.headersTimeout = 30_000
  server.keepAliveTimeout = 5_000

  return {
    handler,
    async listen(port, host) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error)
        server.once('error', onError)
        server.listen(port, host, () => {
          server.off('error', onError)
          resolve()
        })
      })
      // A first queue depth reading, so admission control knows the backlog from the first request on.
      void services.admission.refresh()
      return { port: (server.address() as AddressInfo).port }
    },
    async close() {
      closing = true
      const closed = new Promise<void>((resolve) => {
        if (!server.listening) resolve()
        else server.close(() => resolve())
      })
      server.closeIdleConnections()
      if (inflight > 0) {
        let timer: NodeJS.Timeout | undefined
        await Promise.race([
          new Promise<void>((resolve) => drained.push(resolve)),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, DRAIN_MS)
          }),
        ])
        clearTimeout(timer)
      }
      await services.batcher.close()
      server.closeIdleConnections()
      const cut = setTimeout(() => server.closeAllConnections(), 1_000)
      await closed
      clearTimeout(cut)
    },
  }
}
