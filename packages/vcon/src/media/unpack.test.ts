import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startHttpsServer, TEST_CA, type TestServer } from '../../test/support/https-test-server.js'
import { isVconError } from '../errors/vcon-error.js'
import { computeContentHash } from '../hash/content-hash.js'
import type { Vcon } from '../model/vcon.js'
import type { BlobStore } from './blob-store.js'
import { createFetcher } from './fetcher.js'
import { createLocalFolderBlobStore } from './local-folder-blob-store.js'
import { packVcon } from './pack.js'
import { inlineBytes, unpackVcon } from './unpack.js'

const corpus = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const read = (name: string): Vcon => JSON.parse(readFileSync(new URL(name, corpus), 'utf8')) as Vcon
const wav = readFileSync(new URL('ab_call.wav', corpus))
const intRec = read('ab_call_int_rec.vcon')
const WAV_HASH =
  'sha512-Re9R7UWKaD7yN9kxoYLbFFNSKU8XfH18NFbTc3AgT4_aBubMtvGUEtRmP6XUxSS3Nl4LU-1mOCtezoTHQ67cVQ'

let server: TestServer
let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vconkit-unpack-'))
  // Publishes the store's folder under /blobs/, as a deployment's HTTPS server would.
  server = await startHttpsServer((req, res) => {
    const m = /^\/blobs\/([0-9a-f]{128})$/.exec(req.url ?? '')
    readFile(join(dir, m?.[1] ?? 'none')).then(
      (bytes) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        res.end(bytes)
      },
      () => {
        res.writeHead(404)
        res.end()
      },
    )
  })
})

after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

const store = (): BlobStore =>
  createLocalFolderBlobStore({ dir, baseUrl: `${server.origin}/blobs` })

describe('unpackVcon', () => {
  test('moves the inline wav of ab_call_int_rec.vcon to the store, with its sha512', async () => {
    const snapshot = structuredClone(intRec)
    const { vcon, unpacked } = await unpackVcon(intRec, { store: store() })
    const dialog = vcon.dialog?.[0] as Record<string, unknown>
    const name = Buffer.from(WAV_HASH.slice(7), 'base64url').toString('hex')
    const url = `${server.origin}/blobs/${name}`
    assert.deepEqual(Object.keys(dialog), [
      'type',
      'start',
      'duration',
      'parties',
      'mediatype',
      'filename',
      'url',
      'content_hash',
    ])
    assert.equal(dialog.url, url)
    assert.equal(dialog.content_hash, WAV_HASH)
    assert.equal(dialog.mediatype, 'audio/x-wav')
    assert.deepEqual(unpacked, [{ pointer: '/dialog/0', url, bytes: 7730, contentHash: WAV_HASH }])
    assert.ok((await readFile(join(dir, name))).equals(wav))
    assert.deepEqual(intRec, snapshot, 'the input vCon is untouched')
  })

  test('unpack then pack through the HTTPS server gives back the same bodies', async () => {
    const fetcher = createFetcher({ ca: TEST_CA, allowPrivateAddresses: true })
    const { vcon: out } = await unpackVcon(intRec, { store: store() })
    const { vcon: back, packed } = await packVcon(out, { fetcher })
    assert.equal(packed.length, 1)
    const original = intRec.dialog?.[0] as Record<string, unknown>
    const again = back.dialog?.[0] as Record<string, unknown>
    assert.equal(again.body, original.body)
    assert.equal(again.encoding, 'base64url')
    // Everything else is as before, plus the content_hash that pack keeps (notes §b.5).
    assert.deepEqual(back, {
      ...intRec,
      dialog: [{ ...original, content_hash: WAV_HASH }],
    })
  })

  test('text and JSON bodies move out only when asked, with the bytes documented by inlineBytes', async () => {
    const analysisVcon = read('ab_call_ext_rec_analysis.vcon')
    const untouched = await unpackVcon(analysisVcon, { store: store() })
    assert.deepEqual(untouched.unpacked, [])
    const { vcon, unpacked } = await unpackVcon(analysisVcon, {
      store: store(),
      encodings: ['json'],
    })
    const body = analysisVcon.analysis?.[0]?.body
    const expected = Buffer.from(JSON.stringify(body))
    const analysis = vcon.analysis?.[0] as unknown as Record<string, unknown>
    assert.equal(analysis.content_hash, computeContentHash(expected))
    assert.equal(analysis.mediatype, 'application/json')
    assert.equal(analysis.body, undefined)
    assert.equal(analysis.encoding, undefined)
    assert.deepEqual(
      unpacked.map((u) => u.pointer),
      ['/analysis/0'],
    )
    // The dialog was already a reference and stays one, byte for byte.
    assert.deepEqual(vcon.dialog, analysisVcon.dialog)
  })

  test('encoding none: the UTF-8 bytes of the string; only selects the section', async () => {
    const email = read('ab_email_prob_followup_text_thread.vcon')
    const { vcon, unpacked } = await unpackVcon(email, {
      store: store(),
      encodings: ['none'],
      only: 'dialog',
    })
    assert.equal(unpacked.length, email.dialog?.length)
    email.dialog?.forEach((d, i) => {
      const hash = computeContentHash(Buffer.from(d.body as string, 'utf8'))
      assert.equal(vcon.dialog?.[i]?.content_hash, hash)
      assert.equal(vcon.dialog?.[i]?.mediatype, d.mediatype)
    })
    const none = await unpackVcon(email, { store: store(), encodings: ['none'], only: 'analysis' })
    assert.deepEqual(none.unpacked, [])
  })

  test('bodies below minBytes stay inline', async () => {
    const { vcon, unpacked } = await unpackVcon(intRec, { store: store(), minBytes: 7731 })
    assert.deepEqual(unpacked, [])
    assert.deepEqual(vcon, intRec)
    const exact = await unpackVcon(intRec, { store: store(), minBytes: 7730 })
    assert.equal(exact.unpacked.length, 1)
  })

  test('an existing content_hash must match; a matching sha256-only one gains the sha512 token', async () => {
    const original = intRec.dialog?.[0] as Record<string, unknown>
    const puts: string[] = []
    const counting: BlobStore = {
      async put(bytes, hint) {
        puts.push(hint.contentHash)
        return store().put(bytes, hint)
      },
    }
    const wrong = {
      ...intRec,
      dialog: [{ ...original, content_hash: computeContentHash(Buffer.from('x')) }],
    }
    await assert.rejects(unpackVcon(wrong, { store: counting }), (e: unknown) => {
      assert.ok(isVconError(e))
      assert.equal(e.code, 'VCON_HASH_MISMATCH')
      assert.match(e.message, /^\/dialog\/0: /)
      return true
    })
    assert.deepEqual(puts, [], 'nothing is stored when a hash does not match')
    const sha256 = computeContentHash(wav, 'sha256')
    const right = { ...intRec, dialog: [{ ...original, content_hash: sha256 }] }
    const { vcon } = await unpackVcon(right, { store: counting })
    assert.deepEqual(vcon.dialog?.[0]?.content_hash, [WAV_HASH, sha256])
  })

  test('a body that is not base64url is VCON_BAD_ENCODING naming the pointer', async () => {
    const bad = {
      ...intRec,
      dialog: [{ type: 'recording', body: 'not*base64', encoding: 'base64url' }],
    }
    await assert.rejects(
      unpackVcon(bad as Vcon, { store: store() }),
      (e: unknown) =>
        isVconError(e) && e.code === 'VCON_BAD_ENCODING' && e.message.includes('/dialog/0/body'),
    )
  })

  test('a store that returns a non-https url is refused', async () => {
    const plain: BlobStore = { put: async () => ({ url: 'http://media.example/x' }) }
    await assert.rejects(
      unpackVcon(intRec, { store: plain }),
      (e: unknown) => isVconError(e) && e.code === 'VCON_STORE_FAILED',
    )
  })

  test('the store folder holds only content-addressed files', async () => {
    for (const name of await readdir(dir)) assert.match(name, /^[0-9a-f]{128}$/)
  })
})

