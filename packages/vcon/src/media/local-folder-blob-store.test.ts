import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import { computeContentHash } from '../hash/content-hash.js'
import { createLocalFolderBlobStore } from './local-folder-blob-store.js'

let root: string

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'vconkit-blobs-'))
})

after(async () => {
  await rm(root, { recursive: true, force: true })
})

const bytes = new TextEncoder().encode('hello, vCon')
const hex = createHash('sha512').update(bytes).digest('hex')

describe('createLocalFolderBlobStore', () => {
  test('refuses a non-https baseUrl and an empty dir', () => {
    for (const baseUrl of [
      'http://media.example/blobs',
      'file:///tmp',
      'media.example/blobs',
      '',
    ]) {
      assert.throws(
        () => createLocalFolderBlobStore({ dir: root, baseUrl }),
        (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT',
        baseUrl,
      )
    }
    assert.throws(
      () => createLocalFolderBlobStore({ dir: '', baseUrl: 'https://m.example' }),
      (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT',
    )
  })

  test('writes a file named after the SHA-512, mode 0o600, and returns its url', async () => {
    const dir = join(root, 'a', 'nested')
    const store = createLocalFolderBlobStore({ dir, baseUrl: 'https://media.example/blobs/' })
    const { url } = await store.put(bytes, { contentHash: computeContentHash(bytes) })
    assert.equal(url, `https://media.example/blobs/${hex}`)
    assert.deepEqual(await readFile(join(dir, hex)), Buffer.from(bytes))
    assert.equal((await stat(join(dir, hex))).mode & 0o777, 0o600)
    assert.equal((await stat(dir)).mode & 0o077, 0)
  })

  test('is idempotent and leaves no temporary files behind', async () => {
    const dir = join(root, 'idem')
    const store = createLocalFolderBlobStore({ dir, baseUrl: 'https://media.example' })
    const hint = { contentHash: computeContentHash(bytes), mediatype: 'text/plain' }
    const [a, b] = await Promise.all([store.put(bytes, hint), store.put(bytes, hint)])
    const c = await store.put(bytes, hint)
    assert.equal(a.url, b.url)
    assert.equal(a.url, c.url)
    assert.deepEqual(await readdir(dir), [hex])
  })

  test('rewrites a damaged file of the wrong size', async () => {
    const dir = join(root, 'damaged')
    const store = createLocalFolderBlobStore({ dir, baseUrl: 'https://media.example' })
    await store.put(bytes, { contentHash: computeContentHash(bytes) })
    await writeFile(join(dir, hex), 'trunc')
    await store.put(bytes, { contentHash: computeContentHash(bytes) })
    assert.deepEqual(await readFile(join(dir, hex)), Buffer.from(bytes))
  })

  test('refuses bytes that do not match the contentHash hint', async () => {
    const store = createLocalFolderBlobStore({ dir: join(root, 'h'), baseUrl: 'https://m.example' })
    await assert.rejects(
      store.put(bytes, { contentHash: computeContentHash(new Uint8Array([1])) }),
      (e: unknown) => isVconError(e) && e.code === 'VCON_HASH_MISMATCH',
    )
  })

  test('get reads back its own urls and nothing else', async () => {
    const dir = join(root, 'get')
    const store = createLocalFolderBlobStore({ dir, baseUrl: 'https://media.example/b' })
    const { url } = await store.put(bytes, { contentHash: computeContentHash(bytes) })
    assert.ok(store.get)
    const back = await store.get(url)
    assert.ok(back instanceof Uint8Array)
    assert.deepEqual(Buffer.from(back), Buffer.from(bytes))
    assert.equal(await store.get(`https://other.example/b/${hex}`), undefined)
    assert.equal(await store.get('https://media.example/b/../../etc/passwd'), undefined)
    assert.equal(await store.get(`https://media.example/b/${'0'.repeat(128)}`), undefined)
    assert.equal(await store.get(`https://media.example/bb/${hex}`), undefined)
  })
})
