/**
 * The PostgreSQL lifecycle outbox: the adapter contract, its migration scope beside the store's, and two
 * recorders standing for two conserver machines (a pool and an outbox each, one schema) recording interleaved
 * events for the same vCons at the same time: every vCon's history stays one linear chain.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import {
  createTransparencyLog,
  generateSigningKey,
  MemoryLedgerStorage,
  publicPart,
} from '@vconkit/ledger'
import pg from 'pg'
import {
  createLifecycleRecorder,
  type LifecycleRecorder,
} from '../src/ledger/lifecycle-recorder.js'
import {
  createPostgresLifecycleOutbox,
  type PostgresLifecycleOutbox,
} from '../src/ledger/postgres-lifecycle-outbox.js'
import { silentLogger } from '../src/observability/json-logger.js'
import { createPostgresStore } from '../src/store/postgres/postgres-store.js'
import { assertLinear, runLifecycleOutboxContract } from './lifecycle-outbox-contract.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

/** A pool of its own per outbox: a machine of its own. */
async function machine(schema: string, pools: pg.Pool[]): Promise<PostgresLifecycleOutbox> {
  const pool = new pg.Pool({ connectionString: URL, max: 3 })
  pools.push(pool)
  const outbox = createPostgresLifecycleOutbox({ pool, schema })
  await outbox.migrate()
  return outbox
}

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('postgres lifecycle outbox: PostgreSQL must be reachable in CI', () => {
      assert.fail(`${message}; CI must run the PostgreSQL outbox tests`)
    })
  } else {
    test.skip(`postgres lifecycle outbox: skipped, ${message}; set VCONKIT_TEST_DATABASE_URL`)
  }
} else {
  runLifecycleOutboxContract('postgres', async () => {
    const schema = randomSchema('vck_outbox_test')
    const pools: pg.Pool[] = []
    return {
      open: () => machine(schema, pools),
      async cleanup() {
        try {
          for (const pool of pools) await pool.end()
        } finally {
          await dropSchema(schema)
        }
      },
    }
  })

  test('postgres outbox: the store schema, its own migration scope, applied once by concurrent starts', async () => {
    const schema = randomSchema('vck_outbox_test')
    const store = createPostgresStore({ url: URL, schema, poolSize: 3 })
    try {
      await store.migrate()
      const outbox = createPostgresLifecycleOutbox({ pool: store.pool, schema: store.schema })
      await Promise.all([outbox.migrate(), outbox.migrate(), outbox.migrate()])
      const scopes = await store.pool.query<{ scope: string; version: number }>(
        `SELECT scope, version FROM "${schema}".schema_migrations WHERE scope = 'lifecycle'`,
      )
      assert.deepEqual(
        scopes.rows.map((r) => `${r.scope}:${r.version}`),
        ['lifecycle:1'],
      )
      const tables = await store.pool.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'lifecycle%' ORDER BY table_name",
        [schema],
      )
      assert.deepEqual(
        tables.rows.map((r) => r.table_name),
        ['lifecycle_events', 'lifecycle_heads'],
      )
      await outbox.close()
      // The store's pool is still open: the outbox does not own it.
      assert.equal((await store.pool.query('SELECT 1 AS one')).rows[0]?.one, 1)
    } finally {
      await store.close()
      await dropSchema(schema)
    }
  })

  test('postgres outbox: two machines recording the same vCons at once keep one linear chain per vCon', async () => {
    const schema = randomSchema('vck_outbox_test')
    const pools: pg.Pool[] = []
    const recorders: LifecycleRecorder[] = []
    try {
      const issuer = generateSigningKey()
      const ledger = await createTransparencyLog({
        storage: new MemoryLedgerStorage(),
        issuer: 'urn:test:ledger',
        logKey: generateSigningKey(),
        issuerKeys: [publicPart(issuer)],
      })
      // The same clock on both machines: events of one millisecond differ only by their prev.
      const now = () => 1_700_000_000_000
      for (let i = 0; i < 2; i++) {
        recorders.push(
          createLifecycleRecorder({
            outbox: await machine(schema, pools),
            registrar: ledger,
            issuer: 'urn:test:conserver',
            key: issuer,
            log: silentLogger(),
            now,
          }),
        )
      }
      const [a, b] = recorders as [LifecycleRecorder, LifecycleRecorder]
      const uuids = Array.from({ length: 5 }, () => randomUUID())
      const vcon = (uuid: string, n: string) => ({ vcon: '0.4.0', uuid, subject: n, parties: [] })
      for (const uuid of uuids)
        a.record({ event: 'vcon_created', vconUuid: uuid, vcon: vcon(uuid, 'c') })
      await a.flush()
      const ROUNDS = 20
      const machineRun = (recorder: LifecycleRecorder, who: string) =>
        (async () => {
          for (let round = 0; round < ROUNDS; round++) {
            for (const uuid of uuids) {
              recorder.record({
                event: 'vcon_enhanced',
                vconUuid: uuid,
                vcon: vcon(uuid, `${who}${round}`),
                reason: 'analysis',
              })
            }
            // Let the other machine's drain run between rounds, and flush now and then.
            if (round % 4 === 3) await recorder.flush()
            else await new Promise((r) => setImmediate(r))
          }
          await recorder.flush()
        })()
      await Promise.all([machineRun(a, 'a'), machineRun(b, 'b')])
      for (const uuid of uuids) {
        const events = await b.events(uuid)
        assert.equal(events.length, 1 + 2 * ROUNDS)
        assertLinear(events, uuid)
        assert.deepEqual(await a.events(uuid), events)
      }
      const heads = await (pools[0] as pg.Pool).query<{ vcon_uuid: string; last_digest: string }>(
        `SELECT vcon_uuid, last_digest FROM "${schema}".lifecycle_heads`,
      )
      assert.equal(heads.rowCount, uuids.length)
      for (const row of heads.rows) {
        const events = await a.events(row.vcon_uuid)
        assert.equal(row.last_digest, events[events.length - 1]?.digest)
      }
      assert.equal(await a.pendingCount(), 0)
    } finally {
      for (const recorder of recorders) await recorder.close()
      for (const pool of pools) await pool.end()
      await dropSchema(schema)
    }
  })
}
