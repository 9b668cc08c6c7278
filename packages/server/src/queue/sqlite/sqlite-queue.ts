/**
 * @module The embedded Queue adapter: three tables in a SQLite file (the store's file in production). A lease is
 * one atomic UPDATE … RETURNING, an acknowledgement deletes the job and inserts its `next` jobs in one
 * transaction, and every write after a lease checks the lease token, so a worker whose lease expired can never
 * overwrite the work of the worker that took the job over.
 */
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import { ServerError } from '../../errors/server-error.js'
import type { ConsumeOptions, Consumer, JobInput, Queue } from '../../ports/queue.js'
import { checkConsumeOptions, leaseLostMessage, retryDelayMs, unnamedStep } from '../retry.js'
import { type DeadLetterRow, type JobRow, pick, toDeadLetter, toJob } from './job-rows.js'
import { migrateQueue } from './migrations.js'
import { type LeasedJob, type LeaseOps, PollingConsumer, type Settled } from './sqlite-consumer.js'

export interface SqliteQueueOptions {
  /** Path of the SQLite file, created if missing; the queue opens it (WAL) and closes it on `close()`. */
  readonly file?: string
  /** An open connection to share (the store's); the queue migrates it but leaves pragmas and closing to its owner. */
  readonly db?: Database.Database
  /** Milliseconds since the epoch (default Date.now). */
  readonly now?: () => number
  /** A number in [0, 1) for the retry jitter (default Math.random). */
  readonly random?: () => number
  /** How long an idle consumer sleeps between polls (default 50 ms). */
  readonly pollMs?: number
  /** `synchronous` pragma when the queue opens the file itself (default FULL: an enqueue survives power loss). */
  readonly synchronous?: 'FULL' | 'NORMAL'
  /** Errors a consumer met in the background (lease, extension, settle); they never stop the loop. */
  readonly onError?: (error: unknown, context: string) => void
}

interface Failure {
  readonly attempt: number
  readonly error: string
  readonly step: string
  /** The step index a replay starts at (the failed step, from the outcome's resumeAt). */
  readonly resumeAt: number | undefined
}

