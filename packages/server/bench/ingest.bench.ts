/**
 * Server benchmark (`npm run bench -w @vconkit/server`): sustained ingest of 5 KB vCons through the HTTP API
 * (vCons/s; p50 and p99 latency, closed loop and paced at half the measured rate), on the embedded default (SQLite
 * store and queue, synchronous=FULL: every 201 is durable) and on PostgreSQL + Redis; the floor measured in the same
 * run (raw SQL inserts of the same rows: better-sqlite3 transactions of 256, pg multi-row inserts of 256; and the
 * Store port's insertMany with parsing done beforehand); and pipeline throughput (jobs/s) with a no-op chain
 * (validate) and a chain of built-in steps against the fake vendor server. Ingest is measured with the default
 * configuration (which records a lifecycle event per create in the ledger) and with `ledger: { mode: off }`.
 * Prints one JSON document.
 *
 * Environment: BENCH_SECONDS (per load run, default 10), BENCH_CONCURRENCY (HTTP clients, default 32),
 * BENCH_PIPELINE_JOBS (default 2000), VCONKIT_TEST_DATABASE_URL / VCONKIT_TEST_REDIS_URL (PostgreSQL + Redis; that
 * part is skipped with a note when they are unreachable).
 */
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseVcon, type Vcon } from '@vconkit/vcon'
import Database from 'better-sqlite3'
import pg from 'pg'
import { createAppContext } from '../src/app/create-app-context.js'
import { startServer } from '../src/app/start-server.js'
import { generateTokenSecret } from '../src/auth/token-secret.js'
import { resolveConfig } from '../src/config/load-config.js'
import type { ServerConfig } from '../src/config/server-config.js'
import { silentLogger } from '../src/observability/json-logger.js'
import type { NewVcon } from '../src/ports/store.js'
import { deriveIndex } from '../src/store/derive-index.js'
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { startFakeVendor } from '../test/support/fake-vendor.js'
import { redisUnreachable } from '../test/support/redis-test.js'
import type { LoadResult } from './load-client.js'
import { vcon5k } from './vcon-5k.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const PIPELINE_JOBS = Number(process.env.BENCH_PIPELINE_JOBS ?? 2000)
const DATABASE_URL =
  process.env.VCONKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.VCONKIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url))
const BATCH = 256
/** vCons per request of the bulk run (`POST /v1/vcons:bulk`). */
const BULK_LINES = 256
/** The default configuration registers a lifecycle event per create in the embedded ledger; this turns it off. */
const LEDGER_OFF = 'ledger: { mode: off }'

/** Runs the load generator in a child process against `url`. */
function load(url: string, token: string, rate: number, bulk = 0): Promise<LoadResult> {
  const options = {
    url,
    token,
    durationMs: SECONDS * 1000,
    warmupMs: 2000,
    // Bulk requests each carry BULK_LINES vCons; a few clients keep the write batcher full.
    concurrency: bulk > 0 ? 4 : CONCURRENCY,
    rate,
    bulk,
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', LOAD_CLIENT, JSON.stringify(options)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load client failed: ${error.message}\n${stderr}`))
        else resolve(JSON.parse(stdout) as LoadResult)
      },
    )
  })
}

function baseConfig(yaml: string, dataDir: string, hash: string): ServerConfig {
  const resolved = resolveConfig({
    text: `host: 127.0.0.1
port: 0
log: { level: silent }
tokens: [{ hash: ${hash}, scope: admin }]
${yaml}`,
    env: {},
    overrides: { dataDir },
  })
  if (!resolved.ok) throw new Error(`bench config: ${JSON.stringify(resolved.problems)}`)
  return resolved.config
}

