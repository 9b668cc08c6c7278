/**
 * Crash test through the real processes: a `vcon serve` (API and workers) and a separate `vcon worker`, both started
 * from source as a user starts them, share the embedded SQLite file (then PostgreSQL + Redis). The chain is
 * validate → tag → webhook (to a slow loopback receiver) → tag, so jobs spend most of their time inside the chain.
 * N vCons are posted over HTTP; while the worker holds a delivery open (told apart by its webhook secret), it is
 * killed with SIGKILL (no shutdown code runs); a new worker is started. Then every accepted vCon must have gone
 * through the whole chain, be stored once (one row per uuid, each tag written once), with no job left leased or
 * waiting and no dead letter.
 * PostgreSQL + Redis: skipped without the services, except under CI=true where the test fails.
 */
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { createRedisQueue } from '../src/queue/redis/redis-queue.js'
import { cleanEnv, type RunningVcon, spawnVcon } from './start/spawn-cli.js'
import { sampleText } from './support/http-vcons.js'
import { dropPrefix, REDIS_TEST_URL, redisUnreachable } from './support/redis-test.js'
import { type SlowReceiver, startSlowReceiver } from './support/slow-receiver.js'

const DATABASE_URL =
  process.env.VCONKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TOKEN = /vck_[0-9a-f]+_[A-Za-z0-9_-]{43}/
const N = 40
const DELAY_MS = 250

/** What differs between the embedded and the distributed setup. */
interface Backend {
  /** Extra config lines (YAML) and command-line arguments for both processes. */
  readonly yaml: string
  readonly args: readonly string[]
  readonly env: Record<string, string>
  /** Stored rows per uuid, read from the database itself. */
  rows(): Promise<Map<string, number>>
  /** Jobs waiting or leased, and dead letters, read from the queue itself. */
  queueState(): Promise<{ jobs: number; deadLetters: number }>
  cleanup(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

function chainYaml(receiver: SlowReceiver): string {
  return `port: 0
queue: { lease_ms: 1000, max_attempts: 10, backoff_ms: 100 }
shutdown: { grace_ms: 5000 }
chains:
  - name: default
    ingress: [default]
    egress: [done]
    concurrency: 4
    steps:
      - validate
      - { use: tag, name: tag-received, options: { tags: { stage: received } } }
      - use: webhook
        options: { url: "${receiver.url}", secretEnv: WEBHOOK_SECRET, allowInsecure: true, timeoutMs: 10000 }
        timeout_ms: 15000
      - { use: tag, name: tag-processed, options: { tags: { processed: "yes" } } }
`
}

async function crashScenario(backend: Backend): Promise<void> {
  // Each process signs with its own secret, so the receiver knows which one a held delivery came from.
  const secrets = { serve: 'serve-secret', worker: 'worker-secret', worker2: 'worker2-secret' }
  const receiver = await startSlowReceiver(DELAY_MS, secrets)
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-crash-'))
  const configFile = join(dir, 'conserver.yaml')
  await writeFile(configFile, chainYaml(receiver) + backend.yaml)
  const env = (secret: string) => cleanEnv({ ...backend.env, WEBHOOK_SECRET: secret })
  const args = ['--config', configFile, ...backend.args]
  const running: RunningVcon[] = []
  try {
    const server = spawnVcon(['serve', ...args], env(secrets.serve))
    running.push(server)
    const base = (await server.waitForLog('listening', 60_000)).url as string
    const token = TOKEN.exec(server.stdout())?.[0]
    assert.ok(token !== undefined, 'the first start prints an admin token')
    const auth = { authorization: `Bearer ${token}` }
    await server.waitForLog('workers started')

    const worker = spawnVcon(['worker', ...args], env(secrets.worker))
    running.push(worker)
    await worker.waitForLog('workers started', 60_000)

    // Ingest N vCons, 8 requests at a time; every one must be accepted (201).
    const uuids = Array.from({ length: N }, () => randomUUID())
    let next = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < uuids.length) {
          const uuid = uuids[next++] as string
          const res = await fetch(`${base}/v1/vcons?ingress=default`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/vcon+json' },
            body: sampleText(uuid),
          })
          assert.equal(res.status, 201, await res.text())
        }
      }),
    )

    // Kill the worker while it is inside the webhook step (a delivery signed with its secret is being held).
    await until('a delivery from the worker', 30_000, () => receiver.inFlight('worker') > 0)
    worker.child.kill('SIGKILL')
    const killed = await worker.done
    assert.equal(killed.signal, 'SIGKILL')
    await until(
      'the killed worker’s deliveries to be cut',
      5_000,
      () => receiver.aborted('worker') > 0,
    )
    const delivered = [...receiver.delivered.values()].reduce((a, b) => a + b, 0)
    assert.ok(delivered < N, `the kill came in the middle (${delivered} of ${N} delivered)`)

    const worker2 = spawnVcon(['worker', ...args], env(secrets.worker2))
    running.push(worker2)
    await worker2.waitForLog('workers started', 60_000)

    // Every accepted vCon goes through the whole chain.
    const texts = new Map<string, string>()
    await until('every vCon to be processed', 90_000, async () => {
      for (const uuid of uuids) {
        if (texts.has(uuid)) continue
        const res = await fetch(`${base}/v1/vcons/${uuid}`, { headers: auth })
        assert.equal(res.status, 200)
        const text = await res.text()
        if (text.includes('processed:yes')) texts.set(uuid, text)
      }
      return texts.size === uuids.length
    })
    await until('the queue to drain', 30_000, async () => (await backend.queueState()).jobs === 0)

    const rows = await backend.rows()
    assert.equal(rows.size, N, 'one row per accepted vCon, no other')
    for (const uuid of uuids) {
      assert.equal(rows.get(uuid), 1, `${uuid} stored once`)
      const text = texts.get(uuid) as string
      assert.equal(text.split('processed:yes').length - 1, 1, `${uuid}: the tag written once`)
      assert.equal(
        text.split('stage:received').length - 1,
        1,
        `${uuid}: the first tag written once`,
      )
      assert.ok((receiver.delivered.get(uuid) ?? 0) >= 1, `${uuid} delivered to the webhook`)
      assert.equal(JSON.parse(text).uuid, uuid)
    }
    const state = await backend.queueState()
    assert.deepEqual(
      state,
      { jobs: 0, deadLetters: 0 },
      'nothing leased or waiting, no dead letter',
    )
    const dlq = await fetch(`${base}/v1/dead-letters`, { headers: auth })
    assert.deepEqual(await dlq.json(), { items: [] })

    const stopped = await Promise.all([server.stop(), worker2.stop()])
    for (const s of stopped) assert.equal(s.code, 0, s.stderr)
  } finally {
    for (const r of running) r.child.kill('SIGKILL')
    await Promise.all(running.map((r) => r.done))
    await receiver.close()
    await backend.cleanup()
    await rm(dir, { recursive: true, force: true })
  }
}

