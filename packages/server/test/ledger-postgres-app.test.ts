/**
 * The embedded ledger over PostgreSQL (vCons, ledger tables, lifecycle outbox and tokens in one schema): lifecycle
 * receipts verify, receipts survive a restart, the outbox is in PostgreSQL and not in the data folder's SQLite
 * file, a second server with a data folder of its own (a fresh log key) refuses to start instead of silently
 * rotating the first server's log key away, and an earlier version's SQLite outbox moves into PostgreSQL once.
 */
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeCoseKeySet, type VerificationKey, verifyTransparentStatement } from '@vconkit/ledger'
import Database from 'better-sqlite3'
import pg from 'pg'
import type { ServerConfig } from '../src/config/server-config.js'
import { LEDGER_KEY_FILES, loadOrCreateKeyFile } from '../src/ledger/ledger-keys.js'
import { createLifecycleRecorder } from '../src/ledger/lifecycle-recorder.js'
import { createSqliteLifecycleOutbox } from '../src/ledger/sqlite-lifecycle-outbox.js'
import { silentLogger } from '../src/observability/json-logger.js'
import { sampleText } from './support/http-vcons.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'
import { ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('ledger on PostgreSQL: PostgreSQL must be reachable in CI', () => assert.fail(message))
  } else test.skip(`ledger on PostgreSQL: skipped, ${message}`)
} else {
  test('the embedded ledger on PostgreSQL: receipts verify and survive a restart; key fights refused', async () => {
    const schema = `vck_ledger_app_${randomBytes(6).toString('hex')}`
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-ledger-pg-'))
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    const onPostgres = (c: ServerConfig): ServerConfig => ({
      ...c,
      databaseUrl: URL,
      postgres: { ...c.postgres, schema, poolSize: 4 },
    })
    const tokens = ledgerAppTokens()
    let app = await startLedgerApp({ dataDir: first, tokens, configure: onPostgres })
    try {
      assert.equal(app.ctx.store.kind, 'postgres')
      const uuid = randomUUID()
      const created = await app.fetch('/v1/vcons', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: sampleText(uuid),
      })
      assert.equal(created.status, 201)
      await app.ctx.ledger?.recorder.flush()
      const before = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as {
        events: { transparentStatement: string }[]
      }
      const logKeys = decodeCoseKeySet(
        new Uint8Array(await (await fetch(`${app.url}/.well-known/scitt-keys`)).arrayBuffer()),
      )
      const issuerKeys = [app.ctx.ledger?.issuerKey as VerificationKey]
      const statement = Buffer.from(before.events[0]?.transparentStatement as string, 'base64url')
      assert.equal(verifyTransparentStatement(statement, { issuerKeys, logKeys }).valid, true)
      // The outbox is in PostgreSQL, beside the vCons; the data folder's SQLite file (the queue's) has none.
      const rows = await withClient(async (client) =>
        client.query(`SELECT event FROM "${schema}".lifecycle_events WHERE vcon_uuid = $1`, [uuid]),
      )
      assert.deepEqual(
        rows.rows.map((r) => r.event),
        ['vcon_created'],
      )
      assert.deepEqual(lifecycleTables(join(first, 'vconkit.db')), [])

      // A second server with a folder of its own would create a new log key: refused, naming the fix.
      await assert.rejects(
        startLedgerApp({ dataDir: second, tokens, configure: onPostgres }),
        /copy ledger-log-key\.pem and ledger-issuer-key\.pem/,
      )
      // Again: still refused (the refused start left no key behind to be taken for a rotation).
      await assert.rejects(
        startLedgerApp({ dataDir: second, tokens, configure: onPostgres }),
        /copy ledger-log-key\.pem/,
      )
      // With the keys copied it starts and serves the same log.
      mkdirSync(second, { recursive: true })
      for (const name of Object.values(LEDGER_KEY_FILES)) {
        cpSync(join(first, name), join(second, name))
      }
      const other = await startLedgerApp({ dataDir: second, tokens, configure: onPostgres })
      try {
        const page = (await (await other.fetch('/entries?from=0')).json()) as { treeSize: number }
        assert.equal(page.treeSize, 1)
      } finally {
        await other.stop()
      }

      await app.stop()
      app = await startLedgerApp({ dataDir: first, tokens, configure: onPostgres })
      const after = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as unknown
      assert.deepEqual(after, before)
    } finally {
      await app.stop()
      await dropSchema(schema)
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('an earlier version kept the outbox in the SQLite file: it moves into PostgreSQL once and is registered', async () => {
    const schema = randomSchema('vck_ledger_app')
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-ledger-pg-'))
    const onPostgres = (c: ServerConfig): ServerConfig => ({
      ...c,
      databaseUrl: URL,
      postgres: { ...c.postgres, schema, poolSize: 4 },
    })
    const tokens = ledgerAppTokens()
    try {
      // The earlier version's data folder: its issuer key, and an event left pending in vconkit.db.
      mkdirSync(dir, { recursive: true })
      const { key } = loadOrCreateKeyFile(dir, LEDGER_KEY_FILES.issuer)
      const uuid = randomUUID()
      const old = createSqliteLifecycleOutbox({ file: join(dir, 'vconkit.db') })
      await old.migrate()
      const recorder = createLifecycleRecorder({
        outbox: old,
        registrar: { register: () => Promise.reject(new Error('ledger away')) },
        issuer: `urn:vconkit:conserver:${Buffer.from(key.kid).toString('hex').slice(0, 16)}`,
        key,
        log: silentLogger(),
      })
      recorder.record({ event: 'vcon_created', vconUuid: uuid, vcon: sampleText(uuid) })
      await recorder.flush()
      await recorder.close()
      const digest = (await old.events(uuid))[0]?.digest
      await old.close()

      for (let start = 0; start < 2; start++) {
        const app = await startLedgerApp({ dataDir: dir, tokens, configure: onPostgres })
        try {
          await app.ctx.ledger?.recorder.flush()
          const body = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as {
            events: { digest: string; transparentStatement: string | null }[]
          }
          // Once, whatever the number of starts, and registered from PostgreSQL.
          assert.deepEqual(
            body.events.map((e) => e.digest),
            [digest],
          )
          const logKeys = decodeCoseKeySet(
            new Uint8Array(await (await fetch(`${app.url}/.well-known/scitt-keys`)).arrayBuffer()),
          )
          const statement = Buffer.from(body.events[0]?.transparentStatement as string, 'base64url')
          const issuerKeys = [app.ctx.ledger?.issuerKey as VerificationKey]
          assert.equal(verifyTransparentStatement(statement, { issuerKeys, logKeys }).valid, true)
        } finally {
          await app.stop()
        }
      }
      // The file's rows are left as they were.
      const db = new Database(join(dir, 'vconkit.db'), { readonly: true })
      try {
        assert.equal(db.prepare('SELECT count(*) FROM lifecycle_events').pluck().get(), 1)
        assert.equal(db.prepare('SELECT last_seq FROM lifecycle_moved').pluck().get(), 1)
      } finally {
        db.close()
      }
    } finally {
      await dropSchema(schema)
      await rm(dir, { recursive: true, force: true })
    }
  })
}

/** Runs one query on a client of its own. */
async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** The lifecycle tables of a SQLite file (none when the file does not exist). */
function lifecycleTables(file: string): string[] {
  if (!existsSync(file)) return []
  const db = new Database(file, { readonly: true })
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'lifecycle%'")
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}
