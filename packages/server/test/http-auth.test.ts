/**
 * Black-box tests of who may do what: 401 without or with a wrong token, 403 by scope and list binding, both
 * token headers, configured tokens, per-token rate limits (429 + Retry-After), admission control on queue backlog
 * (503 + Retry-After), and 503 (never 500) when the store or the queue is unreachable.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { Queue } from '../src/ports/queue.js'
import type { Store } from '../src/ports/store.js'
import { sampleText, VCON_JSON } from './support/http-vcons.js'
import { startTestServer, type TestServer } from './support/start-test-server.js'

async function codeOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code
}

describe('authentication and scopes', () => {
  let s: TestServer
  let stored: string
  before(async () => {
    s = await startTestServer()
    stored = randomUUID()
    const res = await s.fetch('/v1/vcons', {
      method: 'POST',
      body: sampleText(stored),
      headers: VCON_JSON,
    })
    assert.equal(res.status, 201)
  })
  after(async () => {
    await s.close()
  })

  test('no token, a wrong token and a non-Bearer scheme are 401 with WWW-Authenticate', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer vck_000000000000_wrong' },
      { authorization: `Basic ${s.tokens.admin}` },
      { 'x-conserver-api-token': 'not-a-token' },
    ]
    for (const headers of attempts) {
      const res = await s.fetch(`/v1/vcons/${stored}`, { token: null, headers })
      assert.equal(res.status, 401, JSON.stringify(headers))
      assert.equal(res.headers.get('www-authenticate'), 'Bearer')
      assert.equal(await codeOf(res), 'UNAUTHENTICATED')
    }
  })

  test('both headers carry a token; a token from the configuration works too', async () => {
    const bearer = await s.fetch(`/v1/vcons/${stored}`, { token: s.tokens.read })
    assert.equal(bearer.status, 200)
    const conserver = await s.fetch(`/v1/vcons/${stored}`, {
      token: null,
      headers: { 'x-conserver-api-token': s.tokens.read },
    })
    assert.equal(conserver.status, 200)
    const configured = await s.fetch(`/v1/vcons/${stored}`, {
      method: 'DELETE',
      token: s.tokens.configured,
    })
    assert.equal(configured.status, 204)
    // Put it back for the other tests.
    await s.fetch('/v1/vcons', { method: 'POST', body: sampleText(stored), headers: VCON_JSON })
  })

  test('a read token reads but may not create, delete or pop egress (403)', async () => {
    const t = { token: s.tokens.read }
    assert.equal((await s.fetch(`/v1/vcons/${stored}`, t)).status, 200)
    assert.equal((await s.fetch('/v1/vcons', t)).status, 200)
    assert.equal((await s.fetch('/metrics', t)).status, 200)
    const post = await s.fetch('/v1/vcons', {
      ...t,
      method: 'POST',
      body: sampleText(),
      headers: VCON_JSON,
    })
    assert.equal(post.status, 403)
    assert.equal(await codeOf(post), 'FORBIDDEN')
    assert.equal((await s.fetch(`/v1/vcons/${stored}`, { ...t, method: 'DELETE' })).status, 403)
    assert.equal((await s.fetch('/vcon/egress?egress_list=done', t)).status, 403)
  })

  test('an ingest token creates but may not read, replace or delete', async () => {
    const t = { token: s.tokens.ingest }
    const uuid = randomUUID()
    const post = await s.fetch('/v1/vcons?ingress=default', {
      ...t,
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    assert.equal(post.status, 201)
    const conserver = await s.fetch('/vcon', {
      ...t,
      method: 'POST',
      body: sampleText(),
      headers: VCON_JSON,
    })
    assert.equal(conserver.status, 201)
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`, t)).status, 403)
    assert.equal((await s.fetch('/metrics', t)).status, 403)
    const put = await s.fetch(`/v1/vcons/${uuid}`, {
      ...t,
      method: 'PUT',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    assert.equal(put.status, 403)
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`, { ...t, method: 'DELETE' })).status, 403)
  })

  test('an ingest token bound to lists posts only into them, and must name one', async () => {
    const post = (query: string) =>
      s.fetch(`/v1/vcons${query}`, {
        token: s.tokens.bound,
        method: 'POST',
        body: sampleText(),
        headers: VCON_JSON,
      })
    assert.equal((await post('?ingress=default')).status, 201)
    const other = await post('?ingress=doomed')
    assert.equal(other.status, 403)
    assert.match(
      ((await other.json()) as { error: { message: string } }).error.message,
      /bound to default/,
    )
    const none = await post('')
    assert.equal(none.status, 403)
    const external = await s.fetch('/vcon/external-ingress?ingress_list=default', {
      token: s.tokens.bound,
      method: 'POST',
      body: sampleText(),
      headers: VCON_JSON,
    })
    assert.equal(external.status, 204)
  })

  test('/metrics needs a token; public routes do not', async () => {
    assert.equal((await s.fetch('/metrics', { token: null })).status, 401)
    const metrics = await s.fetch('/metrics')
    assert.equal(metrics.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
    const text = await metrics.text()
    assert.match(
      text,
      /vconkit_http_requests_total\{[^}]*route="\/v1\/vcons"[^}]*status="201"[^}]*\} [1-9]/,
    )
    assert.match(text, /vconkit_ingest_vcons_total\{[^}]*outcome="created"[^}]*\} [1-9]/)
  })

  test('logs carry no token secret and no vCon content', () => {
    const text = s.log.text()
    assert.ok(s.log.lines.some((l) => l.level === 'debug' && l.msg === 'request'))
    for (const secret of Object.values(s.tokens)) assert.ok(!text.includes(secret))
    assert.ok(!text.includes('blue kettle'))
    assert.ok(!text.includes('Bob Customer'))
  })
})

describe('rate limits', () => {
  let s: TestServer
  before(async () => {
    // One request per 10 s after a burst of 3: the test cannot outrun the refill, however slow the machine.
    s = await startTestServer({ limits: { ratePerSecond: 0.1, burst: 3 } })
  })
  after(async () => {
    await s.close()
  })

  test('a token over its rate gets 429 with Retry-After; other tokens are not affected', async () => {
    const statuses: number[] = []
    let limited: Response | undefined
    for (let i = 0; i < 5; i++) {
      const res = await s.fetch('/v1/vcons', { token: s.tokens.read })
      statuses.push(res.status)
      if (res.status === 429) limited = res
      else await res.arrayBuffer()
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429])
    assert.ok(limited !== undefined)
    assert.ok(Number(limited.headers.get('retry-after')) >= 9)
    assert.equal(await codeOf(limited), 'RATE_LIMITED')
    assert.equal((await s.fetch('/v1/vcons', { token: s.tokens.admin })).status, 200)
  })
})

describe('admission control', () => {
  let s: TestServer
  before(async () => {
    s = await startTestServer({ limits: { maxQueueDepth: 2 } })
  })
  after(async () => {
    await s.close()
  })

  test('ingest answers 503 with Retry-After while the backlog is over the limit; reads go on', async () => {
    // No worker runs in this server, so every job stays queued.
    for (let i = 0; i < 3; i++) {
      const res = await s.fetch('/v1/vcons?ingress=default', {
        method: 'POST',
        body: sampleText(),
        headers: VCON_JSON,
      })
      assert.equal(res.status, 201)
    }
    // The depth is read in the background at most every ~100 ms.
    let refused: Response | undefined
    for (let i = 0; i < 50 && refused === undefined; i++) {
      await new Promise((r) => setTimeout(r, 30))
      const res = await s.fetch('/v1/vcons', {
        method: 'POST',
        body: sampleText(),
        headers: VCON_JSON,
      })
      if (res.status === 503) refused = res
      else assert.equal(res.status, 201)
    }
    assert.ok(refused !== undefined, 'admission control never refused')
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    assert.equal(await codeOf(refused), 'UNAVAILABLE')
    assert.equal((await s.fetch('/v1/vcons')).status, 200)
    assert.equal((await s.fetch('/stats/queue?list_name=default')).status, 200)
  })
})

/** Wraps an adapter so that, while `down.value` is true, every method fails like a lost connection. */
function breakable<T extends object>(target: T, down: { value: boolean }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (down.value && prop !== 'close' && prop !== 'consume') {
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
              code: 'ECONNREFUSED',
            }),
          )
        }
        return (value as (...a: unknown[]) => unknown).apply(obj, args)
      }
    },
  })
}