describe('inlineBytes', () => {
  test('base64url, padded base64, none and json', () => {
    assert.deepEqual(Buffer.from(inlineBytes('/p', 'aGk', 'base64url')), Buffer.from('hi'))
    assert.deepEqual(Buffer.from(inlineBytes('/p', 'aGk=', 'base64url')), Buffer.from('hi'))
    assert.deepEqual(Buffer.from(inlineBytes('/p', '+/8', 'base64url')), Buffer.from([0xfb, 0xff]))
    assert.deepEqual(Buffer.from(inlineBytes('/p', 'héllo', 'none')), Buffer.from('héllo', 'utf8'))
    assert.deepEqual(
      Buffer.from(inlineBytes('/p', { a: [1, 'x'] }, 'json')),
      Buffer.from('{"a":[1,"x"]}'),
    )
    // A string holding JSON text (drafts up to core-02) is used as it is, whitespace included.
    assert.deepEqual(
      Buffer.from(inlineBytes('/p', '{ "a": 1 }', 'json')),
      Buffer.from('{ "a": 1 }'),
    )
    // A string that is not JSON text is a JSON string value.
    assert.deepEqual(Buffer.from(inlineBytes('/p', 'plain', 'json')), Buffer.from('"plain"'))
  })

  test('wrong body types and unknown encodings are VCON_BAD_ENCODING', () => {
    for (const [body, encoding] of [
      [{ a: 1 }, 'base64url'],
      [{ a: 1 }, 'none'],
      ['abc', 'jwe'],
      ['a', 'base64url'],
    ] as const) {
      assert.throws(
        () => inlineBytes('/x', body, encoding),
        (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ENCODING',
        `${JSON.stringify(body)} ${encoding}`,
      )
    }
  })
})
