import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { gzipSync } from 'node:zlib'
import type { Vcon } from '@vconkit/vcon'
import { deriveIndex } from '../store/derive-index.js'
import { createSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js'
import { findSubject, findSubjectVcons, parseSubjectIdentifier } from './find-subject.js'

const id = (n: number) => `0190c000-0000-8000-8000-${String(n).padStart(12, '0')}`
const TEL = parseSubjectIdentifier('tel:+15550100')

async function withStore(body: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-find-subject-'))
  const store = createSqliteStore({ file: join(dir, 'store.db') })
  try {
    await store.migrate()
    await body(store)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function put(store: SqliteStore, n: number, fields: Record<string, unknown>, json?: string) {
  const vcon = {
    vcon: '0.4.0',
    uuid: id(n),
    created_at: `2025-01-01T00:00:${String(n).padStart(2, '0')}Z`,
    ...fields,
  }
  return store.put({
    uuid: id(n),
    json: json ?? JSON.stringify(vcon),
    vcon: vcon as Vcon,
    index: deriveIndex(vcon as Vcon, Date.now),
  })
}

test('lineage is followed both ways and transitively, even through versions that no longer name the subject', async () => {
  await withStore(async (store) => {
    await put(store, 1, { parties: [{ name: 'Origin' }] })
    await put(store, 2, { parties: [{ tel: '+15550100' }], amended: { uuid: id(1) } })
    await put(store, 3, { parties: [{ name: 'Redacted' }], redacted: { uuid: id(2), type: 'pii' } })
    await put(store, 4, { parties: [{ name: 'Again' }], amended: { uuid: id(3) } })
    await put(store, 5, { parties: [{ tel: '+15550199' }] })
    const found = await findSubjectVcons(store, TEL)
    assert.deepEqual(
      found.map((v) => [v.uuid, v.matches]),
      [
        [id(4), [{ pointer: '/amended', kind: 'lineage', linkedTo: id(3), relation: 'amends' }]],
        [id(3), [{ pointer: '/redacted', kind: 'lineage', linkedTo: id(2), relation: 'redacts' }]],
        [id(2), [{ pointer: '/parties/0/tel', kind: 'party' }]],
        [
          id(1),
          [{ pointer: '/amended', kind: 'lineage', linkedTo: id(2), relation: 'amended-by' }],
        ],
      ],
    )
  })
})

test('the limit counts matching vCons, says when it cut, and never cuts the versions linked to one', async () => {
  await withStore(async (store) => {
    for (let n = 1; n <= 5; n++) await put(store, n, { parties: [{ tel: '+1 555 0100' }] })
    await put(store, 6, { parties: [{ name: 'x' }], redacted: { uuid: id(5), type: 'pii' } })
    const all = await findSubject(store, TEL)
    assert.equal(all.vcons.length, 6)
    assert.equal(all.truncated, false)
    const two = await findSubject(store, TEL, { limit: 2 })
    assert.equal(two.truncated, true)
    // Newest first: 5 (with its redacted version 6) and 4.
    assert.deepEqual(
      two.vcons.map((v) => v.uuid),
      [id(6), id(5), id(4)],
    )
    assert.equal((await findSubject(store, TEL, { limit: 5 })).truncated, false)
  })
})

test('a signed vCon is read through its payload, gzipped or not; index hits the vCon does not confirm are dropped', async () => {
  await withStore(async (store) => {
    const payload = { vcon: '0.4.0', uuid: id(1), parties: [{ tel: '+15550100' }] }
    const jws = JSON.stringify({
      payload: gzipSync(JSON.stringify(payload)).toString('base64url'),
      signatures: [{ protected: 'e30', signature: 'c2ln' }],
    })
    await put(store, 1, { parties: [{ tel: '+15550100' }] }, jws)
    // "Alice" and "Smith" are both in the text, but not as the name "Alice Smith".
    await put(store, 2, { parties: [{ name: 'Smith' }], subject: 'Alice called' })
    const found = await findSubject(store, TEL)
    assert.deepEqual(
      found.vcons.map((v) => [v.uuid, v.form, v.matches]),
      [[id(1), 'signed', [{ pointer: '/parties/0/tel', kind: 'party' }]]],
    )
    assert.deepEqual(await findSubjectVcons(store, parseSubjectIdentifier('name:Alice Smith')), [])
  })
})
