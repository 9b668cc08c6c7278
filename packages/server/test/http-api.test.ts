/**
 * Black-box tests of the HTTP API: a real server (createHttpServer over the SQLite store and queue) driven over
 * HTTP only. This file: create, read back byte for byte, replace, list, search, delete, the Conserver's routes and
 * the operations routes. Auth and limits: http-auth.test.ts; bodies and pipeline routes: http-ingest.test.ts;
 * hostile input: http-hostile.test.ts.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { legacyText, sampleText, sampleVcon, VCON_JSON } from './support/http-vcons.js'
import { startTestServer, type TestServer } from './support/start-test-server.js'

let s: TestServer
before(async () => {
  s = await startTestServer()
})
after(async () => {
  await s.close()
})

async function create(text: string, query = ''): Promise<Response> {
  return s.fetch(`/v1/vcons${query}`, { method: 'POST', body: text, headers: VCON_JSON })
}

async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; issues?: unknown[] }> {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  const body = (await res.json()) as {
    error: { code: string; message: string; issues?: unknown[] }
  }
  assert.equal(typeof body.error.message, 'string')
  return body.error
}

describe('v1 create and read', () => {
  test('a created vCon reads back byte for byte, with Location and ETag', async () => {
    const uuid = randomUUID()
    const text = sampleText(uuid)
    const res = await create(text, '?ingress=default')
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('location'), `/v1/vcons/${uuid}`)
    assert.equal(res.headers.get('etag'), '"1"')
    const receipt = (await res.json()) as Record<string, unknown>
    assert.equal(receipt.uuid, uuid)
    assert.equal(receipt.form, 'unsigned')
    assert.equal(receipt.version, 1)
    assert.equal(receipt.upgradedFrom, undefined)

    const read = await s.fetch(`/v1/vcons/${uuid}`)
    assert.equal(read.status, 200)
    assert.equal(read.headers.get('content-type'), 'application/vcon+json; charset=utf-8')
    assert.equal(read.headers.get('etag'), '"1"')
    const bytes = Buffer.from(await read.arrayBuffer())
    assert.ok(bytes.equals(Buffer.from(text, 'utf8')), 'the stored bytes differ from the body sent')
  })

  test('a second create of the same uuid is 409 CONFLICT and leaves the first in place', async () => {
    const uuid = randomUUID()
    const first = sampleText(uuid)
    assert.equal((await create(first)).status, 201)
    const again = await create(sampleText(uuid, { subject: 'other' }))
    assert.equal(again.status, 409)
    assert.equal((await errorOf(again)).code, 'CONFLICT')
    assert.equal(await (await s.fetch(`/v1/vcons/${uuid}`)).text(), first)
  })

  test('a legacy vCon is stored upgraded, and the receipt says so', async () => {
    const uuid = randomUUID()
    const res = await create(legacyText(uuid))
    assert.equal(res.status, 201)
    const receipt = (await res.json()) as { upgradedFrom?: string; warnings: { code: string }[] }
    assert.equal(receipt.upgradedFrom, '0.0.1')
    assert.ok(receipt.warnings.some((w) => w.code === 'upgraded-version'))
    const stored = (await (await s.fetch(`/v1/vcons/${uuid}`)).json()) as {
      vcon: string
      dialog: { mediatype?: string; mimetype?: string }[]
    }
    assert.equal(stored.vcon, '0.4.0')
    assert.equal(stored.dialog[0]?.mediatype, 'text/plain')
    assert.equal(stored.dialog[0]?.mimetype, undefined)
  })

  test('GET answers 304 to a matching If-None-Match, 404 for an unknown uuid, 400 for a bad one', async () => {
    const uuid = randomUUID()
    await create(sampleText(uuid))
    const cached = await s.fetch(`/v1/vcons/${uuid}`, { headers: { 'if-none-match': '"1"' } })
    assert.equal(cached.status, 304)
    const missing = await s.fetch(`/v1/vcons/${randomUUID()}`)
    assert.equal(missing.status, 404)
    assert.equal((await errorOf(missing)).code, 'NOT_FOUND')
    const bad = await s.fetch('/v1/vcons/not-a-uuid')
    assert.equal(bad.status, 400)
    assert.match((await errorOf(bad)).message, /uuid/)
  })

  test('an ingress list that feeds no chain is refused before anything is stored', async () => {
    const uuid = randomUUID()
    const res = await create(sampleText(uuid), '?ingress=nowhere')
    assert.equal(res.status, 400)
    assert.match((await errorOf(res)).message, /nowhere.*feeds no chain/)
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`)).status, 404)
  })
})

describe('v1 replace and delete', () => {
  test('PUT creates (201), then replaces (200) with a new version; the body uuid must match the path', async () => {
    const uuid = randomUUID()
    const put = (text: string, path = uuid) =>
      s.fetch(`/v1/vcons/${path}`, { method: 'PUT', body: text, headers: VCON_JSON })
    const created = await put(sampleText(uuid))
    assert.equal(created.status, 201)
    assert.equal(created.headers.get('location'), `/v1/vcons/${uuid}`)
    const second = sampleText(uuid, { subject: 'replaced' })
    const replaced = await put(second)
    assert.equal(replaced.status, 200)
    assert.equal(((await replaced.json()) as { version: number }).version, 2)
    const read = await s.fetch(`/v1/vcons/${uuid}`)
    assert.equal(read.headers.get('etag'), '"2"')
    assert.equal(await read.text(), second)
    const mismatch = await put(sampleText(randomUUID()))
    assert.equal(mismatch.status, 400)
    assert.match((await errorOf(mismatch)).message, /path names/)
  })

  test('DELETE answers 204, then 404; the vCon is gone', async () => {
    const uuid = randomUUID()
    await create(sampleText(uuid))
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`, { method: 'DELETE' })).status, 204)
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`)).status, 404)
    const again = await s.fetch(`/v1/vcons/${uuid}`, { method: 'DELETE' })
    assert.equal(again.status, 404)
  })
})

describe('v1 list and search', () => {
  const marker = `m${randomUUID().slice(0, 8)}`
  const uuids: string[] = []
  before(async () => {
    for (let i = 0; i < 5; i++) {
      const uuid = randomUUID()
      uuids.push(uuid)
      const vcon = sampleVcon(uuid, {
        created_at: `2031-01-0${i + 1}T00:00:00.000Z`,
        subject: `${marker} number ${i}`,
        parties: [
          {
            tel: `+1 555 900 ${1000 + i}`,
            name: `Person ${marker} ${i}`,
            mailto: `p${i}@${marker}.test`,
          },
        ],
        dialog: [
          {
            type: 'text',
            start: '2031-01-01T00:00:00.000Z',
            parties: [0],
            mediatype: 'text/plain',
            encoding: 'none',
            body: i === 3 ? `the zebra ${marker} crossed` : 'nothing special',
          },
        ],
      })
      assert.equal((await create(JSON.stringify(vcon))).status, 201)
    }
  })

  test('filters by subject, party tel (normalised), mailto and name, newest first', async () => {
    const bySubject = await s.fetch(`/v1/vcons?subject=${marker}`)
    assert.equal(bySubject.status, 200)
    const page = (await bySubject.json()) as { items: { uuid: string; createdAt: string }[] }
    assert.deepEqual(
      page.items.map((i) => i.uuid),
      [...uuids].reverse(),
    )
    assert.equal(page.items[0]?.createdAt, '2031-01-05T00:00:00.000Z')
    const byTel = (await (await s.fetch('/v1/vcons?tel=%2B15559001002')).json()) as {
      items: { uuid: string }[]
    }
    assert.deepEqual(
      byTel.items.map((i) => i.uuid),
      [uuids[2]],
    )
    const byMail = (await (await s.fetch(`/v1/vcons?mailto=P4@${marker}.test`)).json()) as {
      items: { uuid: string }[]
    }
    assert.deepEqual(
      byMail.items.map((i) => i.uuid),
      [uuids[4]],
    )
    const byName = (await (await s.fetch(`/v1/vcons?name=person%20${marker}%201`)).json()) as {
      items: { uuid: string }[]
    }
    assert.deepEqual(
      byName.items.map((i) => i.uuid),
      [uuids[1]],
    )
  })

  test('keyset pagination with limit and cursor, and a time range', async () => {
    const first = (await (await s.fetch(`/v1/vcons?subject=${marker}&limit=2`)).json()) as {
      items: { uuid: string }[]
      next?: string
    }
    assert.equal(first.items.length, 2)
    assert.equal(typeof first.next, 'string')
    const second = (await (
      await s.fetch(`/v1/vcons?subject=${marker}&limit=2&cursor=${first.next}`)
    ).json()) as { items: { uuid: string }[]; next?: string }
    assert.deepEqual(
      [...first.items, ...second.items].map((i) => i.uuid),
      [uuids[4], uuids[3], uuids[2], uuids[1]],
    )
    const ranged = (await (
      await s.fetch(
        `/v1/vcons?subject=${marker}&since=2031-01-02T00:00:00Z&until=2031-01-04T00:00:00Z`,
      )
    ).json()) as { items: { uuid: string }[] }
    assert.deepEqual(
      ranged.items.map((i) => i.uuid),
      [uuids[2], uuids[1]],
    )
  })

  test('bad list parameters are 400 naming the parameter', async () => {
    const tooMany = await s.fetch('/v1/vcons?limit=1001')
    assert.equal(tooMany.status, 400)
    assert.match((await errorOf(tooMany)).message, /limit/)
    const badDate = await s.fetch('/v1/vcons?since=yesterday')
    assert.equal(badDate.status, 400)
    assert.match((await errorOf(badDate)).message, /since/)
    const badCursor = await s.fetch('/v1/vcons?cursor=%%%')
    assert.equal(badCursor.status, 400)
  })

  test('full-text search finds the transcript word and marks it in the snippet', async () => {
    const res = await s.fetch(`/v1/search?q=zebra%20${marker}`)
    assert.equal(res.status, 200)
    const { hits } = (await res.json()) as { hits: { uuid: string; snippet: string }[] }
    assert.equal(hits[0]?.uuid, uuids[3])
    assert.match(hits[0]?.snippet ?? '', /«zebra»/)
    const none = await s.fetch('/v1/search')
    assert.equal(none.status, 400)
    assert.match((await errorOf(none)).message, /q is required/)
  })
})

describe('Conserver routes', () => {
  test('POST /vcon answers 201 with the stored vCon; GET /vcon/{uuid} returns it as stored', async () => {
    const uuid = randomUUID()
    const text = sampleText(uuid)
    const res = await s.fetch('/vcon?ingress_lists=default', {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.status, 201)
    assert.equal(await res.text(), text)
    const read = await s.fetch(`/vcon/${uuid}`, {
      token: null,
      headers: { 'x-conserver-api-token': s.tokens.read },
    })
    assert.equal(read.status, 200)
    assert.match(read.headers.get('content-type') ?? '', /^application\/json/)
    assert.equal(await read.text(), text)
  })

  test('POST /vcon overwrites an existing uuid for an admin token (Conserver behaviour), not for ingest', async () => {
    const uuid = randomUUID()
    await s.fetch('/vcon', { method: 'POST', body: sampleText(uuid), headers: VCON_JSON })
    const second = sampleText(uuid, { subject: 'second' })
    const admin = await s.fetch('/vcon', { method: 'POST', body: second, headers: VCON_JSON })
    assert.equal(admin.status, 201)
    assert.equal(await (await s.fetch(`/vcon/${uuid}`)).text(), second)
    const ingest = await s.fetch('/vcon', {
      method: 'POST',
      body: sampleText(uuid, { subject: 'third' }),
      headers: VCON_JSON,
      token: s.tokens.ingest,
    })
    assert.equal(ingest.status, 409)
    assert.equal(await (await s.fetch(`/vcon/${uuid}`)).text(), second)
  })

  test('GET /vcons returns vCons in request order with null for misses', async () => {
    const a = randomUUID()
    const b = randomUUID()
    const ta = sampleText(a)
    const tb = sampleText(b)
    await create(ta)
    await create(tb)
    const missing = randomUUID()
    const res = await s.fetch(`/vcons?vcon_uuids=${b}&vcon_uuids=${missing}&vcon_uuids=${a}`)
    assert.equal(res.status, 200)
    const text = await res.text()
    assert.equal(text, `[${tb},null,${ta}]`)
    assert.deepEqual(
      (JSON.parse(text) as ({ uuid: string } | null)[]).map((v) => v?.uuid ?? null),
      [b, null, a],
    )
  })

  test('GET /vcons/search intersects party fields; no field is 400', async () => {
    const uuid = randomUUID()
    const tel = `+1555${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, '0')}`
    const created = await create(
      JSON.stringify(
        sampleVcon(uuid, { parties: [{ tel, name: 'Dana Search' }, { name: 'Other Party' }] }),
      ),
    )
    assert.equal(created.status, 201)
    const byTel = await s.fetch(`/vcons/search?tel=${encodeURIComponent(tel)}`)
    assert.equal(byTel.status, 200)
    assert.deepEqual(await byTel.json(), [uuid])
    const both = await s.fetch(`/vcons/search?tel=${encodeURIComponent(tel)}&name=Nobody`)
    assert.deepEqual(await both.json(), [])
    const none = await s.fetch('/vcons/search')
    assert.equal(none.status, 400)
  })

  test('DELETE /vcon/{uuid} always answers 204', async () => {
    const uuid = randomUUID()
    await create(sampleText(uuid))
    assert.equal((await s.fetch(`/vcon/${uuid}`, { method: 'DELETE' })).status, 204)
    assert.equal((await s.fetch(`/vcon/${uuid}`)).status, 404)
    assert.equal((await s.fetch(`/vcon/${uuid}`, { method: 'DELETE' })).status, 204)
  })
})

describe('operations routes', () => {
  test('/health, /version and /ready are public', async () => {
    const health = await s.fetch('/health', { token: null })
    assert.equal(health.status, 200)
    const body = (await health.json()) as { status: string; version: { version: string } }
    assert.equal(body.status, 'healthy')
    assert.match(body.version.version, /^\d+\.\d+\.\d+/)
    const version = (await (await s.fetch('/version', { token: null })).json()) as Record<
      string,
      unknown
    >
    assert.deepEqual(Object.keys(version).sort(), ['build_time', 'git_commit', 'version'])
    const ready = await s.fetch('/ready', { token: null })
    assert.equal(ready.status, 200)
    assert.deepEqual(await ready.json(), { status: 'ready', store: 'ok', queue: 'ok' })
  })

  test('/openapi.json describes the routes; /docs is self-contained HTML', async () => {
    const doc = (await (await s.fetch('/openapi.json', { token: null })).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
    }
    assert.equal(doc.openapi, '3.1.0')
    assert.ok(doc.paths['/v1/vcons']?.post)
    assert.ok(doc.paths['/vcon/{uuid}']?.get)
    const docs = await s.fetch('/docs', { token: null })
    assert.equal(docs.status, 200)
    assert.match(docs.headers.get('content-type') ?? '', /^text\/html/)
    const html = await docs.text()
    assert.match(html, /POST<\/span> <code>\/v1\/vcons<\/code>/)
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/i)
  })

  test('unknown routes are 404 and wrong methods 405 with Allow, in the error model', async () => {
    const unknown = await s.fetch('/v2/nothing')
    assert.equal(unknown.status, 404)
    assert.equal((await errorOf(unknown)).code, 'NOT_FOUND')
    const wrong = await s.fetch('/v1/search', { method: 'DELETE' })
    assert.equal(wrong.status, 405)
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD')
    assert.equal((await errorOf(wrong)).code, 'METHOD_NOT_ALLOWED')
  })
})
