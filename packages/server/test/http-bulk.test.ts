/**
 * Black-box tests of bulk ingest (`POST /v1/vcons:bulk`): NDJSON in, one result line per vCon out, in order; bad
 * lines do not stop the others; gzip; per-line and whole-body size limits.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { sampleText, sampleVcon, VCON_JSON } from './support/http-vcons.js'
import { startTestServer, type TestServer } from './support/start-test-server.js'

const LIMIT = 64 * 1024
let s: TestServer
before(async () => {
  s = await startTestServer({ limits: { maxBodyBytes: LIMIT, maxBulkBytes: 256 * 1024 } })
})
after(async () => {
  await s.close()
})

type Body = NonNullable<RequestInit['body']>

const post = (body: Body) => s.fetch('/v1/vcons', { method: 'POST', body, headers: VCON_JSON })

describe('bulk NDJSON', () => {
  const bulk = (
    body: Body,
    headers: Record<string, string> = { 'content-type': 'application/x-ndjson' },
    query = '',
  ) => s.fetch(`/v1/vcons:bulk${query}`, { method: 'POST', body, headers })

  async function lines(
    res: Response,
  ): Promise<
    { line: number | null; uuid: string | null; status: number; error?: { code: string } }[]
  > {
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/)
    const text = await res.text()
    assert.ok(text.endsWith('\n'))
    return text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
  }

  test('one result per vCon, in order; bad lines do not stop the others', async () => {
    const a = randomUUID()
    const b = randomUUID()
    const dup = randomUUID()
    await post(sampleText(dup))
    const invalid = JSON.stringify({ ...sampleVcon(randomUUID()), created_at: 'never' })
    const body = [
      JSON.stringify(sampleVcon(a)),
      '{"not json',
      '',
      invalid,
      JSON.stringify(sampleVcon(dup)),
      JSON.stringify(sampleVcon(b)),
    ].join('\n')
    const results = await lines(await bulk(body, undefined, '?ingress=default'))
    assert.deepEqual(
      results.map((r) => [r.line, r.status]),
      [
        [1, 201],
        [2, 400],
        [4, 422],
        [5, 409],
        [6, 201],
      ],
    )
    assert.equal(results[0]?.uuid, a)
    assert.equal(results[2]?.error?.code, 'VCON_INVALID')
    assert.equal(results[3]?.uuid, dup)
    assert.equal((await s.fetch(`/v1/vcons/${b}`)).status, 200)
  })

  test('a gzipped bulk body works; a line over the per-vCon limit is 413 for that line only', async () => {
    const ok = randomUUID()
    const huge = JSON.stringify(sampleVcon(randomUUID(), { subject: 'z'.repeat(LIMIT) }))
    const body = gzipSync(`${huge}\n${JSON.stringify(sampleVcon(ok))}\n`)
    const results = await lines(
      await bulk(body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }),
    )
    assert.deepEqual(
      results.map((r) => r.status),
      [413, 201],
    )
    assert.equal(results[1]?.uuid, ok)
  })

  test('a bulk body over max_bulk_bytes while streaming ends with a last line of status 413', async () => {
    const line = `${JSON.stringify(sampleVcon(randomUUID()))}\n`
    const many = Math.ceil((256 * 1024) / line.length) + 5
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < many; i++) {
          controller.enqueue(
            new TextEncoder().encode(`${JSON.stringify(sampleVcon(randomUUID()))}\n`),
          )
        }
        controller.close()
      },
    })
    const res = await s.fetch('/v1/vcons:bulk', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/x-ndjson' },
      duplex: 'half',
    } as RequestInit)
    const results = await lines(res)
    const last = results[results.length - 1]
    assert.equal(last?.line, null)
    assert.equal(last?.status, 413)
    assert.ok(results.slice(0, -1).every((r) => r.status === 201))
    assert.ok(results.length > 10)
  })

  test('wrong content type is 415; a declared body over max_bulk_bytes is 413 up front', async () => {
    assert.equal((await bulk('{}', VCON_JSON)).status, 415)
    assert.equal((await bulk('x'.repeat(256 * 1024 + 1))).status, 413)
  })
})
