/**
 * @module The consumer of the Redis queue: one BullMQ Worker per list, sharing one concurrency budget.
 *
 * How the port maps onto BullMQ:
 * - lease = BullMQ's job lock (lockDuration = leaseMs, renewed by BullMQ while the handler runs); lease expiry =
 *   BullMQ's stalled-job check, which puts a job whose lock lapsed back in `wait` (a redelivery). `maxStalledCount`
 *   is set to maxAttempts so a killed worker's job is redelivered rather than failed on its first stall.
 * - attempt = `attemptsStarted`, which BullMQ bumps on every move to active, stalls included: every delivery counts,
 *   as in the SQLite adapter; except a delivery given back before its handler started (a worker that is closing
 *   still finishes the fetch it had in flight), which is recorded in the job data and taken off (attemptOf).
 * - retries: BullMQ fixes `attempts`/`backoff` when a job is added, but the RetryPolicy arrives with `consume`;
 *   so the processor applies it itself: moveToDelayed(now + backoff·2^(attempt−1) ± jitter) and DelayedError.
 * - dead letter: UnrecoverableError, after writing the failed step and attempt into the job data; failed jobs are
 *   kept (removeOnFail: false) and are the dead letters.
 * - done with `next`: the next jobs are added BEFORE the job completes. BullMQ has no transaction across queues,
 *   so a crash in between redelivers this job and its next jobs may be added twice (derived ids make BullMQ drop the
 *   second add while the first is still queued). This is why steps must be idempotent.
 */
