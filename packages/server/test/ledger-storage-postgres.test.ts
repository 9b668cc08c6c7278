import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import {
  createPostgresLedgerStorage,
  type PostgresLedgerStorage,
} from '../src/ledger/postgres-ledger-storage.js'
import { createPostgresStore } from '../src/store/postgres/postgres-store.js'
import { runLedgerStorageContract } from './ledger-storage-contract.js'
import { dropSchema, POSTGRES_TEST_URL, postgresUnreachable } from './support/postgres-test.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('postgres ledger storage: PostgreSQL must be reachable in CI', () => {
      assert.fail(`${message}; CI must run the PostgreSQL ledger contract suite`)
    })
  } else {
    test.skip(`postgres ledger storage: skipped, ${message}; set VCONKIT_TEST_DATABASE_URL`)
  }
} else {
  runLedgerStorageContract('postgres', async () => {
    // A schema of its own per test: tests run concurrently and repeatedly without seeing each other.
    const schema = `vck_ledger_test_${randomBytes(6).toString('hex')}`
    const opened: PostgresLedgerStorage[] = []
    return {
      async open() {
        const storage = createPostgresLedgerStorage({ url: URL, schema, poolSize: 3 })
        await storage.migrate()
        opened.push(storage)
        return storage
      },
      async cleanup() {
        try {
          for (const storage of opened) await storage.close()
        } finally {
          await dropSchema(schema)
        }
      },
    }
  })

  test('postgres: the ledger shares the Store pool and schema, with its own migration scope', async () => {
    const schema = `vck_ledger_test_${randomBytes(6).toString('hex')}`
    const store = createPostgresStore({ url: URL, schema, poolSize: 2 })
    try {
      await store.migrate()
      const storage = createPostgresLedgerStorage({ pool: store.pool, schema: store.schema })
      // Three processes starting at once apply the ledger migration once.
      await Promise.all([storage.migrate(), storage.migrate(), storage.migrate()])
      const scopes = await store.pool.query<{ scope: string; version: number }>(
        `SELECT scope, version FROM "${schema}".schema_migrations ORDER BY scope, version`,
      )
      assert.deepEqual(
        scopes.rows.map((r) => `${r.scope}:${r.version}`),
        ['ledger:1', 'store:1', 'store:2', 'store:3'],
      )
      assert.equal((await storage.state()).size, 0)
      await storage.close()
      await store.pool.query('SELECT 1')
    } finally {
      await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {})
      await store.close()
    }
  })

  test('postgres: a schema name that is not a plain identifier is refused', () => {
    assert.throws(
      () => createPostgresLedgerStorage({ url: URL, schema: 'x"; DROP TABLE y; --' }),
      /plain identifier/,
    )
  })
}
