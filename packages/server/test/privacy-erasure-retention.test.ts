/**
 * The retention sweeper on a real conserver, on both storage backends (under CI=true an unreachable PostgreSQL
 * fails): with an injected clock it deletes exactly the vCons older than the global limit or than the limit of a
 * chain they went through (memberships recorded by the queue wrapper), keeps the rest including one exactly at
 * the limit, records vcon_expired with reason retention_expired, drops their queued jobs, respects its batch
 * size, and runs by itself once started.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ChainConfig, ServerConfig } from '../src/config/server-config.js'
import { silentLogger } from '../src/observability/json-logger.js'
import {
  type ChainMemberships,
  chainMembershipsOf,
  trackChainMemberships,
} from '../src/privacy/retention-memberships.js'
import { RetentionSweeper, type RetentionSweeperOptions } from '../src/privacy/retention-sweeper.js'
import { sampleVcon } from './support/http-vcons.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'
import { type LedgerApp, ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T00:00:00.000Z')
const ago = (days: number) => new Date(NOW - days * DAY).toISOString()

const chain = (name: string): ChainConfig => ({
  name,
  ingress: [name],
  egress: [],
  concurrency: 1,
  steps: [{ use: 'validate', name: 'validate', options: {}, timeoutMs: 5_000 }],
})

function suite(backend: string, configure?: (c: ServerConfig) => ServerConfig) {
  describe(`retention sweeper (${backend})`, () => {
    let dir: string
    let app: LedgerApp
    let memberships: ChainMemberships

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vconkit-retention-'))
      app = await startLedgerApp({
        dataDir: dir,
        tokens: ledgerAppTokens(),
        workers: false,
        chains: [chain('calls'), chain('marketing')],
        ...(configure === undefined ? {} : { configure }),
      })
      memberships = chainMembershipsOf(app.ctx.store) as ChainMemberships
      await memberships.migrate()
    })
    after(async () => {
      await app.stop()
      await rm(dir, { recursive: true, force: true })
    })

    /** Stores a vCon created `days` ago and sends it into `list` through the membership-tracking queue. */
    const ingest = async (days: number, list: 'calls' | 'marketing' = 'calls') => {
      const uuid = randomUUID()
      const response = await app.fetch('/v1/vcons', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: JSON.stringify(sampleVcon(uuid, { created_at: ago(days) })),
      })
      assert.equal(response.status, 201)
      const queue = trackChainMemberships(app.ctx.queue, memberships)
      await queue.enqueue([{ vconUuid: uuid, chain: list, step: 0, list }])
      return uuid
    }
    const sweeper = (options: Partial<RetentionSweeperOptions> = {}) =>
      new RetentionSweeper({
        store: app.ctx.store,
        queue: app.ctx.queue,
        recorder: app.ctx.ledger?.recorder,
        log: silentLogger(),
        now: () => NOW,
        maxAgeMs: 365 * DAY,
        perChain: new Map([['marketing', 30 * DAY]]),
        memberships,
        intervalMs: 60_000,
        batch: 100,
        ...options,
      })
    const stored = async (uuid: string) => (await app.ctx.store.get(uuid)) !== undefined

    test('deletes only what is older than its limit and records vcon_expired', async () => {
      const old = await ingest(400)
      const atLimit = await ingest(365)
      const young = await ingest(40)
      const oldMarketing = await ingest(31, 'marketing')
      const youngMarketing = await ingest(29, 'marketing')
      assert.deepEqual(await memberships.chainsOf(oldMarketing), ['marketing'])
      // Only a chain's first step records a membership; later steps are the same pass through the chain.
      await trackChainMemberships(app.ctx.queue, memberships).enqueue([
        { vconUuid: young, chain: 'marketing', step: 1, list: 'marketing' },
      ])
      assert.deepEqual(await memberships.chainsOf(young), ['calls'])
      const depth = await app.ctx.queue.depth()

      const report = await sweeper().sweepOnce()
      const expired = new Map(report.expired.map((e) => [e.uuid, e.limit]))
      assert.equal(expired.get(old), '*')
      assert.equal(expired.get(oldMarketing), 'marketing')
      for (const kept of [atLimit, young, youngMarketing]) assert.ok(!expired.has(kept))
      assert.equal(report.more, false)
      for (const uuid of [old, oldMarketing]) {
        assert.equal(await stored(uuid), false)
        const events = (await app.ctx.ledger?.recorder.events(uuid)) ?? []
        const last = events[events.length - 1]
        assert.equal(last?.event, 'vcon_expired')
        assert.equal(last?.document.reason, 'retention_expired')
        assert.equal(typeof last?.entryId, 'string')
        assert.deepEqual(await memberships.chainsOf(uuid), [])
      }
      for (const uuid of [atLimit, young, youngMarketing]) assert.equal(await stored(uuid), true)
      // Their queued jobs went with them.
      assert.ok((await app.ctx.queue.depth()) <= depth - 2)
      // Nothing more is due at the same time.
      assert.deepEqual((await sweeper().sweepOnce()).expired, [])
    })

    test('a sweep handles at most its batch and says when more may be due', async () => {
      const due = [await ingest(500), await ingest(501), await ingest(502)]
      const small = sweeper({ batch: 2, perChain: new Map() })
      const first = await small.sweepOnce()
      assert.equal(first.expired.length, 2)
      assert.equal(first.more, true)
      const second = await small.sweepOnce()
      assert.equal(second.expired.length, 1)
      assert.equal(second.more, false)
      for (const uuid of due) assert.equal(await stored(uuid), false)
    })

    test('without a global limit, only the chains with one expire anything', async () => {
      const ancient = await ingest(4000)
      const oldMarketing = await ingest(60, 'marketing')
      const report = await sweeper({ maxAgeMs: undefined }).sweepOnce()
      assert.deepEqual(
        report.expired.map((e) => e.uuid),
        [oldMarketing],
      )
      assert.equal(await stored(ancient), true)
    })

    test('start() sweeps by itself; stop() ends it', async () => {
      const due = await ingest(900)
      const running = sweeper({ intervalMs: 10 })
      running.start()
      const end = Date.now() + 5_000
      while ((await stored(due)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      await running.stop()
      assert.equal(await stored(due), false)
      const later = await ingest(900)
      await new Promise((r) => setTimeout(r, 100))
      assert.equal(await stored(later), true, 'a stopped sweeper deletes nothing')
    })
  })
}

suite('SQLite')

const down = await postgresUnreachable()
if (down !== undefined) {
  const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('retention sweeper (PostgreSQL): PostgreSQL must be reachable in CI', () =>
      assert.fail(message))
  } else test.skip(`retention sweeper (PostgreSQL): skipped, ${message}`)
} else {
  const schema = randomSchema('vck_retention')
  after(() => dropSchema(schema))
  suite('PostgreSQL', (c) => ({
    ...c,
    databaseUrl: POSTGRES_TEST_URL,
    postgres: { ...c.postgres, schema, poolSize: 4 },
  }))
}