/** Ingest through the API: closed loop, then paced at half the closed-loop rate. */
async function ingest(yaml: string, sharedDir?: string) {
  const dir = sharedDir ?? (await mkdtemp(join(tmpdir(), 'vconkit-bench-')))
  const admin = generateTokenSecret()
  const ctx = await createAppContext(baseConfig(yaml, dir, admin.hash), {
    log: silentLogger(),
    bootstrapToken: false,
    env: {},
  })
  const server = await startServer(ctx, { api: true, workers: false, handleSignals: false })
  try {
    const url = `${server.url}/v1/vcons`
    const max = await load(url, admin.secret, 0)
    const halfRate = Math.max(1, Math.round(max.perSecond / 2))
    const half = await load(url, admin.secret, halfRate)
    const atGoalHalf = max.perSecond >= 10_000 ? undefined : await load(url, admin.secret, 5_000)
    const bulk = await load(url, admin.secret, 0, BULK_LINES)
    return {
      closedLoop: max,
      [`paced_${halfRate}_per_s`]: half,
      ...(atGoalHalf === undefined ? {} : { paced_5000_per_s: atGoalHalf }),
      [`bulk_ndjson_${BULK_LINES}_per_request`]: bulk,
    }
  } finally {
    await server.stop()
    if (sharedDir === undefined) await rm(dir, { recursive: true, force: true })
  }
}

/** Fresh rows of the 5 KB vCon, parsed and indexed as the API would, for the floors. */
function records(count: number): NewVcon[] {
  const template = vcon5k('00000000-0000-4000-8000-000000000000')
  const out: NewVcon[] = []
  for (let i = 0; i < count; i++) {
    const uuid = randomUUID()
    const json = template.replace('00000000-0000-4000-8000-000000000000', uuid)
    const parsed = parseVcon(json, { mode: 'lenient' })
    const vcon = (parsed as { vcon: Vcon }).vcon
    out.push({ uuid, json, vcon, index: deriveIndex(vcon, Date.now) })
  }
  return out
}

function perSecond(count: number, ms: number): number {
  return Math.round((count * 1000) / ms)
}

/** Raw SQLite inserts (the vcons table's columns, no index or FTS), and the Store port's insertMany. */
async function sqliteFloor(rows: readonly NewVcon[]) {
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-bench-floor-'))
  try {
    const db = new Database(join(dir, 'raw.db'))
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec(`CREATE TABLE vcons (uuid TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL, created_at TEXT NOT NULL,
      stored_at TEXT NOT NULL, version INTEGER NOT NULL, subject TEXT)`)
    const insert = db.prepare('INSERT INTO vcons VALUES (?, ?, ?, ?, 1, ?)')
    const batch = db.transaction((slice: readonly NewVcon[]) => {
      const now = new Date().toISOString()
      for (const r of slice)
        insert.run(r.uuid, r.json, r.index.createdAt, now, r.index.subject ?? null)
    })
    let start = performance.now()
    for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH))
    const raw = perSecond(rows.length, performance.now() - start)
    db.close()

    const store = createSqliteStore({ file: join(dir, 'store.db'), synchronous: 'FULL' })
    await store.migrate()
    start = performance.now()
    for (let i = 0; i < rows.length; i += BATCH) await store.insertMany(rows.slice(i, i + BATCH))
    const viaStore = perSecond(rows.length, performance.now() - start)
    await store.close()
    return { rawInsertsPerSecond: raw, storeInsertManyPerSecond: viaStore, rows: rows.length }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Raw PostgreSQL multi-row inserts of the same rows into a plain table. */
async function postgresFloor(rows: readonly NewVcon[]) {
  const schema = `vck_bench_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA ${schema}`)
    await client.query(`CREATE TABLE ${schema}.vcons (uuid text PRIMARY KEY, json text NOT NULL,
      created_at timestamptz NOT NULL, stored_at timestamptz NOT NULL, version integer NOT NULL, subject text)`)
    const start = performance.now()
    for (let i = 0; i < rows.length; i += BATCH) {
      const slice = rows.slice(i, i + BATCH)
      const values: unknown[] = []
      const tuples = slice.map((r, k) => {
        values.push(r.uuid, r.json, r.index.createdAt, r.index.subject ?? null)
        const b = k * 4
        return `($${b + 1}, $${b + 2}, $${b + 3}, now(), 1, $${b + 4})`
      })
      await client.query(`INSERT INTO ${schema}.vcons VALUES ${tuples.join(', ')}`, values)
    }
    return { rawMultiRowInsertsPerSecond: perSecond(rows.length, performance.now() - start) }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
}

