/**
 * @module A worker process for queue-crash.test.ts: consumes a SQLite or Redis queue, runs a three-step chain
 * slowly, and records every completed step idempotently OUTSIDE the queue (a results table in another SQLite
 * file, or a Redis hash), counting repeats. The test kills it with SIGKILL mid-way; SIGTERM stops it gracefully.
 * Run: node --conditions=vconkit-source --import tsx queue-crash-worker.ts '<json config>'
 */
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import type { Job, JobOutcome, Queue } from '../../src/ports/queue.js'
import { createRedisQueue } from '../../src/queue/redis/redis-queue.js'
import { createSqliteQueue } from '../../src/queue/sqlite/sqlite-queue.js'

export interface CrashWorkerConfig {
  readonly kind: 'sqlite' | 'redis'
  /** SQLite queue file, or Redis URL. */
  readonly target: string
  /** Redis key prefix. */
  readonly prefix?: string
  /** SQLite results file, or Redis hash key. */
  readonly results: string
  readonly steps: number
  readonly delayMs: number
  readonly concurrency: number
  readonly leaseMs: number
  readonly name: string
}

const config = JSON.parse(process.argv[2] ?? '{}') as CrashWorkerConfig

/** Records (vCon, step) → number of times the step completed; a repeat only bumps the count. */
function recorder(): { record(job: Job): Promise<void>; close(): Promise<void> } {
  if (config.kind === 'sqlite') {
    const db = new Database(config.results)
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    db.exec(
      'CREATE TABLE IF NOT EXISTS results (vcon_uuid TEXT, step INTEGER, runs INTEGER, PRIMARY KEY (vcon_uuid, step))',
    )
    const upsert = db.prepare(
      `INSERT INTO results (vcon_uuid, step, runs) VALUES (?, ?, 1)
       ON CONFLICT (vcon_uuid, step) DO UPDATE SET runs = runs + 1`,
    )
    return {
      async record(job) {
        upsert.run(job.vconUuid, job.step)
      },
      async close() {
        db.close()
      },
    }
  }
  const client = new Redis(config.target)
  return {
    async record(job) {
      await client.hincrby(config.results, `${job.vconUuid}#${job.step}`, 1)
    },
    async close() {
      await client.quit()
    },
  }
}

const queue: Queue =
  config.kind === 'sqlite'
    ? createSqliteQueue({ file: config.target, pollMs: 10 })
    : createRedisQueue({ url: config.target, prefix: config.prefix ?? 'crash' })
const results = recorder()

const consumer = queue.consume(
  {
    lists: ['crash'],
    concurrency: config.concurrency,
    leaseMs: config.leaseMs,
    retry: { maxAttempts: 5, backoffMs: 50 },
    worker: config.name,
  },
  async (job): Promise<JobOutcome> => {
    // Uneven durations, so that the jobs in flight do not finish in step (a kill then always finds some leased).
    const delay = config.delayMs * (0.5 + Math.random())
    await new Promise((resolve) => setTimeout(resolve, delay))
    await results.record(job)
    if (job.step + 1 >= config.steps) return { kind: 'done' }
    return { kind: 'done', next: [{ ...job, step: job.step + 1 }] }
  },
)

process.on('SIGTERM', () => {
  void (async () => {
    await consumer.stop(5_000)
    await queue.close()
    await results.close()
    process.exit(0)
  })()
})

process.stdout.write('ready\n')
