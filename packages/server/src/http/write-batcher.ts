/**
 * @module The durable ingest fast path: group commit. Creates arriving within ~2 ms (or until N are waiting) are
 * written with ONE `store.insertMany` transaction, and each request is answered only after the transaction that
 * holds its vCon committed. Then the pipeline jobs of every created vCon are enqueued with ONE `queue.enqueue`.
 *
 * Order and failure semantics (nothing acknowledged is lost):
 * 1. store first: a job never names a vCon that is not stored yet, so a worker can always load it;
 * 2. if the store write fails, every request of the batch gets 503 (nothing was written, the client retries);
 * 3. if the enqueue fails after the commit, the vCons of the batch that needed jobs are deleted again
 *    (compensation) and those requests get 503: a retry then creates them afresh instead of meeting a 409 for a
 *    vCon that was stored but would never be processed. A vCon is acknowledged (201) only when it is stored AND
 *    its jobs are queued. Should the compensating delete itself fail, the vCon stays stored unqueued; that is
 *    logged at error level with its uuid so an operator can re-queue it (POST /vcon/ingress).
 */
import { ServerError } from '../errors/server-error.js'
import type { Logger } from '../observability/logger.js'
import {
  INGEST_BATCH_SIZE,
  INGEST_COMMIT_SECONDS,
  INGEST_COMPENSATIONS,
} from '../observability/metric-names.js'
import type { Metrics } from '../observability/metrics.js'
import type { JobInput, Queue } from '../ports/queue.js'
import type { InsertOutcome, NewVcon, Store } from '../ports/store.js'
import { unavailable } from './to-server-error.js'

/** One create: the record, its idempotency key, and the jobs to enqueue once it is stored. */
export interface BatchItem {
  readonly record: NewVcon
  readonly idempotencyKey?: string
  readonly jobs: readonly JobInput[]
}

export interface WriteBatcherOptions {
  readonly store: Store
  readonly queue: Queue
  readonly metrics: Metrics
  readonly log: Logger
  /** Longest wait for more items before a commit (default 2 ms). */
  readonly maxDelayMs?: number
  /** Items per transaction at most (default 256). */
  readonly maxItems?: number
  /** JSON bytes per transaction at most; a batch is committed once it holds this much (default 8 MiB). */
  readonly maxBytes?: number
  /** Transactions in flight at once (default 2: one committing while the next one fills). */
  readonly maxConcurrent?: number
}

export interface WriteBatcher {
  /** Resolves once the item's transaction committed (and its jobs are queued); rejects with a ServerError. */
  submit(item: BatchItem): Promise<InsertOutcome>
  /** Commits what is waiting and waits for every transaction in flight. Later submits are refused (503). */
  close(): Promise<void>
}

interface Waiting {
  readonly item: BatchItem
  readonly resolve: (outcome: InsertOutcome) => void
  readonly reject: (error: ServerError) => void
}

/** A new batcher; it holds no timer or handle while idle. */
export function createWriteBatcher(options: WriteBatcherOptions): WriteBatcher {
  const { store, queue, metrics, log } = options
  const maxDelayMs = options.maxDelayMs ?? 2
  const maxItems = Math.max(1, options.maxItems ?? 256)
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2)
  let pending: Waiting[] = []
  let pendingBytes = 0
  let timer: NodeJS.Timeout | undefined
  let inflight = 0
  let closed = false
  const idle: (() => void)[] = []

  const settleIdle = (): void => {
    if (inflight === 0 && pending.length === 0) for (const done of idle.splice(0)) done()
  }

  const schedule = (): void => {
    if (pending.length === 0) return
    if (pending.length >= maxItems || pendingBytes >= maxBytes || closed) flush()
    else if (timer === undefined) timer = setTimeout(flush, maxDelayMs)
  }

  function flush(): void {
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
    if (pending.length === 0 || inflight >= maxConcurrent) return
    let count = 0
    let bytes = 0
    while (count < pending.length && count < maxItems && (count === 0 || bytes < maxBytes)) {
      bytes += (pending[count] as Waiting).item.record.json.length
      count++
    }
    const batch = pending.slice(0, count)
    pending = pending.slice(count)
    pendingBytes -= bytes
    inflight++
    void commit(batch).finally(() => {
      inflight--
      schedule()
      settleIdle()
    })
  }

  async function commit(batch: readonly Waiting[]): Promise<void> {
    const started = performance.now()
    let outcomes: InsertOutcome[]
    try {
      outcomes = await store.insertMany(
        batch.map((w) => w.item.record),
        batch.map((w) =>
          w.item.idempotencyKey === undefined ? {} : { idempotencyKey: w.item.idempotencyKey },
        ),
      )
      if (outcomes.length !== batch.length) {
        throw new Error(
          `insertMany returned ${outcomes.length} outcomes for ${batch.length} records`,
        )
      }
    } catch (cause) {
      log.error('ingest commit failed', { items: batch.length, error: String(cause) })
      const error = unavailable('store', cause)
      for (const w of batch) w.reject(error)
      return
    }
    metrics.observe(INGEST_BATCH_SIZE, undefined, batch.length)
    metrics.observe(INGEST_COMMIT_SECONDS, undefined, (performance.now() - started) / 1000)
    const needJobs = batch.filter(
      (w, i) => outcomes[i]?.status === 'created' && w.item.jobs.length > 0,
    )
    const failed = new Set<Waiting>()
    if (needJobs.length > 0) {
      try {
        await queue.enqueue(needJobs.flatMap((w) => w.item.jobs))
      } catch (cause) {
        log.error('enqueue after commit failed; removing the vCons again', {
          items: needJobs.length,
          error: String(cause),
        })
        const error = unavailable('queue', cause)
        for (const w of needJobs) {
          failed.add(w)
          metrics.inc(INGEST_COMPENSATIONS)
          try {
            await store.delete(w.item.record.uuid)
          } catch (deleteCause) {
            // The one case where a vCon stays stored but unqueued: say which, so it can be re-queued.
            log.error('compensating delete failed: vCon stored but not queued', {
              uuid: w.item.record.uuid,
              error: String(deleteCause),
            })
          }
          w.reject(error)
        }
      }
    }
    batch.forEach((w, i) => {
      if (!failed.has(w)) w.resolve(outcomes[i] as InsertOutcome)
    })
  }

  return {
    submit(item) {
      if (closed) {
        return Promise.reject(
          new ServerError(
            'UNAVAILABLE',
            'The server is shutting down; retry on another instance.',
            {
              retryAfter: 1,
            },
          ),
        )
      }
      return new Promise<InsertOutcome>((resolve, reject) => {
        pending.push({ item, resolve, reject })
        pendingBytes += item.record.json.length
        schedule()
      })
    },
    close() {
      closed = true
      return new Promise<void>((resolve) => {
        idle.push(resolve)
        while (pending.length > 0 && inflight < maxConcurrent) flush()
        settleIdle()
      })
    },
  }
}
