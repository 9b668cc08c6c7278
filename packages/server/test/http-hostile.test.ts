/**
 * Hostile input: 1,000 malformed bodies and requests (fast-check) — fuzzed JSON, vCons with wrong types, huge
 * bodies, 100,000-deep nesting, broken gzip, invalid UTF-8, bad content types, garbage on every write route and
 * in query strings. Every answer must be a 4xx in the JSON error model (bulk: every result line a 4xx), the
 * server must stay up and keep working, and its heap must stay bounded.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { sampleText, sampleVcon, VCON_JSON } from './support/http-vcons.js'
import { startTestServer, type TestServer } from './support/start-test-server.js'

const LIMIT = 1024 * 1024

let s: TestServer
before(async () => {
  s = await startTestServer({ limits: { maxBodyBytes: LIMIT, maxBulkBytes: 4 * LIMIT } })
})
after(async () => {
  await s.close()
})

/** A forced full GC, when the flag can be set at run time (node:test children get no --expose-gc). */
function gcFunction(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}

interface Attack {
  readonly kind: string
  readonly method: 'POST' | 'PUT' | 'GET'
  readonly path: string
  readonly headers: Record<string, string>
  readonly body?: Uint8Array | string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const create = (
  kind: string,
  body: Uint8Array | string,
  headers: Record<string, string> = VCON_JSON,
): Attack => ({
  kind,
  method: 'POST',
  path: '/v1/vcons',
  headers,
  body,
})

const fuzzedJson = fc.json({ depthSize: 'medium' }).map((text) => create('fuzzed-json', text))

const wrongUuid = fc
  .oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    fc.string({ maxLength: 40 }).filter((v) => !UUID.test(v)),
  )
  .map((uuid) => create('wrong-uuid-type', JSON.stringify({ ...sampleVcon(), uuid })))

const wrongTypes = fc
  .record({
    field: fc.constantFrom('parties', 'dialog', 'analysis', 'attachments'),
    value: fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 10 }),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { minKeys: 1, maxKeys: 3 }),
    ),
  })
  .map(({ field, value }) =>
    create('wrong-array-type', JSON.stringify({ ...sampleVcon(), [field]: value })),
  )

const huge = fc
  .integer({ min: LIMIT + 1, max: LIMIT + 64 * 1024 })
  .map((size) => create('huge', Buffer.alloc(size, 0x20)))

const deep = fc
  .record({
    depth: fc.constantFrom(1_000, 10_000, 100_000),
    shape: fc.constantFrom('array', 'object', 'in-vcon'),
  })
  .map(({ depth, shape }) => {
    let body: string
    if (shape === 'array') body = `${'['.repeat(depth)}${']'.repeat(depth)}`
    else if (shape === 'object') body = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    else body = `{"uuid":"${randomUUID()}","parties":[${'['.repeat(depth)}${']'.repeat(depth)}]}`
    return create(`deep-${shape}`, body)
  })

const badGzip = fc
  .uint8Array({ minLength: 0, maxLength: 512 })
  .map((bytes) => create('bad-gzip', bytes, { 'content-type': 'application/vcon+gzip' }))

const truncatedGzip = fc.integer({ min: 1, max: 40 }).map((cut) => {
  const full = gzipSync(sampleText())
  return create('truncated-gzip', full.subarray(0, Math.max(2, full.length - cut)), {
    'content-type': 'application/vcon+gzip',
  })
})

const badUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 256 })
  .map((bytes) => create('bytes', Uint8Array.from([0x7b, 0xff, ...bytes])))

const ACCEPTED = new Set([
  'application/json',
  'application/vcon',
  'application/vcon+json',
  'application/vcon+gzip',
])
const badType = fc
  .oneof(
    fc.constantFrom(
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
    ),
    fc.string({ maxLength: 30 }),
  )
  .filter((t) => !ACCEPTED.has(t.split(';')[0]?.trim().toLowerCase() ?? ''))
  .map((type) =>
    create(
      'bad-content-type',
      sampleText(),
      type === '' ? {} : { 'content-type': type.replace(/[^\x20-\x7e]/g, 'x') },
    ),
  )

const otherRoutes = fc
  .record({
    route: fc.constantFrom(
      `/v1/vcons/${randomUUID()}/analysis`,
      `/v1/vcons/${randomUUID()}/tags`,
      '/v1/dead-letters:replay',
      '/vcon/ingress?ingress_list=nowhere',
      '/vcon?ingress_lists=nowhere',
    ),
    body: fc.oneof(fc.json(), fc.string({ maxLength: 200 })),
  })
  .map(({ route, body }) => ({
    kind: 'other-route',
    method: 'POST' as const,
    path: route,
    headers: { 'content-type': 'application/json' },
    body,
  }))