import { type Job as BullJob, DelayedError, UnrecoverableError, WaitingError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { ConsumeOptions, Consumer, Job, JobInput, JobOutcome } from '../../ports/queue.js'
import { leaseLostMessage, retryDelayMs, runHandler, unnamedStep } from '../retry.js'
import { attemptOf, queueName, type RedisJobData } from './redis-keys.js'

export interface RedisConsumerDeps {
  readonly url: string
  readonly prefix: string
  readonly random: () => number
  readonly enqueueNext: (parentId: string, next: readonly JobInput[]) => Promise<void>
  readonly onError: (error: unknown, context: string) => void
  readonly onEnd: (consumer: RedisConsumer) => void
}

const GIVE_BACK = Symbol('give back')

export class RedisConsumer implements Consumer {
  readonly #options: ConsumeOptions
  readonly #handler: (job: Job) => Promise<JobOutcome>
  readonly #deps: RedisConsumerDeps
  readonly #connection: Redis
  readonly #workers: Worker<RedisJobData>[]
  #running = 0
  readonly #waiting: ((ok: boolean) => void)[] = []
  #state: 'running' | 'stopping' | 'stopped' = 'running'
  #abandoned = false
  #giveBack: () => void = () => {}
  readonly #givenBack: Promise<typeof GIVE_BACK>
  #stopping: Promise<void> | undefined

  constructor(
    options: ConsumeOptions,
    handler: (job: Job) => Promise<JobOutcome>,
    deps: RedisConsumerDeps,
  ) {
    this.#options = options
    this.#handler = handler
    this.#deps = deps
    this.#givenBack = new Promise((resolve) => {
      this.#giveBack = () => resolve(GIVE_BACK)
    })
    // Workers block on Redis, which BullMQ requires to retry forever (maxRetriesPerRequest: null): a worker
    // waits out a Redis restart instead of failing.
    this.#connection = new Redis(deps.url, { maxRetriesPerRequest: null, lazyConnect: false })
    this.#connection.on('error', (error) => deps.onError(error, 'redis worker connection'))
    const leaseMs = Math.round(options.leaseMs)
    this.#workers = options.lists.map((list) => {
      const worker = new Worker<RedisJobData>(
        queueName(list),
        (job, token) => this.#process(job, token),
        {
          connection: this.#connection,
          prefix: deps.prefix,
          name: options.worker,
          concurrency: options.concurrency,
          lockDuration: leaseMs,
          stalledInterval: leaseMs,
          maxStalledCount: options.retry.maxAttempts,
          // Short blocking reads so that stop() is not held up by an idle BRPOPLPUSH-style wait.
          drainDelay: 1,
        },
      )
      worker.on('error', (error) => deps.onError(error, `redis worker for list ${list}`))
      return worker
    })
  }

  async stop(graceMs: number): Promise<void> {
    if (this.#stopping) return this.#stopping
    this.#state = 'stopping'
    // Jobs waiting for a concurrency slot never started: they go back at once.
    for (const wake of this.#waiting.splice(0)) wake(false)
    this.#stopping = (async () => {
      const closing = Promise.all(this.#workers.map((w) => w.close()))
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, graceMs))
      })
      await Promise.race([closing, grace])
      clearTimeout(timer)
      // Handlers still running after the grace period: their jobs go back to `wait` (the processor sees
      // GIVE_BACK), which lets the non-forced close finish.
      this.#giveBack()
      await closing.catch((error: unknown) => this.#deps.onError(error, 'redis worker close'))
      this.#state = 'stopped'
      await this.#connection.quit().catch(() => this.#connection.disconnect())
    })().finally(() => this.#deps.onEnd(this))
    return this.#stopping
  }

  /** As if the process died: nothing more is written; BullMQ's stalled check redelivers what was running. */
  async abandon(): Promise<void> {
    if (this.#abandoned) return
    this.#abandoned = true
    this.#state = 'stopped'
    for (const wake of this.#waiting.splice(0)) wake(false)
    this.#giveBack()
    await Promise.all(this.#workers.map((w) => w.close(true).catch(() => {})))
    this.#connection.disconnect()
    this.#deps.onEnd(this)
  }

  async #process(bjob: BullJob<RedisJobData>, token: string | undefined): Promise<void> {
    const { data } = bjob
    const attempt = attemptOf(bjob.attemptsStarted, data)
    const { maxAttempts } = this.#options.retry
    if (attempt > maxAttempts) {
      // The earlier deliveries were never acknowledged (stalled) or the policy shrank.
      await this.#bury(bjob, attempt - 1, unnamedStep(data.step), leaseLostMessage(attempt - 1))
    }
    if (!(await this.#acquire())) {
      await this.#returnJob(bjob, token, { started: false })
    }
    try {
      const job: Job = {
        id: bjob.id ?? '',
        vconUuid: data.vconUuid,
        chain: data.chain,
        step: data.step,
        list: data.list,
        attempt,
        enqueuedAt: data.enqueuedAt ?? bjob.timestamp,
      }
      const result = await Promise.race([runHandler(this.#handler, job), this.#givenBack])
      if (result === GIVE_BACK || this.#abandoned)
        await this.#returnJob(bjob, token, { started: true })
      const outcome = result as JobOutcome
      if (outcome.kind === 'done') {
        if (outcome.next !== undefined && outcome.next.length > 0) {
          await this.#deps.enqueueNext(job.id, outcome.next)
        }
        return // BullMQ completes the job (and removes it: removeOnComplete)
      }
      // A retry or a replay resumes at the failed step (the outcome's resumeAt).
      if (outcome.resumeAt !== undefined && outcome.resumeAt !== data.step) {
        await bjob.updateData({ ...bjob.data, step: outcome.resumeAt })
      }
      if (outcome.permanent === true || attempt >= maxAttempts) {
        await this.#bury(bjob, attempt, outcome.step, outcome.error)
      }
      const delay = retryDelayMs(this.#options.retry, attempt, this.#deps.random)
      await bjob.moveToDelayed(Date.now() + delay, token)
      throw new DelayedError()
    } finally {
      this.#release()
    }
  }

  /** Records the failed step and attempt in the job, then fails it for good: it becomes a dead letter. */
  async #bury(
    bjob: BullJob<RedisJobData>,
    attempt: number,
    step: string,
    error: string,
  ): Promise<never> {
    await bjob.updateData({ ...bjob.data, failedStep: step, failedAttempt: attempt })
    throw new UnrecoverableError(error)
  }

  /**
   * Puts a job back in `wait` (unless this consumer is dead) and tells BullMQ to leave it alone. A job whose handler
   * never started gives its delivery back too, so that the next consumer sees the same attempt number.
   */
  async #returnJob(
    bjob: BullJob<RedisJobData>,
    token: string | undefined,
    { started }: { started: boolean },
  ): Promise<never> {
    if (!this.#abandoned) {
      if (!started)
        await bjob.updateData({ ...bjob.data, unstarted: (bjob.data.unstarted ?? 0) + 1 })
      await bjob.moveToWait(token)
    }
    throw new WaitingError()
  }

  /** One concurrency budget for all this consumer's workers; false when the consumer stops meanwhile. */
  #acquire(): Promise<boolean> {
    if (this.#state !== 'running') return Promise.resolve(false)
    if (this.#running < this.#options.concurrency) {
      this.#running += 1
      return Promise.resolve(true)
    }
    return new Promise((resolve) => {
      this.#waiting.push((ok) => {
        if (ok) this.#running += 1
        resolve(ok)
      })
    })
  }

  #release(): void {
    this.#running -= 1
    const next = this.#waiting.shift()
    if (next) next(true)
  }
}
