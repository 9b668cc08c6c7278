import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { createSqliteTokenStore } from '../src/store/sqlite/sqlite-token-store.js'
import { makeVcon, runStoreContract, type StoreFixture } from './store-contract.js'

async function makeSqliteStore(): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-sqlite-store-'))
  const store = createSqliteStore({ file: join(dir, 'vconkit.db') })
  await store.migrate()
  const tokens = createSqliteTokenStore(store.db)
  const count = (sql: string, ...params: string[]) =>
    store.db
      .prepare(sql)
      .pluck()
      .get(...params) as number
  return {
    store,
    tokens,
    async residue(uuid, word) {
      return (
        count('SELECT count(*) FROM vcon_parties WHERE uuid = ?', uuid) +
        count('SELECT count(*) FROM vcon_tags WHERE uuid = ?', uuid) +
        count('SELECT count(*) FROM vcon_refs WHERE uuid = ?', uuid) +
        count('SELECT count(*) FROM idempotency_keys WHERE uuid = ?', uuid) +
        count('SELECT count(*) FROM vcon_fts WHERE uuid = ?', uuid) +
        // The FTS5 content table itself, read without going through the index.
        count("SELECT count(*) FROM vcon_fts_content WHERE c1 LIKE '%' || ? || '%'", word)
      )
    },
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

runStoreContract('sqlite', makeSqliteStore)

test('sqlite: WAL, synchronous FULL by default and NORMAL on request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-sqlite-pragmas-'))
  try {
    const full = createSqliteStore({ file: join(dir, 'a.db') })
    await full.migrate()
    assert.equal(full.db.pragma('journal_mode', { simple: true }), 'wal')
    assert.equal(full.db.pragma('synchronous', { simple: true }), 2)
    assert.equal(full.db.pragma('foreign_keys', { simple: true }), 1)
    assert.ok((full.db.pragma('busy_timeout', { simple: true }) as number) > 0)
    const versions = full.db
      .prepare("SELECT version FROM schema_migrations WHERE scope = 'store' ORDER BY version")
      .pluck()
      .all()
    assert.deepEqual(versions, [1, 2, 3])
    await full.close()
    const normal = createSqliteStore({ file: join(dir, 'a.db'), synchronous: 'NORMAL' })
    assert.equal(normal.db.pragma('synchronous', { simple: true }), 1)
    await normal.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sqlite: a readonly store reads and refuses writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-sqlite-ro-'))
  try {
    const file = join(dir, 'a.db')
    const writer = createSqliteStore({ file })
    await writer.migrate()
    const v = makeVcon({ text: 'readonly words' })
    await writer.insertMany([v])
    const reader = createSqliteStore({ file, readonly: true })
    await reader.migrate()
    assert.equal((await reader.get(v.uuid))?.json, v.json)
    assert.equal((await reader.search('readonly', 5))[0]?.uuid, v.uuid)
    await assert.rejects(reader.insertMany([makeVcon()]))
    await reader.close()
    await writer.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sqlite: a held write lock becomes UNAVAILABLE after busy_timeout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-sqlite-busy-'))
  try {
    const file = join(dir, 'a.db')
    const holder = createSqliteStore({ file })
    await holder.migrate()
    const other = createSqliteStore({ file, busyTimeoutMs: 50 })
    await other.migrate()
    holder.db.exec('BEGIN IMMEDIATE')
    await assert.rejects(other.insertMany([makeVcon()]), { code: 'UNAVAILABLE', retryAfter: 1 })
    holder.db.exec('ROLLBACK')
    assert.equal((await other.insertMany([makeVcon()]))[0]?.status, 'created')
    await other.close()
    await holder.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sqlite: erasure leaves no copy of the text in the database files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-sqlite-erase-'))
  try {
    const file = join(dir, 'a.db')
    const store = createSqliteStore({ file })
    await store.migrate()
    const filler = (i: number) =>
      makeVcon({ text: `conversation ${i} about parcels and refunds ${'lorem ipsum '.repeat(20)}` })
    await store.insertMany(Array.from({ length: 300 }, (_, i) => filler(i)))
    const secret = makeVcon({ name: 'Erased Person', text: 'the quixotic password zanzibar' })
    await store.insertMany([secret])
    await store.insertMany(Array.from({ length: 300 }, (_, i) => filler(i + 300)))
    const copies = () => {
      let n = 0
      for (const path of [file, `${file}-wal`]) {
        if (!existsSync(path)) continue
        const bytes = readFileSync(path)
        for (let at = bytes.indexOf('zanzibar'); at !== -1; at = bytes.indexOf('zanzibar', at + 1))
          n++
      }
      return n
    }
    assert.ok(copies() > 0, 'the word is on disk before the delete')
    assert.equal(await store.delete(secret.uuid), true)
    assert.equal(copies(), 0, 'no page of the database or the WAL holds the word')
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