const badPut = fc.json().map((body) => ({
  kind: 'put',
  method: 'PUT' as const,
  path: `/v1/vcons/${randomUUID()}`,
  headers: VCON_JSON,
  body,
}))

const QUERY_PARAMS: readonly (readonly [string, string])[] = [
  ['/v1/vcons', 'limit'],
  ['/v1/vcons', 'since'],
  ['/v1/vcons', 'until'],
  ['/v1/vcons', 'cursor'],
  ['/v1/vcons', 'tel'],
  ['/v1/search', 'q'],
  ['/v1/search', 'limit'],
  ['/vcons/search', 'tel'],
  ['/vcons/search', 'name'],
  ['/v1/dead-letters', 'limit'],
  ['/v1/dead-letters', 'list'],
  ['/vcon/egress', 'egress_list'],
  ['/vcon/egress', 'limit'],
  ['/dlq', 'ingress_list'],
]

const badQueries = fc
  .record({
    target: fc.constantFrom(...QUERY_PARAMS),
    value: fc.oneof(
      fc.constantFrom('-1', '0', '1e9', 'abc', '%', '9'.repeat(30)),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ minLength: 1001, maxLength: 1100 }),
    ),
  })
  .map(({ target: [path, param], value }) => {
    // Each parameter is given twice, which every route refuses (400) whatever the value.
    const one = `${param}=${encodeURIComponent(value)}`
    return { kind: 'bad-query', method: 'GET' as const, path: `${path}?${one}&${one}`, headers: {} }
  })

const bulkGarbage = fc
  .array(fc.oneof(fc.json(), fc.string({ maxLength: 100 })), { minLength: 1, maxLength: 20 })
  .map((lines) => ({
    kind: 'bulk',
    method: 'POST' as const,
    path: '/v1/vcons:bulk',
    headers: { 'content-type': 'application/x-ndjson' },
    body: lines.map((l) => l.replace(/\n/g, ' ')).join('\n'),
  }))

const attacks: fc.Arbitrary<Attack> = fc.oneof(
  { arbitrary: fuzzedJson, weight: 4 },
  { arbitrary: wrongUuid, weight: 2 },
  { arbitrary: wrongTypes, weight: 2 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: badGzip, weight: 1 },
  { arbitrary: truncatedGzip, weight: 1 },
  { arbitrary: badUtf8, weight: 1 },
  { arbitrary: badType, weight: 1 },
  { arbitrary: otherRoutes, weight: 2 },
  { arbitrary: badPut, weight: 1 },
  { arbitrary: badQueries, weight: 2 },
  { arbitrary: bulkGarbage, weight: 1 },
)

async function send(attack: Attack): Promise<void> {
  const res = await s.fetch(attack.path, {
    method: attack.method,
    headers: attack.headers,
    ...(attack.body === undefined ? {} : { body: attack.body }),
  })
  const text = await res.text()
  const what = `${attack.kind} ${attack.method} ${attack.path}: ${res.status} ${text.slice(0, 300)}`
  if (attack.kind === 'bulk' && res.status === 200) {
    for (const line of text.split('\n').filter((l) => l !== '')) {
      const status = (JSON.parse(line) as { status: number }).status
      assert.ok(status >= 400 && status < 500, what)
    }
    return
  }
  assert.ok(res.status >= 400 && res.status < 500, what)
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
  assert.equal(typeof body.error?.code, 'string', what)
  assert.equal(typeof body.error?.message, 'string', what)
  assert.ok(!text.includes('    at '), `a stack trace leaked: ${what}`)
}

test('1,000 hostile requests: every answer is a 4xx, the server stays up, the heap stays bounded', async () => {
  const gc = gcFunction()
  // Warm up (JIT, caches, first-use allocations) before the baseline.
  await fc.assert(fc.asyncProperty(attacks, send), { numRuns: 100 })
  gc?.()
  const before = process.memoryUsage().heapUsed

  await fc.assert(fc.asyncProperty(attacks, send), { numRuns: 1000 })

  const health = await s.fetch('/health', { token: null })
  assert.equal(health.status, 200)
  const uuid = randomUUID()
  const ok = await s.fetch('/v1/vcons', {
    method: 'POST',
    body: sampleText(uuid),
    headers: VCON_JSON,
  })
  assert.equal(ok.status, 201)
  assert.equal((await s.fetch(`/v1/vcons/${uuid}`)).status, 200)

  gc?.()
  const growth = process.memoryUsage().heapUsed - before
  // With a forced GC nothing per request should survive; without one, allow for uncollected garbage.
  const bound = gc === undefined ? 96 * 1024 * 1024 : 24 * 1024 * 1024
  assert.ok(
    growth < bound,
    `heap grew by ${Math.round(growth / 1024 / 1024)} MB (bound ${bound / 1024 / 1024} MB)`,
  )
})
