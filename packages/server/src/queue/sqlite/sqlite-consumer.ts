/**
 * @module The polling consumer of the SQLite queue: leases due jobs up to its concurrency, extends the leases of
 * running handlers, settles each outcome, and on stop waits for running handlers before giving the rest back.
 * The SQL lives in sqlite-queue.ts; this file only holds the loop and its bookkeeping.
 */
import type { ConsumeOptions, Consumer, Job, JobOutcome } from '../../ports/queue.js'
import { runHandler } from '../retry.js'

/** A job together with the lease token that proves this consumer still holds it. */
export interface LeasedJob {
  readonly job: Job
  readonly lease: string
}

export interface Settled {
  readonly leased: LeasedJob
  readonly outcome: JobOutcome
}

/** The storage operations the loop needs (synchronous: better-sqlite3). */
export interface LeaseOps {
  lease(limit: number): LeasedJob[]
  /** Pushes the lease end of these jobs to now + leaseMs. */
  extend(jobs: readonly LeasedJob[]): void
  /** Applies outcomes, all in one transaction (one disk sync for every handler that finished in a tick). */
  settle(outcomes: readonly Settled[]): void
  /** Makes these jobs ready again at once (graceful stop ran out of time). */
  release(jobs: readonly LeasedJob[]): void
}

export interface PollingConsumerDeps {
  readonly pollMs: number
  readonly onError: (error: unknown, context: string) => void
  readonly onEnd: (consumer: PollingConsumer) => void
}

export class PollingConsumer implements Consumer {
  readonly #ops: LeaseOps
  readonly #options: ConsumeOptions
  readonly #handler: (job: Job) => Promise<JobOutcome>
  readonly #deps: PollingConsumerDeps
  readonly #inFlight = new Map<string, { leased: LeasedJob; done: Promise<void> }>()
  /** Jobs given back by `stop`: their handler may still finish, but its outcome is dropped. */
  readonly #returned = new Set<string>()
  #state: 'running' | 'stopping' | 'stopped' = 'running'
  #wakeUp: (() => void) | undefined
  #stopping: Promise<void> | undefined
  /** Outcomes waiting for the next group commit, with the callbacks of their handlers' `done` promises. */
  #pending: { settled: Settled; resolve: () => void; reject: (error: unknown) => void }[] = []
  readonly #loop: Promise<void>
  readonly #extender: NodeJS.Timeout

  constructor(
    ops: LeaseOps,
    options: ConsumeOptions,
    handler: (job: Job) => Promise<JobOutcome>,
    deps: PollingConsumerDeps,
  ) {
    this.#ops = ops
    this.#options = options
    this.#handler = handler
    this.#deps = deps
    // A third of the lease: two extensions can be missed (a long synchronous step, a busy disk) before the
    // lease runs out and another worker takes the job.
    this.#extender = setInterval(
      () => this.#extend(),
      Math.max(10, Math.floor(options.leaseMs / 3)),
    )
    this.#loop = this.#run()
  }

  /** Re-polls at once (new work was enqueued in this process, or a slot came free). */
  wake(): void {
    const wakeUp = this.#wakeUp
    this.#wakeUp = undefined
    wakeUp?.()
  }

  stop(graceMs: number): Promise<void> {
    if (this.#stopping) return this.#stopping
    if (this.#state === 'running') this.#state = 'stopping'
    this.wake()
    this.#stopping = this.#drain(graceMs).finally(() => this.#deps.onEnd(this))
    return this.#stopping
  }

  /**
   * Stops at once as if the process had died: no more leasing, no more extensions, nothing released. The leases
   * of running handlers expire and their jobs are delivered again. Used by `Queue.close()`.
   */
  abandon(): void {
    this.#state = 'stopped'
    clearInterval(this.#extender)
    for (const id of this.#inFlight.keys()) this.#returned.add(id)
    // Outcomes not yet committed die with the "process": their jobs' leases lapse and they run again.
    for (const p of this.#pending.splice(0)) p.resolve()
    this.wake()
    this.#deps.onEnd(this)
  }

  async #drain(graceMs: number): Promise<void> {
    await this.#loop
    if (this.#inFlight.size > 0 && this.#state !== 'stopped') {
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, graceMs))
      })
      await Promise.race([Promise.all([...this.#inFlight.values()].map((f) => f.done)), grace])
      clearTimeout(timer)
    }
    clearInterval(this.#extender)
    if (this.#state === 'stopped') return
    this.#state = 'stopped'
    const left = [...this.#inFlight.values()].map((f) => f.leased)
    if (left.length === 0) return
    for (const leased of left) this.#returned.add(leased.job.id)
    try {
      this.#ops.release(left)
    } catch (error) {
      // The leases will expire instead: the jobs are delivered again either way.
      this.#deps.onError(error, 'release on stop')
    }
  }

  async #run(): Promise<void> {
    const { concurrency } = this.#options
    while (this.#state === 'running') {
      const free = concurrency - this.#inFlight.size
      let leasedCount = 0
      if (free > 0) {
        try {
          const leased = this.#ops.lease(free)
          leasedCount = leased.length
          for (const job of leased) this.#start(job)
        } catch (error) {
          this.#deps.onError(error, 'lease')
          await this.#sleep(this.#deps.pollMs * 10)
          continue
        }
      }
      if (this.#state !== 'running') break
      if (this.#inFlight.size >= concurrency) {
        await this.#sleep(Number.POSITIVE_INFINITY) // until a handler finishes (or stop)
        // Let every handler that finished with it report first: one lease for all the free slots.
        await new Promise<void>((resolve) => setImmediate(resolve))
      } else if (leasedCount === free) {
        await new Promise<void>((resolve) => setImmediate(resolve)) // busy: poll again, but let I/O run
      } else {
        await this.#sleep(this.#deps.pollMs) // idle
      }
    }
  }

  #start(leased: LeasedJob): void {
    const { job } = leased
    const done = runHandler(this.#handler, job).then((outcome) => {
      if (this.#returned.delete(job.id)) return
      return this.#settle({ leased, outcome })
    })
    const tracked = done
      .catch((error: unknown) => this.#deps.onError(error, 'settle'))
      .finally(() => {
        this.#inFlight.delete(job.id)
        this.#returned.delete(job.id)
        this.wake()
      })
    this.#inFlight.set(job.id, { leased, done: tracked })
  }

  /**
   * Queues an outcome for the group commit that runs once the handlers finishing in this turn of the event loop
   * have all reported: with synchronous=FULL each commit is a disk sync, so one per batch, not one per job.
   */
  #settle(settled: Settled): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ settled, resolve, reject })
      if (this.#pending.length === 1) setImmediate(() => this.#flush())
    })
  }

  #flush(): void {
    const batch = this.#pending
    this.#pending = []
    if (batch.length === 0) return
    try {
      // A batch that cannot be written leaves its jobs leased: they expire and are delivered again.
      this.#ops.settle(batch.map((p) => p.settled))
      for (const p of batch) p.resolve()
    } catch (error) {
      for (const p of batch) p.reject(error)
    }
  }

  #extend(): void {
    if (this.#inFlight.size === 0 || this.#state === 'stopped') return
    try {
      this.#ops.extend([...this.#inFlight.values()].map((f) => f.leased))
    } catch (error) {
      this.#deps.onError(error, 'lease extension')
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      if (Number.isFinite(ms)) timer = setTimeout(done, ms)
      this.#wakeUp = done
    })
  }
}
