/**
 * @module Crash tests of both Queue adapters (issue: "kill -9 a worker in the middle of a chain and restart it:
 * every accepted vCon is processed exactly once"). A worker process runs a three-step chain slowly and is killed
 * with SIGKILL while it holds leases; a second worker process then finishes the work. Completions are recorded
 * outside the queue, idempotently, so the assertion is on SETS: every (vCon, step) enqueued or implied by the
 * chain was completed, nothing is left queued, leased or dead. Repeats are allowed (at-least-once) and reported.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import type { Queue } from '../src/ports/queue.js'
import { createRedisQueue } from '../src/queue/redis/redis-queue.js'
import { createSqliteQueue } from '../src/queue/sqlite/sqlite-queue.js'
import { waitFor } from './queue-contract.js'
import type { CrashWorkerConfig } from './support/queue-crash-worker.js'
import {
  dropPrefix,
  mustHaveServices,
  REDIS_TEST_URL,
  redisUnreachable,
  testPrefix,
} from './support/redis-test.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const WORKER = fileURLToPath(new URL('./support/queue-crash-worker.ts', import.meta.url))
const VCONS = 40
const STEPS = 3

/** Starts a worker process and resolves once it consumes. */
async function startWorker(
  config: CrashWorkerConfig,
  children: ChildProcess[],
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=vconkit-source', '--import', 'tsx', WORKER, JSON.stringify(config)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  const stdout = child.stdout
  assert.ok(stdout)
  await new Promise<void>((resolve, reject) => {
    let seen = ''
    stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('ready')) resolve()
    })
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited early: ${code ?? signal}`)),
    )
  })
  return child
}

async function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode }
  }
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
  return { code, signal }
}

interface Scenario {
  readonly queue: Queue
  readonly base: Omit<CrashWorkerConfig, 'name'>
  /** (vCon#step) → completed runs, as recorded by the workers. */
  readonly results: () => Promise<Map<string, number>>
  /** Jobs held by a worker right now (leased / BullMQ active). */
  readonly leased: () => Promise<number>
}

/** Enqueue, start, kill -9 mid-way, restart, and check that the set of completions is exactly the expected one. */
async function crashAndRecover(s: Scenario, diagnostic: (m: string) => void): Promise<void> {
  const children: ChildProcess[] = []
  try {
    const vcons = Array.from({ length: VCONS }, () => randomUUID())
    await s.queue.enqueue(
      vcons.map((vconUuid) => ({ vconUuid, chain: 'c', step: 0, list: 'crash' })),
    )
    const expected = vcons.flatMap((v) =>
      Array.from({ length: STEPS }, (_, step) => `${v}#${step}`),
    )

    const first = await startWorker({ ...s.base, name: 'doomed' }, children)
    await waitFor(
      'a third of the work done',
      async () => (await s.results()).size >= expected.length / 3,
    )
    first.kill('SIGKILL')
    assert.equal((await exitOf(first)).signal, 'SIGKILL')
    const heldAtDeath = await s.leased()
    const doneAtDeath = (await s.results()).size
    // The point of the test: the dead worker held jobs, and had not finished.
    assert.ok(heldAtDeath > 0, 'the killed worker held no lease: nothing was tested')
    assert.ok(doneAtDeath < expected.length, 'the first worker finished before it was killed')

    const second = await startWorker({ ...s.base, name: 'survivor' }, children)
    await waitFor(
      'every step of every vCon',
      async () => (await s.results()).size === expected.length && (await s.queue.depth()) === 0,
      60_000,
    )
    second.kill('SIGTERM')
    assert.equal((await exitOf(second)).code, 0, 'the second worker did not stop gracefully')

    const results = await s.results()
    assert.deepEqual([...results.keys()].sort(), expected.sort())
    assert.equal(await s.queue.depth(), 0)
    assert.equal(await s.leased(), 0)
    assert.deepEqual(await s.queue.deadLetters({ limit: 10 }), [])
    const repeats = [...results.values()].reduce((sum, runs) => sum + runs - 1, 0)
    diagnostic(
      `killed holding ${heldAtDeath} leases after ${doneAtDeath}/${expected.length} steps; ` +
        `${repeats} step(s) ran twice (at-least-once)`,
    )
    // Only what was in flight at the kill may run again (each with, at worst, the steps after it).
    assert.ok(
      repeats <= heldAtDeath * STEPS,
      `${repeats} repeats; ${heldAtDeath} jobs were in flight`,
    )
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

test('SQLite queue: a worker killed with SIGKILL mid-chain loses nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-crash-'))
  const file = join(dir, 'queue.db')
  const resultsFile = join(dir, 'results.db')
  const queue = createSqliteQueue({ file })
  const peek = new Database(file, { readonly: true })
  try {
    await crashAndRecover(
      {
        queue,
        base: {
          kind: 'sqlite',
          target: file,
          results: resultsFile,
          steps: STEPS,
          delayMs: 40,
          concurrency: 4,
          leaseMs: 1_000,
        },
        async results() {
          try {
            const db = new Database(resultsFile, { readonly: true, fileMustExist: true })
            try {
              const rows = db.prepare('SELECT vcon_uuid, step, runs FROM results').all() as {
                vcon_uuid: string
                step: number
                runs: number
              }[]
              return new Map(rows.map((r) => [`${r.vcon_uuid}#${r.step}`, r.runs]))
            } finally {
              db.close()
            }
          } catch {
            return new Map() // not created yet
          }
        },
        async leased() {
          return Number(
            peek.prepare("SELECT count(*) FROM jobs WHERE state = 'leased'").pluck().get(),
          )
        },
      },
      (m) => t.diagnostic(m),
    )
  } finally {
    peek.close()
    await queue.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

const unreachable = await redisUnreachable()

test('Redis queue: a worker killed with SIGKILL mid-chain loses nothing', {
  skip: unreachable !== undefined && !mustHaveServices() ? unreachable : false,
}, async (t) => {
  assert.equal(unreachable, undefined, `${unreachable}; Redis is required under CI=true`)
  const prefix = testPrefix()
  const queue = createRedisQueue({ url: REDIS_TEST_URL, prefix })
  const client = new Redis(REDIS_TEST_URL)
  const resultsKey = `${prefix}:#crash-results`
  try {
    await crashAndRecover(
      {
        queue,
        base: {
          kind: 'redis',
          target: REDIS_TEST_URL,
          prefix,
          results: resultsKey,
          steps: STEPS,
          delayMs: 40,
          concurrency: 4,
          leaseMs: 1_000,
        },
        async results() {
          const all = await client.hgetall(resultsKey)
          return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]))
        },
        async leased() {
          // BullMQ keeps the jobs a worker holds in the queue's `active` list.
          return client.llen(`${prefix}:crash:active`)
        },
      },
      (m) => t.diagnostic(m),
    )
  } finally {
    await queue.close()
    await client.quit()
    await dropPrefix(prefix)
  }
})
