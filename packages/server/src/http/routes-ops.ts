/**
 * @module Operations routes: `/health` (liveness: static, as in the Conserver, so a slow database never gets a
 * live process restarted), `/ready` (the store and queue answer a ping: 200, else 503 with Retry-After),
 * `/version`, Prometheus `/metrics`, and the API's own description (`/openapi.json`, `/docs`).
 *
 * `/metrics` needs a token (read or admin). Its labels carry ingress list, chain and step names and the volumes
 * of traffic, which are operational facts about a deployment; the server never runs open, and Prometheus sends
 * a bearer token natively (`authorization: { credentials_file: ... }` in the scrape config).
 */
import { ServerError } from '../errors/server-error.js'
import { renderDocsPage } from './docs-page.js'
import { openApiDocument } from './openapi.js'
import { JSON_TYPE, sendBody, sendJson } from './respond.js'
import type { RequestContext, Route } from './route.js'
import { versionInfo } from './version-info.js'

async function health(rc: RequestContext): Promise<void> {
  sendJson(rc.res, 200, { status: 'healthy', version: versionInfo() })
}

async function version(rc: RequestContext): Promise<void> {
  sendJson(rc.res, 200, versionInfo())
}

/** A ping that fails after `ms` instead of hanging a readiness probe. */
async function probe(ping: () => Promise<void>, ms: number): Promise<'ok' | 'unreachable'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'unreachable'>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), ms)
  })
  try {
    return await Promise.race([ping().then((): 'ok' => 'ok'), timeout])
  } catch {
    return 'unreachable'
  } finally {
    clearTimeout(timer)
  }
}

async function ready(rc: RequestContext): Promise<void> {
  const { app } = rc
  const [store, queue] = await Promise.all([
    probe(() => app.store.ping(), 2000),
    probe(() => app.queue.ping(), 2000),
  ])
  const ok = store === 'ok' && queue === 'ok'
  sendJson(
    rc.res,
    ok ? 200 : 503,
    { status: ok ? 'ready' : 'unavailable', store, queue },
    ok ? {} : { 'retry-after': '5' },
  )
}

async function metrics(rc: RequestContext): Promise<void> {
  let text: string
  try {
    text = await rc.app.metrics.render()
  } catch (cause) {
    throw new ServerError('INTERNAL', 'The metrics could not be rendered.', { cause })
  }
  sendBody(rc.res, 200, 'text/plain; version=0.0.4; charset=utf-8', text)
}

let openApiText: string | undefined
let docsHtml: string | undefined

async function openapi(rc: RequestContext): Promise<void> {
  openApiText ??= JSON.stringify(openApiDocument())
  sendBody(rc.res, 200, JSON_TYPE, openApiText)
}

async function docs(rc: RequestContext): Promise<void> {
  docsHtml ??= renderDocsPage(openApiDocument())
  sendBody(rc.res, 200, 'text/html; charset=utf-8', docsHtml, {
    // Self-contained: no script runs, nothing is fetched from elsewhere.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  })
}

export const opsRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', access: 'public', handle: health },
  { method: 'GET', path: '/ready', access: 'public', handle: ready },
  { method: 'GET', path: '/version', access: 'public', handle: version },
  { method: 'GET', path: '/metrics', access: 'read', handle: metrics },
  { method: 'GET', path: '/openapi.json', access: 'public', handle: openapi },
  { method: 'GET', path: '/docs', access: 'public', handle: docs },
]