describe('unreachable store or queue', () => {
  const storeDown = { value: false }
  const queueDown = { value: false }
  let s: TestServer
  before(async () => {
    s = await startTestServer({
      wrapStore: (store: Store) => breakable(store, storeDown),
      wrapQueue: (queue: Queue) => breakable(queue, queueDown),
    })
  })
  after(async () => {
    await s.close()
  })

  test('a store outage is 503 with Retry-After on every route, /ready says so, and it recovers', async () => {
    const uuid = randomUUID()
    storeDown.value = true
    try {
      const post = await s.fetch('/v1/vcons', {
        method: 'POST',
        body: sampleText(uuid),
        headers: VCON_JSON,
      })
      assert.equal(post.status, 503)
      assert.ok(Number(post.headers.get('retry-after')) >= 1)
      assert.equal(await codeOf(post), 'UNAVAILABLE')
      for (const path of [`/v1/vcons/${uuid}`, '/v1/vcons', '/v1/search?q=x', `/vcon/${uuid}`]) {
        const res = await s.fetch(path)
        assert.equal(res.status, 503, path)
        await res.arrayBuffer()
      }
      const ready = await s.fetch('/ready', { token: null })
      assert.equal(ready.status, 503)
      assert.deepEqual(await ready.json(), {
        status: 'unavailable',
        store: 'unreachable',
        queue: 'ok',
      })
    } finally {
      storeDown.value = false
    }
    const retry = await s.fetch('/v1/vcons', {
      method: 'POST',
      body: sampleText(uuid),
      headers: VCON_JSON,
    })
    assert.equal(retry.status, 201)
  })

  test('when the enqueue fails after the commit, the answer is 503 and the vCon is not kept; a retry succeeds', async () => {
    const uuid = randomUUID()
    const text = sampleText(uuid)
    queueDown.value = true
    try {
      const post = await s.fetch('/v1/vcons?ingress=default', {
        method: 'POST',
        body: text,
        headers: VCON_JSON,
      })
      assert.equal(post.status, 503)
      assert.equal(await codeOf(post), 'UNAVAILABLE')
      // Compensated: not stored, so the retry is a clean create rather than a 409.
      assert.equal((await s.fetch(`/v1/vcons/${uuid}`)).status, 404)
      // Without ingress lists nothing needs the queue: that create succeeds even now.
      const storeOnly = await s.fetch('/v1/vcons', {
        method: 'POST',
        body: sampleText(),
        headers: VCON_JSON,
      })
      assert.equal(storeOnly.status, 201)
      assert.equal((await s.fetch('/ready', { token: null })).status, 503)
    } finally {
      queueDown.value = false
    }
    const retry = await s.fetch('/v1/vcons?ingress=default', {
      method: 'POST',
      body: text,
      headers: VCON_JSON,
    })
    assert.equal(retry.status, 201)
    assert.equal(await (await s.fetch(`/v1/vcons/${uuid}`)).text(), text)
    assert.ok(s.log.lines.some((l) => l.msg.startsWith('enqueue after commit failed')))
  })
})