test('kill -9 a worker mid-chain on the embedded SQLite file: every vCon processed, stored once', {
  timeout: 180_000,
}, async () => {
  const data = await mkdtemp(join(tmpdir(), 'vconkit-crash-data-'))
  const file = join(data, 'vconkit.db')
  const read = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      return fn(db)
    } finally {
      db.close()
    }
  }
  await crashScenario({
    yaml: '',
    args: ['--data', data],
    env: {},
    rows: async () =>
      read(
        (db) =>
          new Map(
            (
              db.prepare('SELECT uuid, count(*) AS n FROM vcons GROUP BY uuid').all() as {
                uuid: string
                n: number
              }[]
            ).map((r) => [r.uuid, r.n]),
          ),
      ),
    queueState: async () =>
      read((db) => ({
        jobs: (db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n,
        deadLetters: (db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number })
          .n,
      })),
    cleanup: () => rm(data, { recursive: true, force: true }),
  })
})

async function postgresUnreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `PostgreSQL is unreachable at ${DATABASE_URL} (${(error as Error).message})`
  } finally {
    await client.end().catch(() => {})
  }
}

const down = (await postgresUnreachable()) ?? (await redisUnreachable())
const DISTRIBUTED =
  'kill -9 a worker mid-chain on PostgreSQL + Redis: every vCon processed, stored once'

if (down !== undefined) {
  if (process.env.CI === 'true') {
    test(`${DISTRIBUTED}: the services must be reachable in CI`, () => assert.fail(down))
  } else {
    test.skip(`${DISTRIBUTED}: skipped, ${down}`)
  }
} else {
  test(DISTRIBUTED, { timeout: 180_000 }, async () => {
    const suffix = randomBytes(6).toString('hex')
    const schema = `vck_crash_${suffix}`
    const prefix = `vconkit-crash-${suffix}`
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    const queue = createRedisQueue({ url: REDIS_TEST_URL, prefix })
    try {
      await crashScenario({
        yaml: `postgres: { schema: ${schema}, pool_size: 4 }\nredis: { prefix: ${prefix} }\n`,
        args: [],
        env: { VCONKIT_DATABASE_URL: DATABASE_URL, VCONKIT_REDIS_URL: REDIS_TEST_URL },
        rows: async () => {
          const result = await client.query<{ uuid: string; n: string }>(
            `SELECT uuid, count(*) AS n FROM ${schema}.vcons GROUP BY uuid`,
          )
          return new Map(result.rows.map((r) => [r.uuid, Number(r.n)]))
        },
        queueState: async () => ({
          jobs: await queue.depth(),
          deadLetters: (await queue.deadLetters({ limit: 1000 })).length,
        }),
        cleanup: async () => {},
      })
    } finally {
      await queue.close()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
      await dropPrefix(prefix)
    }
  })
}
