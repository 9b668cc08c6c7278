import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { createPostgresStore } from '../src/store/postgres/postgres-store.js'
import { createPostgresTokenStore } from '../src/store/postgres/postgres-token-store.js'
import { makeVcon, runStoreContract, type StoreFixture } from './store-contract.js'
import { POSTGRES_TEST_URL, postgresUnreachable } from './support/postgres-test.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

async function makePostgresStore(): Promise<StoreFixture> {
  // A schema of its own per test: tests run concurrently and repeatedly without seeing each other.
  const schema = `vck_test_${randomBytes(6).toString('hex')}`
  const store = createPostgresStore({ url: URL, schema, poolSize: 4 })
  await store.migrate()
  const tokens = createPostgresTokenStore(store)
  const count = async (sql: string, param: string) =>
    (await store.pool.query<{ n: number }>(sql, [param])).rows[0]?.n ?? 0
  const s = `"${schema}"`
  return {
    store,
    tokens,
    async residue(uuid, word) {
      return (
        (await count(`SELECT count(*)::int AS n FROM ${s}.vcon_parties WHERE uuid = $1`, uuid)) +
        (await count(`SELECT count(*)::int AS n FROM ${s}.vcon_tags WHERE uuid = $1`, uuid)) +
        (await count(`SELECT count(*)::int AS n FROM ${s}.vcon_refs WHERE uuid = $1`, uuid)) +
        (await count(
          `SELECT count(*)::int AS n FROM ${s}.idempotency_keys WHERE uuid = $1`,
          uuid,
        )) +
        (await count(`SELECT count(*)::int AS n FROM ${s}.vcon_text WHERE uuid = $1`, uuid)) +
        (await count(
          `SELECT count(*)::int AS n FROM ${s}.vcon_text WHERE strpos(text, $1) > 0`,
          word,
        ))
      )
    },
    async cleanup() {
      try {
        await store.pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
      } finally {
        await store.close()
      }
    },
  }
}

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('postgres store: PostgreSQL must be reachable in CI', () => {
      assert.fail(`${message}; CI must run the PostgreSQL contract suite`)
    })
  } else {
    test.skip(`postgres store: skipped, ${message}; set VCONKIT_TEST_DATABASE_URL`)
  }
} else {
  runStoreContract('postgres', makePostgresStore)

  test('postgres: migrate is safe when several processes start at once', async () => {
    const schema = `vck_test_${randomBytes(6).toString('hex')}`
    const stores = [1, 2, 3].map(() => createPostgresStore({ url: URL, schema, poolSize: 2 }))
    try {
      await Promise.all(stores.map((s) => s.migrate()))
      const first = stores[0]
      assert.ok(first !== undefined)
      const versions = await first.pool.query<{ version: number }>(
        `SELECT version FROM "${schema}".schema_migrations WHERE scope = 'store' ORDER BY version`,
      )
      assert.deepEqual(
        versions.rows.map((r) => r.version),
        [1, 2, 3],
      )
      const v = makeVcon()
      assert.equal((await first.insertMany([v]))[0]?.status, 'created')
    } finally {
      await stores[0]?.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await Promise.all(stores.map((s) => s.close()))
    }
  })

  test('postgres: concurrent batches with the same key and uuid create it once', async () => {
    const fixture = await makePostgresStore()
    try {
      const v = makeVcon()
      const runs = await Promise.all(
        Array.from({ length: 6 }, () =>
          fixture.store.insertMany([v], [{ idempotencyKey: 'same-key' }]),
        ),
      )
      const statuses = runs.map((r) => r[0]?.status).sort()
      assert.deepEqual(statuses, [
        'created',
        'replayed',
        'replayed',
        'replayed',
        'replayed',
        'replayed',
      ])
    } finally {
      await fixture.cleanup()
    }
  })

  test('postgres: an unreachable server is UNAVAILABLE, for the API to answer 503', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const store = createPostgresStore({
      url: 'postgres://postgres@127.0.0.1:1/test',
      connectTimeoutMs: 1000,
    })
    try {
      await assert.rejects(store.ping(), { name: 'ServerError', code: 'UNAVAILABLE' })
      await assert.rejects(store.get('x'), { code: 'UNAVAILABLE' })
      await assert.rejects(store.insertMany([makeVcon()]), { code: 'UNAVAILABLE' })
      await assert.rejects(store.migrate(), { code: 'UNAVAILABLE' })
    } finally {
      await store.close()
    }
  })

  test('postgres: a schema name that is not an identifier is refused', () => {
    assert.throws(() => createPostgresStore({ url: URL, schema: 'x"; DROP SCHEMA public; --' }), {
      code: 'CONFIG_INVALID',
    })
  })
}