export function createSqliteQueue(
  options: SqliteQueueOptions,
): Queue & { readonly kind: 'sqlite' } {
  if ((options.file === undefined) === (options.db === undefined)) {
    throw new ServerError('CONFIG_INVALID', 'createSqliteQueue needs exactly one of `file` or `db`')
  }
  const ownsDb = options.db === undefined
  const db = options.db ?? openFile(options.file ?? '', options.synchronous ?? 'FULL')
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const pollMs = options.pollMs ?? 50
  const onError = options.onError ?? (() => {})
  migrateQueue(db, now())

  const insertJob = db.prepare(
    `INSERT INTO jobs (id, vcon_uuid, chain, step, list, attempt, state, available_at, enqueued_at)
     VALUES (@id, @vconUuid, @chain, @step, @list, 0, 'ready', @at, @at)`,
  )
  const insertAll = db.transaction((jobs: readonly JobInput[], at: number) => {
    for (const job of jobs) insertJob.run({ ...pick(job), id: randomUUID(), at })
  })
  // One list per statement: `list = ?` lets the (list, available_at) index deliver the oldest due jobs in order
  // and stop at LIMIT; an IN over several lists would sort every due job of the backlog on each poll.
  const leaseJobs = db.prepare(
    `UPDATE jobs SET state = 'leased', attempt = attempt + 1, lease = @lease, worker = @worker,
       lease_until = @until, available_at = @until
     WHERE id IN (
       SELECT id FROM jobs WHERE list = @list AND available_at <= @now ORDER BY available_at LIMIT @limit)
     RETURNING id, vcon_uuid, chain, step, list, attempt, enqueued_at`,
  )
  const extendLease = db.prepare(
    'UPDATE jobs SET lease_until = @until, available_at = @until WHERE id = @id AND lease = @lease',
  )
  const extendAll = db.transaction((jobs: readonly LeasedJob[], until: number) => {
    for (const { job, lease } of jobs) extendLease.run({ id: job.id, lease, until })
  })
  const deleteLeased = db.prepare('DELETE FROM jobs WHERE id = @id AND lease = @lease')
  const makeReady = db.prepare(
    `UPDATE jobs SET state = 'ready', lease = NULL, worker = NULL, lease_until = NULL, available_at = @at
     WHERE id = @id AND lease = @lease`,
  )
  // A retry resumes at the failed step (the outcome's resumeAt), not at the step the job first named.
  const retryAtStep = db.prepare(
    `UPDATE jobs SET state = 'ready', lease = NULL, worker = NULL, lease_until = NULL, available_at = @at,
       step = @step
     WHERE id = @id AND lease = @lease`,
  )
  const insertDead = db.prepare(
    `INSERT INTO dead_letters
       (id, vcon_uuid, chain, step, list, attempt, error, failed_step, failed_at, enqueued_at)
     VALUES (@id, @vconUuid, @chain, @step, @list, @attempt, @error, @failedStep, @failedAt, @enqueuedAt)`,
  )
  const complete = db.transaction((leased: LeasedJob, next: readonly JobInput[], at: number) => {
    // Only the holder of the lease may acknowledge; a late worker's `next` jobs are dropped (the job's new
    // holder enqueues them), so a chain never forks.
    if (deleteLeased.run({ id: leased.job.id, lease: leased.lease }).changes === 0) return
    for (const job of next) insertJob.run({ ...pick(job), id: randomUUID(), at })
  })
  const bury = db.transaction((leased: LeasedJob, failure: Failure, at: number) => {
    const { job } = leased
    if (deleteLeased.run({ id: job.id, lease: leased.lease }).changes === 0) return
    insertDead.run({
      ...pick(job),
      step: failure.resumeAt ?? job.step,
      id: job.id,
      attempt: failure.attempt,
      error: failure.error,
      failedStep: failure.step,
      failedAt: at,
      enqueuedAt: job.enqueuedAt,
    })
  })
  const releaseAll = db.transaction((jobs: readonly LeasedJob[], at: number) => {
    for (const { job, lease } of jobs) makeReady.run({ id: job.id, lease, at })
  })
  const leaseTx = db.transaction(
    (limit: number, options: ConsumeOptions, first: number): LeasedJob[] => {
      const at = now()
      const token = randomUUID()
      const rows: JobRow[] = []
      const { lists } = options
      // Starting from a different list on each poll keeps one busy list from starving the others.
      for (let i = 0; i < lists.length && rows.length < limit; i += 1) {
        const list = lists[(first + i) % lists.length]
        const more = leaseJobs.all({
          lease: token,
          worker: options.worker,
          until: at + options.leaseMs,
          list,
          now: at,
          limit: limit - rows.length,
        }) as JobRow[]
        rows.push(...more)
      }
      const out: LeasedJob[] = []
      for (const row of rows) {
        const leased = { job: toJob(row), lease: token }
        // More deliveries than allowed means the earlier ones were never acknowledged (lease expired, given
        // back) or the policy shrank: the job becomes a dead letter without running again.
        if (row.attempt > options.retry.maxAttempts) {
          const attempt = row.attempt - 1
          bury(
            leased,
            {
              attempt,
              error: leaseLostMessage(attempt),
              step: unnamedStep(row.step),
              resumeAt: undefined,
            },
            at,
          )
        } else {
          out.push(leased)
        }
      }
      return out
    },
  )
  const settleAll = db.transaction((outcomes: readonly Settled[], options: ConsumeOptions) => {
    const at = now()
    for (const { leased, outcome } of outcomes) {
      if (outcome.kind === 'done') {
        complete(leased, outcome.next ?? [], at)
        continue
      }
      const { attempt } = leased.job
      if (outcome.permanent === true || attempt >= options.retry.maxAttempts) {
        const failure = {
          attempt,
          error: outcome.error,
          step: outcome.step,
          resumeAt: outcome.resumeAt,
        }
        bury(leased, failure, at)
        continue
      }
      const retryAt = at + retryDelayMs(options.retry, attempt, random)
      const step = outcome.resumeAt ?? leased.job.step
      retryAtStep.run({ id: leased.job.id, lease: leased.lease, at: retryAt, step })
    }
  })
  const countAll = db.prepare('SELECT count(*) FROM jobs').pluck()
  const countList = db.prepare('SELECT count(*) FROM jobs WHERE list = ?').pluck()
  const deadAll = db.prepare('SELECT * FROM dead_letters ORDER BY failed_at, id LIMIT ?')
  const deadList = db.prepare(
    'SELECT * FROM dead_letters WHERE list = ? ORDER BY failed_at, id LIMIT ?',
  )
  const insertEgress = db.prepare('INSERT INTO egress (list, uuid) VALUES (?, ?)')
  const pushAll = db.transaction((list: string, uuids: readonly string[]) => {
    for (const uuid of uuids) insertEgress.run(list, uuid)
  })
  const popEgress = db.prepare(
    `DELETE FROM egress WHERE seq IN (SELECT seq FROM egress WHERE list = ? ORDER BY seq LIMIT ?)
     RETURNING seq, uuid`,
  )
  const dropJobs = db.prepare("DELETE FROM jobs WHERE vcon_uuid = ? AND state = 'ready'")
  const dropDead = db.prepare('DELETE FROM dead_letters WHERE vcon_uuid = ?')
  const dropEgress = db.prepare('DELETE FROM egress WHERE uuid = ?')
  const drop = db.transaction(
    (uuid: string) =>
      dropJobs.run(uuid).changes + dropDead.run(uuid).changes + dropEgress.run(uuid).changes,
  )

  const consumers = new Set<PollingConsumer>()
  let closed = false
  const ensureOpen = (): void => {
    if (closed) throw new ServerError('UNAVAILABLE', 'the SQLite queue is closed')
  }

  function opsFor(options: ConsumeOptions): LeaseOps {
    let polls = 0
    return {
      lease(limit) {
        polls += 1
        return leaseTx(limit, options, polls % options.lists.length)
      },
      extend(jobs) {
        extendAll(jobs, now() + options.leaseMs)
      },
      settle(outcomes) {
        settleAll(outcomes, options)
      },
      release(jobs) {
        releaseAll(jobs, now())
      },
    }
  }

  const queue: Queue & { readonly kind: 'sqlite' } = {
    kind: 'sqlite',

    async enqueue(jobs) {
      ensureOpen()
      if (jobs.length === 0) return
      insertAll(jobs, now())
      for (const consumer of consumers) consumer.wake()
    },

    consume(consumeOptions, handler): Consumer {
      ensureOpen()
      checkConsumeOptions(consumeOptions)
      const consumer = new PollingConsumer(opsFor(consumeOptions), consumeOptions, handler, {
        pollMs,
        onError,
        onEnd: (c) => consumers.delete(c),
      })
      consumers.add(consumer)
      return consumer
    },

    async depth(list) {
      ensureOpen()
      return Number(list === undefined ? countAll.get() : countList.get(list))
    },

    async deadLetters({ list, limit }) {
      ensureOpen()
      const rows = (
        list === undefined ? deadAll.all(clampLimit(limit)) : deadList.all(list, clampLimit(limit))
      ) as DeadLetterRow[]
      return rows.map(toDeadLetter)
    },

    async replay(selector) {
      ensureOpen()
      const clauses: string[] = []
      const params: unknown[] = []
      if (selector.ids !== undefined) {
        if (selector.ids.length === 0) return 0
        clauses.push('id IN (SELECT value FROM json_each(?))')
        params.push(JSON.stringify(selector.ids))
      }
      if (selector.list !== undefined) {
        clauses.push('list = ?')
        params.push(selector.list)
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''
      const limit = selector.limit === undefined ? -1 : clampLimit(selector.limit)
      const pickDead = db.prepare(
        `SELECT * FROM dead_letters ${where} ORDER BY failed_at, id LIMIT ${limit}`,
      )
      const removeDead = db.prepare('DELETE FROM dead_letters WHERE id = ?')
      const run = db.transaction(() => {
        const rows = pickDead.all(...params) as DeadLetterRow[]
        const at = now()
        for (const row of rows) {
          // A new job at the failed step, with a fresh attempt count: replay is an operator's decision.
          insertJob.run({ ...pick(toJob(row)), id: randomUUID(), at })
          removeDead.run(row.id)
        }
        return rows.length
      })
      const count = run.immediate()
      if (count > 0) for (const consumer of consumers) consumer.wake()
      return count
    },

    async pushEgress(list, uuids) {
      ensureOpen()
      if (uuids.length === 0) return
      pushAll(list, uuids)
    },

    async popEgress(list, count) {
      ensureOpen()
      if (count <= 0) return []
      const rows = popEgress.all(list, Math.floor(count)) as { seq: number; uuid: string }[]
      // RETURNING gives no order guarantee (sqlite.org/lang_returning.html §2.2); sort by insertion sequence.
      return rows.sort((a, b) => a.seq - b.seq).map((r) => r.uuid)
    },

    async dropVcon(vconUuid) {
      ensureOpen()
      // Leased jobs are left alone: their handler is running and will find the vCon gone.
      return drop(vconUuid)
    },

    async ping() {
      ensureOpen()
      try {
        db.prepare('SELECT 1').get()
      } catch (error) {
        throw new ServerError('UNAVAILABLE', 'the SQLite queue cannot be read', { cause: error })
      }
    },

    async close() {
      if (closed) return
      closed = true
      // Like a process exit: running handlers keep their leases until they expire. Call Consumer.stop(graceMs)
      // first for a graceful shutdown.
      for (const consumer of [...consumers]) consumer.abandon()
      if (ownsDb) db.close()
    },
  }
  return queue
}

function openFile(file: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('busy_timeout = 5000')
  return db
}

function clampLimit(limit: number): number {
  return Math.max(0, Math.min(Math.floor(limit), 10_000))
}