/** Jobs/s of `chainYaml` over `count` stored vCons queued at once, with the workers of one process. */
async function pipeline(
  yaml: string,
  chainYaml: string,
  count: number,
  env: Record<string, string>,
  sharedDir?: string,
) {
  const dir = sharedDir ?? (await mkdtemp(join(tmpdir(), 'vconkit-bench-pipe-')))
  const admin = generateTokenSecret()
  const ctx = await createAppContext(baseConfig(`${yaml}\n${chainYaml}`, dir, admin.hash), {
    log: silentLogger(),
    bootstrapToken: false,
    env,
  })
  try {
    const rows = records(count)
    for (let i = 0; i < rows.length; i += BATCH)
      await ctx.store.insertMany(rows.slice(i, i + BATCH))
    await ctx.queue.enqueue(
      rows.map((r) => ({ vconUuid: r.uuid, chain: 'bench', step: 0, list: 'default' })),
    )
    const start = performance.now()
    const server = await startServer(ctx, { api: false, workers: true, handleSignals: false })
    while ((await ctx.queue.depth()) > 0) await new Promise((resolve) => setTimeout(resolve, 20))
    const ms = performance.now() - start
    const dead = (await ctx.queue.deadLetters({ limit: 10 })).length
    await server.stop()
    return { jobs: count, jobsPerSecond: perSecond(count, ms), deadLetters: dead }
  } finally {
    if (sharedDir === undefined) await rm(dir, { recursive: true, force: true })
  }
}

async function pipelines(yaml: string, sharedDir?: string) {
  const vendor = await startFakeVendor()
  try {
    const noop = `chains: [{ name: bench, ingress: [default], concurrency: 16, steps: [validate] }]`
    const builtin = `chains:
  - name: bench
    ingress: [default]
    concurrency: 16
    steps:
      - validate
      - { use: analyse, name: summary, options: { kind: summary, baseUrl: "${vendor.origin}", allowInsecure: true } }
      - { use: tag, options: { tags: { bench: "yes" } } }
      - { use: webhook, options: { url: "${vendor.origin}/hooks/bench", secretEnv: HOOK_SECRET, allowInsecure: true } }
`
    const env = { HOOK_SECRET: 'bench-secret' }
    return {
      noopChain: await pipeline(yaml, noop, PIPELINE_JOBS, env, sharedDir),
      builtinChain: {
        steps: 'validate, analyse (summary, fake vendor), tag, webhook (fake receiver)',
        ...(await pipeline(yaml, builtin, Math.ceil(PIPELINE_JOBS / 2), env, sharedDir)),
      },
    }
  } finally {
    await vendor.close()
  }
}

async function postgresDown(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    return `PostgreSQL unreachable at ${DATABASE_URL}: ${(error as Error).message}`
  } finally {
    await client.end().catch(() => {})
  }
  return redisUnreachable(REDIS_URL)
}

const floorRows = records(Math.max(BATCH * 8, Math.min(20_000, SECONDS * 2_000)))
const result: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  vconBytes: Buffer.byteLength(vcon5k()),
  seconds: SECONDS,
  concurrency: CONCURRENCY,
  embedded: {
    setup: 'SQLite store + queue, one file, WAL, synchronous=FULL (the default)',
    ingest: await ingest(''),
    ingestLedgerOff: await ingest(LEDGER_OFF),
    floor: await sqliteFloor(floorRows),
    pipeline: await pipelines(''),
  },
}
const down = await postgresDown()
if (down === undefined) {
  const schema = `vck_bench_${randomBytes(6).toString('hex')}`
  const prefix = `vconkit-bench-${randomBytes(6).toString('hex')}`
  const yaml = `database_url: "${DATABASE_URL}"
redis_url: "${REDIS_URL}"
postgres: { schema: ${schema}, pool_size: 10 }
redis: { prefix: ${prefix} }`
  // One data folder for every run on this schema: the ledger keeps its log in PostgreSQL and its keys there.
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-bench-pg-'))
  try {
    result.postgresRedis = {
      setup: 'PostgreSQL store, Redis (BullMQ) queue',
      ingest: await ingest(yaml, dir),
      ingestLedgerOff: await ingest(`${yaml}\n${LEDGER_OFF}`, dir),
      floor: await postgresFloor(floorRows),
      pipeline: await pipelines(yaml, dir),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
    const { dropPrefix } = await import('../test/support/redis-test.js')
    await dropPrefix(prefix, REDIS_URL)
  }
} else {
  result.postgresRedis = { skipped: down }
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
