/**
 * Black-box tests of request bodies and of the routes that change vCons: media types (415), size limits (413),
 * gzip, validation errors (422 with pointers), signed and encrypted vCons, Idempotency-Key replay, appending
 * analysis / attachments / dialog, and tags. Bulk NDJSON: http-bulk.test.ts.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import {
  encryptedText,
  legacyText,
  sampleText,
  sampleVcon,
  signedText,
  VCON_JSON,
} from './support/http-vcons.js'
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
type ErrorBody = {
  error: { code: string; message: string; issues?: { pointer: string; code: string }[] }
}

const post = (body: Body, headers: Record<string, string> = VCON_JSON, query = '') =>
  s.fetch(`/v1/vcons${query}`, { method: 'POST', body, headers })

describe('media types, sizes and encodings', () => {
  test('every vCon media type is accepted; others are 415', async () => {
    for (const type of [
      'application/vcon',
      'application/vcon+json',
      'application/json; charset=utf-8',
    ]) {
      assert.equal((await post(sampleText(), { 'content-type': type })).status, 201, type)
    }
    const refused: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json; charset=latin1' },
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      {},
    ]
    for (const headers of refused) {
      const res = await s.fetch('/v1/vcons', {
        method: 'POST',
        body: new Uint8Array(Buffer.from(sampleText())),
        headers,
      })
      assert.equal(res.status, 415, JSON.stringify(headers))
      assert.equal(((await res.json()) as ErrorBody).error.code, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  test('application/vcon+gzip and Content-Encoding: gzip are inflated; the stored text is the inflated body', async () => {
    const uuid = randomUUID()
    const text = sampleText(uuid)
    const res = await post(gzipSync(text), { 'content-type': 'application/vcon+gzip' })
    assert.equal(res.status, 201)
    assert.equal(await (await s.fetch(`/v1/vcons/${uuid}`)).text(), text)
    const other = randomUUID()
    const encoded = await post(gzipSync(sampleText(other)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    })
    assert.equal(encoded.status, 201)
  })

  test('broken gzip is 400; a gzip bomb is 413 without inflating it all', async () => {
    const broken = await post(Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]), {
      'content-type': 'application/vcon+gzip',
    })
    assert.equal(broken.status, 400)
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20))
    assert.ok(bomb.length < LIMIT)
    const res = await post(bomb, { 'content-type': 'application/vcon+gzip' })
    assert.equal(res.status, 413)
    assert.equal(((await res.json()) as ErrorBody).error.code, 'PAYLOAD_TOO_LARGE')
  })

  test('a body over the limit is 413, from Content-Length and while streaming (chunked)', async () => {
    const declared = await post('x'.repeat(LIMIT + 1))
    assert.equal(declared.status, 413)
    const chunks = 20
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(8 * 1024).fill(0x20))
        controller.close()
      },
    })
    const streamed = await s.fetch('/v1/vcons', {
      method: 'POST',
      body: stream,
      headers: VCON_JSON,
      duplex: 'half',
    } as RequestInit)
    assert.equal(streamed.status, 413)
    // The server is still fine afterwards.
    assert.equal((await post(sampleText())).status, 201)
  })

  test('not JSON, not a vCon, or not UTF-8 is 400', async () => {
    for (const body of ['{"uuid": ', '[1,2,3]', '{"hello":"world"}', '"text"']) {
      const res = await post(body)
      assert.equal(res.status, 400, body)
      assert.equal(((await res.json()) as ErrorBody).error.code, 'BAD_REQUEST')
    }
    const latin1 = await post(Buffer.from([0x7b, 0xe9, 0x7d]))
    assert.equal(latin1.status, 400)
  })
})

describe('validation', () => {
  test('an invalid vCon is 422 VCON_INVALID with the validator issues and pointers', async () => {
    const vcon = sampleVcon(randomUUID())
    const broken = { ...vcon, created_at: 'yesterday', parties: [{ tel: '+15550001' }] }
    const res = await post(JSON.stringify(broken))
    assert.equal(res.status, 422)
    const { error } = (await res.json()) as ErrorBody
    assert.equal(error.code, 'VCON_INVALID')
    const pointers = (error.issues ?? []).map((i) => i.pointer)
    assert.ok(pointers.includes('/created_at'), pointers.join(' '))
    assert.ok(
      pointers.some((p) => p.startsWith('/dialog/0/parties')),
      pointers.join(' '),
    )
  })

  test('a critical extension the server does not support is 422 CRITICAL_UNSUPPORTED', async () => {
    const vcon = sampleVcon(randomUUID(), {
      extensions: ['x_unknown_ext'],
      critical: ['x_unknown_ext'],
    })
    const res = await post(JSON.stringify(vcon))
    assert.equal(res.status, 422)
    assert.equal(((await res.json()) as ErrorBody).error.code, 'CRITICAL_UNSUPPORTED')
  })

  test('a strict server refuses a legacy vCon that a lenient one upgrades', async () => {
    const strict = await startTestServer({ mode: 'strict' })
    try {
      const res = await strict.fetch('/v1/vcons', {
        method: 'POST',
        body: legacyText(),
        headers: VCON_JSON,
      })
      assert.equal(res.status, 422)
    } finally {
      await strict.close()
    }
  })
})

describe('signed and encrypted vCons', () => {
  test('a signed vCon is stored as received under its uuid header, and found by its parties', async () => {
    const uuid = randomUUID()
    const text = signedText(uuid)
    const res = await post(text)
    assert.equal(res.status, 201)
    assert.equal(((await res.json()) as { form: string }).form, 'signed')
    const read = await s.fetch(`/v1/vcons/${uuid}`)
    assert.equal(await read.text(), text)
    const search = (await (await s.fetch(`/v1/search?q=kettle`)).json()) as {
      hits: { uuid: string }[]
    }
    assert.ok(
      search.hits.some((h) => h.uuid === uuid),
      'the signed payload is indexed',
    )
  })

  test('an encrypted vCon is stored as received', async () => {
    const uuid = randomUUID()
    const text = encryptedText(uuid)
    const res = await post(text, { 'content-type': 'application/vcon' })
    assert.equal(res.status, 201)
    assert.equal(((await res.json()) as { form: string }).form, 'encrypted')
    assert.equal(await (await s.fetch(`/vcon/${uuid}`)).text(), text)
  })

  test('a signed vCon without a uuid header is 400 saying so', async () => {
    const res = await post(signedText(randomUUID(), false))
    assert.equal(res.status, 400)
    assert.match(((await res.json()) as ErrorBody).error.message, /no uuid header/)
  })

  test('signed vCons cannot be appended to (409)', async () => {
    const uuid = randomUUID()
    await post(signedText(uuid))
    const res = await s.fetch(`/v1/vcons/${uuid}/analysis`, {
      method: 'POST',
      body: JSON.stringify({ type: 'summary', vendor: 'x', encoding: 'none', body: 'y' }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.status, 409)
  })
})

describe('Idempotency-Key', () => {
  test('a retried create with the same key gets the same answer; another vCon with it is 422', async () => {
    const key = randomUUID()
    const uuid = randomUUID()
    const text = sampleText(uuid)
    const send = (body: string) =>
      post(body, { ...VCON_JSON, 'idempotency-key': key }, '?ingress=default')
    const first = await send(text)
    assert.equal(first.status, 201)
    const firstBody = await first.text()
    const again = await send(text)
    assert.equal(again.status, 201)
    assert.equal(await again.text(), firstBody)
    assert.equal(again.headers.get('location'), first.headers.get('location'))
    const without = await post(text)
    assert.equal(without.status, 409)
    const reused = await send(sampleText())
    assert.equal(reused.status, 422)
    assert.equal(((await reused.json()) as ErrorBody).error.code, 'IDEMPOTENCY_KEY_REUSED')
    const bad = await post(text, { ...VCON_JSON, 'idempotency-key': 'x'.repeat(300) })
    assert.equal(bad.status, 400)
  })
})

describe('append and tags', () => {
  const json = { 'content-type': 'application/json' }
  const append = (uuid: string, field: string, entry: unknown) =>
    s.fetch(`/v1/vcons/${uuid}/${field}`, {
      method: 'POST',
      body: JSON.stringify(entry),
      headers: json,
    })

  test('append analysis, attachment and dialog: 201 with index and version; the stored vCon has them', async () => {
    const uuid = randomUUID()
    await post(sampleText(uuid))
    const analysis = await append(uuid, 'analysis', {
      type: 'summary',
      dialog: 0,
      vendor: 'acme',
      product: 'summariser',
      encoding: 'none',
      body: 'Customer wants a refund.',
    })
    assert.equal(analysis.status, 201)
    assert.deepEqual(await analysis.json(), { uuid, field: 'analysis', index: 0, version: 2 })
    assert.equal(analysis.headers.get('etag'), '"2"')
    const attachment = await append(uuid, 'attachments', {
      purpose: 'note',
      start: '2025-03-01T10:05:00.000Z',
      party: 0,
      dialog: 0,
      mediatype: 'text/plain',
      encoding: 'none',
      body: 'call back tomorrow',
    })
    assert.equal(attachment.status, 201)
    const dialog = await append(uuid, 'dialog', {
      type: 'text',
      start: '2025-03-01T10:01:00.000Z',
      parties: [0, 1],
      originator: 0,
      mediatype: 'text/plain',
      encoding: 'none',
      body: 'Certainly, refund issued.',
    })
    assert.equal(dialog.status, 201)
    assert.equal(((await dialog.json()) as { index: number; version: number }).version, 4)
    const read = await s.fetch(`/v1/vcons/${uuid}`)
    assert.equal(read.headers.get('etag'), '"4"')
    const stored = (await read.json()) as Record<string, unknown[]> & { updated_at: string }
    assert.equal(stored.analysis?.length, 1)
    assert.equal(stored.attachments?.length, 1)
    assert.equal(stored.dialog?.length, 2)
    assert.match(stored.updated_at, /^\d{4}-\d{2}-\d{2}T/)
    const hits = (await (await s.fetch('/v1/search?q=refund%20issued')).json()) as {
      hits: { uuid: string }[]
    }
    assert.ok(
      hits.hits.some((h) => h.uuid === uuid),
      'the appended dialog is indexed',
    )
  })

  test('an append that breaks the vCon is 422 with a pointer into the result; unknown vCon is 404', async () => {
    const uuid = randomUUID()
    await post(sampleText(uuid))
    // No type (a MUST) and a vendor that is not a string.
    const res = await append(uuid, 'analysis', { vendor: 5, encoding: 'none', body: 'x' })
    assert.equal(res.status, 422)
    const { error } = (await res.json()) as ErrorBody
    const pointers = (error.issues ?? []).map((i) => i.pointer)
    assert.ok(pointers.includes('/analysis/0/type'), pointers.join(' '))
    assert.ok(pointers.includes('/analysis/0/vendor'), pointers.join(' '))
    assert.equal((await s.fetch(`/v1/vcons/${uuid}`)).headers.get('etag'), '"1"')
    assert.equal((await append(randomUUID(), 'analysis', { vendor: 'x' })).status, 404)
    const notObject = await s.fetch(`/v1/vcons/${uuid}/dialog`, {
      method: 'POST',
      body: '[1]',
      headers: json,
    })
    assert.equal(notObject.status, 400)
  })

  test('POST tags merges, PUT tags replaces; list finds vCons by tag', async () => {
    const uuid = randomUUID()
    await post(sampleText(uuid))
    const merge = await s.fetch(`/v1/vcons/${uuid}/tags`, {
      method: 'POST',
      body: JSON.stringify({ category: 'refund', priority: 'high' }),
      headers: json,
    })
    assert.equal(merge.status, 200)
    assert.deepEqual(((await merge.json()) as { tags: unknown }).tags, {
      category: 'refund',
      priority: 'high',
    })
    const more = await s.fetch(`/v1/vcons/${uuid}/tags`, {
      method: 'POST',
      body: JSON.stringify(['priority:low', 'reviewed']),
      headers: json,
    })
    assert.deepEqual(((await more.json()) as { tags: unknown }).tags, {
      category: 'refund',
      priority: 'low',
      reviewed: '',
    })
    const byTag = (await (await s.fetch('/v1/vcons?tag=priority:low')).json()) as {
      items: { uuid: string }[]
    }
    assert.ok(byTag.items.some((i) => i.uuid === uuid))
    const replace = await s.fetch(`/v1/vcons/${uuid}/tags`, {
      method: 'PUT',
      body: JSON.stringify({ archived: 'yes' }),
      headers: json,
    })
    assert.equal(replace.status, 200)
    const read = (await (await s.fetch(`/v1/vcons/${uuid}/tags`)).json()) as {
      tags: unknown
      version: number
    }
    assert.deepEqual(read.tags, { archived: 'yes' })
    assert.equal(read.version, 4)
    const bad = await s.fetch(`/v1/vcons/${uuid}/tags`, {
      method: 'POST',
      body: '{"a": 1}',
      headers: json,
    })
    assert.equal(bad.status, 400)
  })
})
