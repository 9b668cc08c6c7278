import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  createSignedStatement,
  createTransparencyLog,
  generateSigningKey,
  hashPreimage,
  publicPart,
  verifyReceipt,
} from '@vconkit/ledger'
import {
  createSqliteLedgerStorage,
  type SqliteLedgerStorage,
} from '../src/ledger/sqlite-ledger-storage.js'
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { runLedgerStorageContract } from './ledger-storage-contract.js'

runLedgerStorageContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-ledger-sqlite-'))
  const opened: SqliteLedgerStorage[] = []
  return {
    async open() {
      const storage = createSqliteLedgerStorage({ file: join(dir, 'ledger.db') })
      await storage.migrate()
      opened.push(storage)
      return storage
    },
    async cleanup() {
      try {
        for (const storage of opened) await storage.close()
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
})

test('sqlite: the ledger shares the Store file, with its own migration scope, and survives reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-ledger-shared-'))
  const file = join(dir, 'vconkit.db')
  try {
    const store = createSqliteStore({ file })
    await store.migrate()
    const storage = createSqliteLedgerStorage({ db: store.db })
    await storage.migrate()
    await storage.migrate()
    const scopes = store.db
      .prepare('SELECT scope, version FROM schema_migrations ORDER BY scope, version')
      .all()
    assert.deepEqual(scopes, [
      { scope: 'ledger', version: 1 },
      { scope: 'store', version: 1 },
      { scope: 'store', version: 2 },
      { scope: 'store', version: 3 },
    ])
    const tables = store.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ledger%' ORDER BY name",
      )
      .pluck()
      .all()
    assert.deepEqual(tables, [
      'ledger_checkpoints',
      'ledger_entries',
      'ledger_keys',
      'ledger_nodes',
      'ledger_signed_roots',
      'ledger_state',
    ])
    const issuer = generateSigningKey()
    const logKey = generateSigningKey()
    const log = await createTransparencyLog({
      storage,
      issuer: 'https://ledger.example',
      logKey,
      issuerKeys: [publicPart(issuer)],
    })
    const statement = createSignedStatement({
      payloadHash: hashPreimage(new TextEncoder().encode('shared file')),
      preimageContentType: 'application/vcon-lifecycle+json',
      iss: 'https://conserver.example',
      sub: 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc',
      iat: new Date(),
      key: issuer,
    })
    const { entryId, receipt } = await log.register(statement)
    await log.close()
    await storage.close()
    assert.equal(
      store.db.open,
      true,
      'closing the ledger storage leaves the shared connection open',
    )
    await store.close()

    const reopened = createSqliteLedgerStorage({ file })
    await reopened.migrate()
    const again = await createTransparencyLog({
      storage: reopened,
      issuer: 'https://ledger.example',
      logKey,
      issuerKeys: [publicPart(issuer)],
    })
    const rebuilt = await again.getReceipt(entryId)
    assert.deepEqual(rebuilt, receipt)
    verifyReceipt(rebuilt as Uint8Array, { statement, logKeys: [publicPart(logKey)] })
    await reopened.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sqlite: using the storage before migrate() is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-ledger-unmigrated-'))
  try {
    const storage = createSqliteLedgerStorage({ file: join(dir, 'x.db') })
    await assert.rejects(storage.state(), /before migrate/)
    await storage.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
