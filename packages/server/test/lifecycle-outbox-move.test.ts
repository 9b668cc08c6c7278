/**
 * The one-time move of a SQLite lifecycle outbox (an earlier version's, kept in the data folder beside a
 * PostgreSQL store) into PostgreSQL: every event with its receipt or pending state, in order; heads only where
 * PostgreSQL has none; a second start moves nothing again (also when the mark was lost); rows written to the
 * file later are moved by the next start; and the moved pending rows are registered from PostgreSQL.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  createTransparencyLog,
  generateSigningKey,
  MemoryLedgerStorage,
  publicPart,
  type SigningKey,
} from '@vconkit/ledger'
import Database from 'better-sqlite3'
import pg from 'pg'
import type { LifecycleOutbox } from '../src/ledger/lifecycle-outbox.js'
import { moveSqliteOutbox } from '../src/ledger/lifecycle-outbox-move.js'
import {
  createLifecycleRecorder,
  type LedgerRegistrar,
  type LifecycleInput,
} from '../src/ledger/lifecycle-recorder.js'
import { createPostgresLifecycleOutbox } from '../src/ledger/postgres-lifecycle-outbox.js'
import { createSqliteLifecycleOutbox } from '../src/ledger/sqlite-lifecycle-outbox.js'
import { silentLogger } from '../src/observability/json-logger.js'
import { assertLinear } from './lifecycle-outbox-contract.js'
import { createCollectingLogger } from './support/collecting-logger.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'

const URL = POSTGRES_TEST_URL

const down = await postgresUnreachable()

const vcon = (uuid: string, n: string) => ({ vcon: '0.4.0', uuid, subject: n, parties: [] })

const away: LedgerRegistrar = { register: () => Promise.reject(new Error('ledger away')) }

/** Records events through a recorder over `outbox` and waits until they are written. */
async function recordOn(
  outbox: LifecycleOutbox,
  key: SigningKey,
  registrar: LedgerRegistrar,
  inputs: readonly LifecycleInput[],
): Promise<void> {
  const recorder = createLifecycleRecorder({
    outbox,
    registrar,
    issuer: 'urn:test:conserver',
    key,
    log: silentLogger(),
  })
  for (const input of inputs) recorder.record(input)
  await recorder.flush()
  await recorder.close()
}

const history = (uuid: string, n: number): LifecycleInput[] => [
  { event: 'vcon_created', vconUuid: uuid, vcon: vcon(uuid, 'c') },
  ...Array.from({ length: n }, (_, i) => ({
    event: 'vcon_enhanced' as const,
    vconUuid: uuid,
    vcon: vcon(uuid, `e${i}`),
  })),
]

if (down !== undefined) {
  const message = `PostgreSQL at ${URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('lifecycle outbox move: PostgreSQL must be reachable in CI', () => assert.fail(message))
  } else test.skip(`lifecycle outbox move: skipped, ${message}`)
} else {
  test('a SQLite outbox moves into PostgreSQL once, nothing lost and nothing twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-outbox-move-'))
    const file = join(dir, 'vconkit.db')
    const schema = randomSchema('vck_outbox_move')
    const pool = new pg.Pool({ connectionString: URL, max: 3 })
    try {
      const target = createPostgresLifecycleOutbox({ pool, schema })
      await target.migrate()
      // No file: nothing happens, and no file is created.
      assert.deepEqual(await moveSqliteOutbox({ file, target, log: silentLogger() }), {
        events: 0,
        heads: 0,
      })
      assert.equal(existsSync(file), false)

      const key = generateSigningKey()
      const log = await createTransparencyLog({
        storage: new MemoryLedgerStorage(),
        issuer: 'urn:test:ledger',
        logKey: generateSigningKey(),
        issuerKeys: [publicPart(key)],
      })
      const [registered, pending, shared] = [randomUUID(), randomUUID(), randomUUID()]
      // Another machine already recorded `shared` in PostgreSQL: its head there is newer than the file's.
      await recordOn(target, key, log, history(shared, 1))
      const sharedHead = (await target.events(shared))[1]?.digest
      // The earlier version's outbox: one vCon registered, one still pending, and `shared`.
      const old = createSqliteLifecycleOutbox({ file })
      await old.migrate()
      await recordOn(old, key, log, history(registered, 2))
      await recordOn(old, key, away, [...history(pending, 1), ...history(shared, 0)])
      const before = {
        registered: await old.events(registered),
        pending: await old.events(pending),
      }
      assert.equal(await old.pendingCount(), 3)
      await old.close()

      const logger = createCollectingLogger()
      assert.deepEqual(await moveSqliteOutbox({ file, target, log: logger }), {
        events: 6,
        heads: 2,
      })
      const line = logger.lines.find(
        (l) => l.msg === 'lifecycle outbox moved from SQLite to PostgreSQL',
      )
      assert.equal(line?.fields.events, 6)
      assert.equal(line?.fields.heads, 2)
      for (const uuid of [registered, pending] as const) {
        const moved = await target.events(uuid)
        const kept = uuid === registered ? before.registered : before.pending
        assert.deepEqual(
          moved.map(({ seq: _, ...rest }) => rest),
          kept.map(({ seq: _, ...rest }) => rest),
        )
      }
      assert.ok(before.registered.every((e) => e.receipt !== undefined))
      assert.equal(await target.pendingCount(), 3)

      // A second start: the mark says everything is there.
      assert.deepEqual(await moveSqliteOutbox({ file, target, log: silentLogger() }), {
        events: 0,
        heads: 0,
      })
      // The mark lost (a crash between the copy and the mark): copied again, stored once.
      const db = new Database(file)
      db.exec('DELETE FROM lifecycle_moved')
      db.close()
      assert.deepEqual(await moveSqliteOutbox({ file, target, log: silentLogger() }), {
        events: 0,
        heads: 0,
      })
      const count = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".lifecycle_events`,
      )
      assert.equal(Number(count.rows[0]?.n), 2 + 6)

      // The SQLite rows are left where they were.
      const again = createSqliteLifecycleOutbox({ file })
      await again.migrate()
      assert.equal((await again.events(registered)).length, 3)
      assert.equal(await again.pendingCount(), 3)
      // A row written to the file after the move (the store switched back for a while) moves next time.
      const later = randomUUID()
      await recordOn(again, key, away, history(later, 0))
      await again.close()
      assert.deepEqual(await moveSqliteOutbox({ file, target, log: silentLogger() }), {
        events: 1,
        heads: 1,
      })

      // PostgreSQL goes on from the moved heads, and registers what was pending.
      await recordOn(target, key, log, [
        { event: 'vcon_enhanced', vconUuid: registered, vcon: vcon(registered, 'next') },
        { event: 'vcon_enhanced', vconUuid: shared, vcon: vcon(shared, 'next') },
      ])
      assertLinear(await target.events(registered), 'registered')
      assert.equal((await target.events(registered)).length, 4)
      const sharedEvents = await target.events(shared)
      // The PostgreSQL head of `shared` was kept: the new event names it, not the file's.
      assert.equal(sharedEvents[sharedEvents.length - 1]?.document.prev, sharedHead)
      assert.equal(await target.pendingCount(), 0)
    } finally {
      await pool.end()
      await dropSchema(schema)
      await rm(dir, { recursive: true, force: true })
    }
  })
}
