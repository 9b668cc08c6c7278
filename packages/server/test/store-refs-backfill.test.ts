/**
 * Migration 3 (index refs) on a store that already holds vCons: the refs of the vCons stored before it are
 * derived from their JSON (unsigned, and the payload of a signed one), so a subject access request finds them
 * too. On SQLite, and on PostgreSQL (a failure under CI=true when PostgreSQL is not reachable).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import type { Store } from '../src/ports/store.js'
import {
  STORE_MIGRATIONS as PG_MIGRATIONS,
  runPostgresMigrations,
} from '../src/store/postgres/migrations.js'
import { createPostgresStore } from '../src/store/postgres/postgres-store.js'
import {
  runSqliteMigrations,
  STORE_MIGRATIONS,
  STORE_SCOPE,
} from '../src/store/sqlite/migrations.js'
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { POSTGRES_TEST_URL, postgresUnreachable } from './support/postgres-test.js'

const ORIGIN = '0190b000-0000-8000-8000-000000000001'
const SIGNED = '0190b000-0000-8000-8000-000000000002'
const PLAIN = '0190b000-0000-8000-8000-000000000003'
const b64 = (value: string) => Buffer.from(value).toString('base64url')

/** Rows as a version-2 store holds them: the JSON and the columns, no refs. */
const ROWS: readonly [string, string][] = [
  [
    ORIGIN,
    JSON.stringify({ vcon: '0.4.0', uuid: ORIGIN, parties: [{ sip: 'sip:dana@example.net' }] }),
  ],
  [
    SIGNED,
    JSON.stringify({
      payload: b64(
        JSON.stringify({ vcon: '0.4.0', uuid: SIGNED, parties: [], amended: { uuid: ORIGIN } }),
      ),
      signatures: [{ protected: b64('{"alg":"ES256"}'), signature: b64('x') }],
    }),
  ],
  [
    PLAIN,
    JSON.stringify({
      vcon: '0.4.0',
      uuid: PLAIN,
      parties: [{ name: 'Eve' }],
      dialog: [{ type: 'text', parties: [0], encoding: 'none', body: 'ring 020 7946 0018 please' }],
    }),
  ],
]

async function expectBackfilled(store: Store): Promise<void> {
  const list = async (filter: Parameters<Store['list']>[0]) =>
    (await store.list(filter)).items.map((i) => i.uuid)
  assert.deepEqual(await list({ sip: 'sip:dana@example.net', limit: 10 }), [ORIGIN])
  assert.deepEqual(await list({ derivedFrom: ORIGIN, limit: 10 }), [SIGNED])
  assert.deepEqual(await list({ refs: { kind: 'text_tel', values: ['02079460018'] }, limit: 10 }), [
    PLAIN,
  ])
}

test('sqlite: migration 3 backfills the refs of vCons stored before it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-refs-backfill-'))
  const file = join(dir, 'store.db')
  try {
    const db = new Database(file)
    runSqliteMigrations(db, STORE_SCOPE, STORE_MIGRATIONS.slice(0, 2))
    const insert = db.prepare(
      'INSERT INTO vcons (uuid, json, created_at, stored_at, version) VALUES (?, ?, ?, ?, 1)',
    )
    for (const [uuid, json] of ROWS)
      insert.run(uuid, json, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
    db.close()
    const store = createSqliteStore({ file })
    try {
      await store.migrate()
      await expectBackfilled(store)
    } finally {
      await store.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

const down = await postgresUnreachable()
if (down !== undefined) {
  const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('postgres refs backfill: PostgreSQL must be reachable in CI', () => assert.fail(message))
  } else test.skip(`postgres refs backfill: skipped, ${message}`)
} else {
  test('postgres: migration 3 backfills the refs of vCons stored before it', async () => {
    const schema = `vck_backfill_${randomBytes(6).toString('hex')}`
    const pool = new pg.Pool({ connectionString: POSTGRES_TEST_URL, max: 2 })
    const store = createPostgresStore({ url: POSTGRES_TEST_URL, schema, poolSize: 2 })
    try {
      await runPostgresMigrations(pool, schema, 'store', PG_MIGRATIONS.slice(0, 2))
      for (const [uuid, json] of ROWS) {
        await pool.query(
          `INSERT INTO "${schema}".vcons (uuid, json, created_at, stored_at, version) VALUES ($1, $2, now(), now(), 1)`,
          [uuid, json],
        )
      }
      await store.migrate()
      await expectBackfilled(store)
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await pool.end()
      await store.close()
    }
  })
}
