import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { startHttpsServer, TEST_CA, type TestServer } from '../../test/support/https-test-server.js'
import { isVconError, type VconErrorCode } from '../errors/vcon-error.js'
import { computeContentHash, verifyContentHash } from '../hash/content-hash.js'
import type { Vcon } from '../model/vcon.js'
import { createFetcher, type Fetcher } from './fetcher.js'
import { packVcon } from './pack.js'

const corpus = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const mp3 = readFileSync(new URL('ab_call.mp3', corpus))
const extRec = JSON.parse(readFileSync(new URL('ab_call_ext_rec.vcon', corpus), 'utf8')) as Vcon
const MP3_HASH =
  'sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNgNvZM0iCONNThnH0a75fhUM6cYzLZ5GynSURREvZwmOh54-2lRRieyj82UQ'

let server: TestServer

before(async () => {
  const tampered = Buffer.from(mp3)
  tampered[5000] = (tampered[5000] ?? 0) ^ 0xff
  server = await startHttpsServer((req, res) => {
    if (req.url === '/ab_call.mp3') {
      res.writeHead(200, { 'content-type': 'audio/mpeg' })
      res.end(mp3)
    } else if (req.url === '/tampered.mp3') {
      res.writeHead(200, { 'content-type': 'audio/mpeg' })
      res.end(tampered)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
})

after(() => server.close())

/** ab_call_ext_rec.vcon with its dialog rewritten (a copy; the corpus file is never touched). */
function withDialog(patch: Record<string, unknown>, drop: readonly string[] = []): Vcon {
  const copy = structuredClone(extRec) as unknown as { dialog: Record<string, unknown>[] }
  const dialog = { ...copy.dialog[0], ...patch }
  for (const key of drop) delete dialog[key]
  copy.dialog[0] = dialog
  return copy as unknown as Vcon
}

const trusted = (): Fetcher => createFetcher({ ca: TEST_CA, allowPrivateAddresses: true })

async function rejectsWith(
  promise: Promise<unknown>,
  code: VconErrorCode,
  ...fragments: string[]
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isVconError(error), `expected a VconError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    for (const f of fragments)
      assert.ok(error.message.includes(f), `"${error.message}" lacks "${f}"`)
    return true
  })
}

describe('packVcon over HTTPS', () => {
  test('inlines ab_call.mp3 for ab_call_ext_rec.vcon, and its content_hash verifies', async () => {
    const url = `${server.origin}/ab_call.mp3`
    const input = withDialog({ url })
    const snapshot = structuredClone(input)
    const { vcon, packed } = await packVcon(input, { fetcher: trusted() })
    const dialog = vcon.dialog?.[0] as Record<string, unknown>
    assert.deepEqual(Object.keys(dialog), [
      'type',
      'start',
      'duration',
      'parties',
      'body',
      'encoding',
      'mediatype',
      'filename',
      'content_hash',
    ])
    assert.equal(dialog.encoding, 'base64url')
    assert.equal(dialog.mediatype, 'audio/x-mp3')
    assert.equal(dialog.filename, 'ab_call.mp3')
    assert.equal(dialog.content_hash, MP3_HASH)
    const bytes = Buffer.from(dialog.body as string, 'base64url')
    assert.ok(bytes.equals(mp3))
    assert.ok(verifyContentHash(bytes, MP3_HASH).ok)
    assert.deepEqual(packed, [{ pointer: '/dialog/0', url, bytes: 33537 }])
    assert.deepEqual(input, snapshot, 'the input vCon is untouched')
    assert.notEqual(vcon, input)
    assert.equal(vcon.uuid, input.uuid)
  })

  test('a tampered file is VCON_HASH_MISMATCH naming /dialog/0 and the url, and nothing is returned', async () => {
    const url = `${server.origin}/tampered.mp3`
    await rejectsWith(
      packVcon(withDialog({ url }), { fetcher: trusted() }),
      'VCON_HASH_MISMATCH',
      '/dialog/0',
      url,
      'sha512',
    )
  })

  test('without allowPrivateAddresses the loopback url is refused before any connection', async () => {
    const connections = server.connections()
    const requests = server.requests.length
    await rejectsWith(
      packVcon(withDialog({ url: `${server.origin}/ab_call.mp3` }), {
        fetcher: createFetcher({ ca: TEST_CA }),
      }),
      'VCON_FETCH_REFUSED',
      '/dialog/0',
      'loopback',
    )
    assert.equal(server.connections(), connections)
    assert.equal(server.requests.length, requests)
  })

  test('the original github url is refused when it is http (no network used)', async () => {
    await rejectsWith(
      packVcon(withDialog({ url: 'http://example.com/ab_call.mp3' }), { fetcher: trusted() }),
      'VCON_FETCH_REFUSED',
      '/dialog/0',
      'not https',
    )
  })

  test('a url without content_hash is refused before fetching, unless allowUnhashed', async () => {
    const url = `${server.origin}/ab_call.mp3`
    const requests = server.requests.length
    const input = withDialog({ url }, ['content_hash', 'mediatype'])
    await assert.rejects(packVcon(input, { fetcher: trusted() }), (error: unknown) => {
      assert.ok(isVconError(error))
      assert.equal(error.code, 'VCON_INVALID')
      assert.equal(error.issues[0]?.code, 'url-without-hash')
      assert.equal(error.issues[0]?.pointer, '/dialog/0/content_hash')
      assert.match(error.message, /allowUnhashed/)
      return true
    })
    assert.equal(server.requests.length, requests)
    const { vcon } = await packVcon(input, { fetcher: trusted(), allowUnhashed: true })
    const dialog = vcon.dialog?.[0] as Record<string, unknown>
    assert.equal(dialog.content_hash, MP3_HASH)
    // mediatype was absent: the response Content-Type is used.
    assert.equal(dialog.mediatype, 'audio/mpeg')
  })

  test('a content_hash with no known algorithm is refused before fetching', async () => {
    const requests = server.requests.length
    await rejectsWith(
      packVcon(withDialog({ url: `${server.origin}/ab_call.mp3`, content_hash: ['blake3-AAAA'] }), {
        fetcher: trusted(),
      }),
      'VCON_HASH_MISMATCH',
      '/dialog/0',
      'no content_hash token uses a supported algorithm',
    )
    assert.equal(server.requests.length, requests)
  })
})

/** A fetcher serving fixed bytes per url, recording how many fetches run at once. */
function fakeFetcher(files: Record<string, Uint8Array>, delayMs = 5) {
  let inFlight = 0
  const stats = { maxInFlight: 0, calls: [] as string[] }
  const fetcher: Fetcher = {
    async fetch(url) {
      stats.calls.push(url)
      inFlight++
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      inFlight--
      const bytes = files[url]
      if (bytes === undefined) throw new Error(`no such file ${url}`)
      return { bytes, mediatype: 'application/octet-stream' }
    },
  }
  return { fetcher, stats }
}

function attachment(i: number, bytes: Uint8Array): Record<string, unknown> {
  return {
    start: '2024-01-01T00:00:00Z',
    party: 0,
    url: `https://files.example/${i}`,
    content_hash: computeContentHash(bytes),
  }
}

describe('packVcon with a fake fetcher', () => {
  const blobs = Array.from({ length: 10 }, (_, i) => new TextEncoder().encode(`attachment ${i}`))
  const files = Object.fromEntries(blobs.map((b, i) => [`https://files.example/${i}`, b]))
  const many = {
    uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
    dialog: [{ type: 'recording', url: 'https://files.example/d', content_hash: 'sha512-x' }],
    attachments: blobs.map((b, i) => attachment(i, b)),
    analysis: [
      {
        type: 'summary',
        vendor: 'v',
        url: 'https://files.example/0',
        content_hash: [computeContentHash(blobs[0] as Uint8Array, 'sha256'), 'future-abc'],
      },
    ],
  } as unknown as Vcon

  test('fetches with bounded concurrency and keeps document order', async () => {
    const { fetcher, stats } = fakeFetcher(files)
    const { vcon, packed } = await packVcon(many, { fetcher, only: 'attachments' })
    assert.ok(stats.maxInFlight <= 4, `max in flight ${stats.maxInFlight}`)
    assert.ok(stats.maxInFlight >= 2, `max in flight ${stats.maxInFlight}`)
    assert.deepEqual(
      packed.map((p) => p.pointer),
      blobs.map((_, i) => `/attachments/${i}`),
    )
    vcon.attachments?.forEach((a, i) => {
      assert.equal(Buffer.from(a.body as string, 'base64url').toString(), `attachment ${i}`)
      assert.equal(a.mediatype, 'application/octet-stream')
    })
    // only: 'attachments' leaves the dialog and analysis references as they were.
    assert.equal(vcon.dialog, many.dialog)
    assert.equal(vcon.analysis, many.analysis)
  })

  test('concurrency 1 fetches one at a time', async () => {
    const { fetcher, stats } = fakeFetcher(files)
    await packVcon(many, { fetcher, only: 'attachments', concurrency: 1 })
    assert.equal(stats.maxInFlight, 1)
  })

  test('analysis: a sha256-only array with an unknown token verifies', async () => {
    const { fetcher } = fakeFetcher(files)
    const { vcon, packed } = await packVcon(many, { fetcher, only: 'analysis' })
    assert.deepEqual(packed, [
      { pointer: '/analysis/0', url: 'https://files.example/0', bytes: 12 },
    ])
    assert.deepEqual(vcon.analysis?.[0]?.content_hash, many.analysis?.[0]?.content_hash)
  })

  test('the first failure stops new fetches and is reported with its pointer', async () => {
    const { fetcher, stats } = fakeFetcher(files)
    const broken = {
      ...many,
      attachments: [
        ...(many.attachments ?? []).slice(0, 1),
        { url: 'https://files.example/gone', content_hash: MP3_HASH },
        ...(many.attachments ?? []).slice(1),
      ],
    } as Vcon
    await rejectsWith(
      packVcon(broken, { fetcher, only: 'attachments', concurrency: 2 }),
      'VCON_FETCH_FAILED',
      '/attachments/1',
    )
    assert.ok(stats.calls.length < 11, `calls ${stats.calls.length}`)
  })

  test('objects that already have a body are left alone', async () => {
    const { fetcher, stats } = fakeFetcher(files)
    const inline = {
      uuid: many.uuid,
      dialog: [{ type: 'text', body: 'hi', encoding: 'none', url: 'https://files.example/0' }],
    } as unknown as Vcon
    const { vcon, packed } = await packVcon(inline, { fetcher })
    assert.deepEqual(packed, [])
    assert.deepEqual(stats.calls, [])
    assert.deepEqual(vcon, inline)
  })

  test('bad options are VCON_BAD_ARGUMENT', async () => {
    const { fetcher } = fakeFetcher(files)
    await rejectsWith(packVcon(many, { fetcher, concurrency: 0 }), 'VCON_BAD_ARGUMENT')
    await rejectsWith(
      packVcon(many, { fetcher, only: 'parties' as 'all' }),
      'VCON_BAD_ARGUMENT',
      'only',
    )
  })
})
